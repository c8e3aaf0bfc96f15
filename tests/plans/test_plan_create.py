"""A plan started in the portal: the new-plan form, then sections and tasks with "save and add another",
and many tasks pasted into a section at once."""

import pytest

from plans.models import Plan, Section, Task
from tests.factories import SectionFactory

pytestmark = pytest.mark.django_db


def _plan_data(org, **extra):
    return {
        "kind": "plan",
        "issuer": org["sct"].pk,
        "focal_unit": org["khtcth"].pk,
        "number": "",
        "number_suffix": "KH-SCT",
        "date": "21/09/2021",
        "place": "Quảng Ngãi",
        "title": "Thực hiện nhiệm vụ cải thiện Chỉ số dịch vụ hỗ trợ doanh nghiệp",
        "period_start": 2021,
        "period_end": 2025,
        "tracked": "on",
        "signer_title": "GIÁM ĐỐC",
        "recipients": "Sở KH&ĐT\nUBND tỉnh (b/c)",
        **extra,
    }


def test_focal_office_creates_a_plan_of_its_agency_and_keeps_it(as_user, org, plan):
    client = as_user("carol")
    page = client.get("/plans/")
    assert "Tạo kế hoạch" in page.content.decode()
    response = client.post("/plans/new/", _plan_data(org, parent=plan.pk))
    assert response.status_code == 302, response.context["form"].errors
    new = Plan.objects.get(title__startswith="Thực hiện nhiệm vụ cải thiện")
    assert response["Location"] == f"/plans/{new.pk}/"
    assert (new.issuer, new.focal_unit, new.parent, new.date.isoformat()) == (
        org["sct"],
        org["khtcth"],
        plan,
        "2021-09-21",
    )
    assert new.recipient_lines() == ["Sở KH&ĐT", "UBND tỉnh (b/c)"]
    detail = client.get(f"/plans/{new.pk}/").content.decode()
    assert "Thêm nhóm giải pháp" in detail  # the creator keeps it


def test_focal_office_cannot_issue_a_plan_in_another_agencys_name(as_user, org):
    response = as_user("carol").post("/plans/new/", _plan_data(org, issuer=org["stp"].pk, focal_unit=""))
    assert response.status_code == 200
    assert not Plan.objects.filter(title__startswith="Thực hiện nhiệm vụ cải thiện").exists()


def test_focal_unit_outside_the_issuer_is_refused_in_vietnamese(as_user, org):
    response = as_user("admin").post("/plans/new/", _plan_data(org, focal_unit=org["stp_hc"].pk))
    assert "Đơn vị đầu mối phải là cơ quan ban hành" in response.content.decode()


@pytest.mark.parametrize("name", ["alice", "bob", "dave"])
def test_officials_heads_and_leaders_may_not_create_plans(as_user, name):
    client = as_user(name)
    assert client.get("/plans/new/").status_code == 403
    assert "Tạo kế hoạch" not in client.get("/plans/").content.decode()


def test_unit_and_leader_lists_carry_the_filter_box(as_user, plan):
    page = as_user("carol").get(f"/plans/{plan.pk}/tasks/new/").content.decode()
    assert 'data-filter="1"' in page and "js/select-filter.js" in page


def test_save_and_add_another_returns_to_an_empty_task_form_of_the_same_section(as_user, plan, org):
    section = SectionFactory(plan=plan, number="1", title="Xúc tiến thương mại")
    client = as_user("carol")
    data = {
        "section": section.pk,
        "order": 1,
        "title": "Tổ chức hội chợ",
        "lead_unit": org["qltm"].pk,
        "timeframe": "annual",
        "save_another": "1",
    }
    response = client.post(f"/plans/{plan.pk}/tasks/new/", data)
    assert response["Location"] == f"/plans/{plan.pk}/tasks/new/?section={section.pk}"
    form = client.get(response["Location"]).context["form"]
    assert form.instance.section_id == section.pk and not form.instance.title


def test_save_and_add_another_section(as_user, plan):
    response = as_user("carol").post(
        f"/plans/{plan.pk}/sections/new/", {"number": "1", "title": "A", "order": 1, "save_another": "1"}
    )
    assert response["Location"] == f"/plans/{plan.pk}/sections/new/"
    assert Section.objects.filter(plan=plan, title="A").exists()


def test_pasting_many_tasks_adds_one_per_line_after_the_sections_tasks(as_user, plan, task, org, people):
    lines = "\n".join(
        [
            "- Tăng số lượng hội chợ thương mại;",
            "",
            "+ Xây dựng đề án đăng ký Bộ Công Thương tổ chức hội chợ cấp vùng.",
            "3. Kêu gọi doanh nghiệp có uy tín tổ chức hội chợ",
        ]
    )
    response = as_user("carol").post(
        f"/sections/{task.section_id}/paste/",
        {
            "lines": lines,
            "lead_unit": org["qltm"].pk,
            "coordinating_units": [org["qlxnk"].pk],
            "leader": people["leader_person"].pk,
            "timeframe": "annual",
            "timeframe_text": "Hàng năm",
        },
    )
    assert response.status_code == 302
    pasted = list(Task.objects.filter(plan=plan).exclude(pk=task.pk).order_by("order"))
    assert [t.description for t in pasted] == [
        "Tăng số lượng hội chợ thương mại;",
        "Xây dựng đề án đăng ký Bộ Công Thương tổ chức hội chợ cấp vùng.",
        "Kêu gọi doanh nghiệp có uy tín tổ chức hội chợ",
    ]
    assert all(t.order > task.order and t.section_id == task.section_id for t in pasted)
    assert all(list(t.coordinating_units.all()) == [org["qlxnk"]] for t in pasted)
    assert pasted[0].timeframe_text == "Hàng năm" and pasted[0].leader == people["leader_person"]


def test_pasting_nothing_is_refused_and_the_outsider_gets_404(as_user, plan, task, org):
    response = as_user("carol").post(
        f"/sections/{task.section_id}/paste/", {"lines": "\n - \n", "lead_unit": org["qltm"].pk, "timeframe": "regular"}
    )
    assert "Chưa có nhiệm vụ nào" in response.content.decode()
    assert as_user("eve").get(f"/sections/{task.section_id}/paste/").status_code == 404
