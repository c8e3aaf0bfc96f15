"""The review page edits every part of the draft — a target's subject and goals, a task's coordinating units and
leader, new tasks and sections — and writes nothing but the draft until "Lưu thành kế hoạch"."""

import re

import pytest

from plans.imports import load_draft
from plans.models import Plan, PlanImport, Target, Task
from tests.factories import PersonFactory

from .import_docs import seed_file
from .test_import_web import _upload, eager  # noqa: F401 - the fixture is used by name

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(as_user, org, eager, django_capture_on_commit_callbacks):  # noqa: F811
    carol = as_user("carol")
    data, name = seed_file("qng", "txt")
    _upload(carol, data, name, django_capture_on_commit_callbacks)
    return carol, PlanImport.objects.get()


def _update(client, imp, **post):
    imp.refresh_from_db()
    return client.post(f"/imports/{imp.pk}/update/", {"version": imp.version, "keep": "1", **post})


def test_the_reviewer_changes_a_targets_subject_and_goals_and_adds_a_target(imported):
    carol, imp = imported
    first = load_draft(imp).targets[0]
    assert (first.subindex, [g.kind for g in first.goals]) == (None, ["score_gt", "rank_band", "tier"])
    response = _update(
        carol,
        imp,
        **{
            "target-0-subject": "PCI",
            "target-0-group": "2, 5, 8",
            "target-0-year": "2022",
            "target-0-baseline_year": "2021",
            "target-0-baseline_rank": "30",
            "target-0-baseline_score": "63,5",
            # the first goal changes, the second is dropped, the third stays, a fourth is added
            "target-0-goal-0-kind": "score_gte",
            "target-0-goal-0-value": "65,5",
            "target-0-goal-1-kind": "",
            "target-0-goal-2-kind": "tier",
            "target-0-goal-2-tier": "tot",
            "target-0-goal-3-kind": "top_in_region",
            "target-0-goal-3-value": "3",
            "target-0-goal-3-region": "btb-dhmt",
            "target-new-subject": "PCI:9",
            "target-new-year": "2025",
            "target-new-goal-0-kind": "rank_lte",
            "target-new-goal-0-value": "15",
        },
    )
    assert response.status_code == 302
    draft = load_draft(PlanImport.objects.get())
    edited, added = draft.targets[0], draft.targets[-1]
    assert (edited.index, edited.subindex, edited.subindices, edited.year) == ("PCI", None, [2, 5, 8], 2022)
    assert (edited.baseline_year, edited.baseline_rank, edited.baseline_out_of, edited.baseline_score) == (
        2021,
        30,
        63,
        63.5,
    )
    assert [(g.kind, g.value, g.tier, g.region_code) for g in edited.goals] == [
        ("score_gte", 65.5, "", ""),
        ("tier", None, "tot", ""),
        ("top_in_region", 3, "", "btb-dhmt"),
    ]
    assert (added.subindex, added.year, [(g.kind, g.value) for g in added.goals]) == (9, 2025, [("rank_lte", 15)])
    assert not Target.objects.exists() and not Plan.objects.filter(tracked=True).exists()  # only the draft changed
    page = carol.get(f"/imports/{imp.pk}/").content.decode()  # and it is there when the reviewer comes back
    assert 'value="2, 5, 8"' in page and 'value="65,5"' in page


@pytest.mark.parametrize(
    "post, message",
    [
        ({"target-0-goal-0-kind": "rank_lte", "target-0-goal-0-value": ""}, "cần giá trị"),
        (
            {
                "target-0-goal-0-kind": "top_in_region",
                "target-0-goal-0-value": "2",
                "target-0-goal-0-region": "dbsh-2025",
            },
            "không dùng cho năm 2021",
        ),
        ({"target-0-goal-0-kind": "tier", "target-0-goal-0-tier": "cao_nhat"}, "không thuộc thang xếp loại của PCI"),
        ({"target-0-subject": "PCI", "target-0-group": "8"}, "nhóm cần ít nhất hai chỉ số thành phần"),
        ({"target-new-subject": "PCI:8"}, "Mục tiêu mới cần ít nhất một điều kiện"),
    ],
    ids=["no-value", "region-of-another-edition", "tier-of-another-index", "group-of-one", "target-without-goal"],
)
def test_a_goal_the_portal_could_not_judge_is_refused_and_the_draft_is_kept(imported, post, message):
    carol, imp = imported
    response = _update(carol, imp, **post)
    assert response.status_code == 400 and message in response.content.decode()
    imp.refresh_from_db()
    assert imp.version == 0


def test_the_reviewer_sets_coordinating_units_and_a_leader_and_adds_a_section_and_a_task(imported, org, people):
    carol, imp = imported
    PersonFactory(key="le-van-b", full_name="Lê Văn B", title="Trưởng phòng", unit=org["qltm"])
    task = load_draft(imp).all_tasks()[3]
    assert len(task.coordinating) >= 2
    response = _update(
        carol,
        imp,
        **{
            "task-3-units": "1",
            "task-3-coord-keep": ["1"],  # the first is removed, the second kept
            "task-3-coord-add": ["Phòng Quản lý Xuất nhập khẩu · QNG-SCT-QLXNK", "Sở Tư pháp", ""],
            "task-3-leader": "Lê Văn B",
            "task-4-units": "1",
            "task-4-leader": "Nguyễn Văn Mới",
            "section-new-title": "Nhiệm vụ bổ sung",
            "section-new-number": "V",
            "task-new-description": "Tổ chức hội nghị đối thoại doanh nghiệp hằng năm.",
            "task-new-section": "V",
            "task-new-lead": "Phòng Quản lý thương mại · QNG-SCT-QLTM",
            "task-new-coord-add": ["Phòng Kế hoạch – Tài chính – Tổng hợp · QNG-SCT-KHTCTH"],
            "task-new-leader": "Đỗ Tiến Đạt",
            "task-new-timeframe": "annual",
            "task-new-timeframe_text": "Hằng năm",
        },
    )
    assert response.status_code == 302
    draft = load_draft(PlanImport.objects.get())
    tasks = draft.all_tasks()
    edited = tasks[3]
    assert [c.code for c in edited.coordinating] == [task.coordinating[1].code, "QNG-SCT-QLXNK", "QNG-STP"]
    assert (edited.leader.name, edited.leader.key) == ("Lê Văn B", "le-van-b")
    assert (tasks[4].leader.name, tasks[4].leader.key) == ("Nguyễn Văn Mới", None)
    section = draft.all_sections()[-1]
    assert (section.number, section.title) == ("V", "Nhiệm vụ bổ sung")
    (new,) = section.tasks
    assert (new.lead.code, [c.code for c in new.coordinating], new.leader.key, new.timeframe) == (
        "QNG-SCT-QLTM",
        ["QNG-SCT-KHTCTH"],
        "do-tien-dat",
        "annual",
    )
    assert not Task.objects.exists()  # nothing but the draft until it is saved

    # Saved: the plan has what the reviewer set (the unmatched names of the seed are created under the issuer).
    post = {"plan-issuer": "QNG-SCT", "save": "1"}
    page = carol.get(f"/imports/{imp.pk}/").content.decode()
    for n, text in enumerate(re.findall(r'name="unit-\d+-text" value="([^"]+)"', page)):
        post[f"unit-{n}-text"], post[f"unit-{n}-create"] = text, "1"
    response = _update(carol, imp, **post)
    plan = Plan.objects.get(tracked=True)
    assert response["Location"] == f"/plans/{plan.pk}/"
    saved = plan.tasks.get(description="Tổ chức hội nghị đối thoại doanh nghiệp hằng năm.")
    assert (saved.section.title, saved.lead_unit, saved.leader.full_name) == (
        "Nhiệm vụ bổ sung",
        org["qltm"],
        "Đỗ Tiến Đạt",
    )
    assert list(saved.coordinating_units.all()) == [org["khtcth"]]
    assert plan.tasks.filter(leader__full_name="Lê Văn B").count() == 1


def test_a_unit_outside_the_reviewers_tree_is_refused_in_vietnamese(imported):
    from tests.factories import UnitFactory

    UnitFactory(code="HUE-SCT", name="Sở Công Thương tỉnh Thừa Thiên Huế", kind="department")
    carol, imp = imported
    response = _update(carol, imp, **{"task-0-lead": "Sở Công Thương tỉnh Thừa Thiên Huế · HUE-SCT"})
    assert response.status_code == 400
    assert "không tìm thấy đơn vị “Sở Công Thương tỉnh Thừa Thiên Huế · HUE-SCT” trong cây đơn vị" in (
        response.content.decode()
    )


def test_the_page_lists_the_units_once_for_all_its_unit_fields(imported, org):
    carol, imp = imported
    page = carol.get(f"/imports/{imp.pk}/").content.decode()
    tasks = len(load_draft(imp).all_tasks())
    assert tasks > 20
    # One shared list: each unit of the tree is an option once, whatever the number of tasks and rules.
    assert page.count('<option value="Phòng Quản lý thương mại · QNG-SCT-QLTM"') == 1
    assert page.count('list="unit-list"') >= tasks * 2
    assert "Sở Công Thương tỉnh Thừa Thiên Huế" not in page


def test_a_section_added_without_a_number_takes_the_next_of_its_level(imported):
    carol, imp = imported
    tops = [s.number for s in load_draft(imp).sections]
    assert tops == ["III", "IV"]
    _update(carol, imp, **{"section-new-title": "Kiểm tra, giám sát"})
    _update(carol, imp, **{"section-new-title": "Hội chợ cấp vùng", "section-new-parent": "III"})
    draft = load_draft(PlanImport.objects.get())
    assert [(s.number, s.title) for s in draft.sections][-1] == ("V", "Kiểm tra, giám sát")
    assert draft.sections[0].children[-1].number == f"III.{len(draft.sections[0].children)}"
    assert draft.sections[0].children[-1].title == "Hội chợ cấp vùng"


def test_the_reviewer_sets_how_many_members_of_a_group_must_meet_a_goal(imported):
    carol, imp = imported
    post = {
        "target-0-subject": "PCI",
        "target-0-group": "2, 5, 8",
        "target-0-goal-0-kind": "rank_lte",
        "target-0-goal-0-value": "20",
        "target-0-goal-0-min_count": "2",
        "target-0-goal-1-kind": "",
        "target-0-goal-2-kind": "",
    }
    assert _update(carol, imp, **post).status_code == 302
    edited = load_draft(PlanImport.objects.get()).targets[0]
    assert [(g.kind, g.value, g.min_count) for g in edited.goals] == [("rank_lte", 20, 2)]
    assert "ít nhất 2 chỉ số của nhóm" in carol.get(f"/imports/{imp.pk}/").content.decode()

    # More than the group holds is refused in Vietnamese, and the draft keeps what it had.
    response = _update(carol, imp, **{**post, "target-0-goal-0-min_count": "4"})
    assert "số chỉ số tối thiểu đạt chỉ dùng cho nhóm" in response.content.decode()
    assert load_draft(PlanImport.objects.get()).targets[0].goals[0].min_count == 2
