"""The focal office keeps its plans in the browser: plan fields, sections, tasks, targets and goals, deadlines."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators.models import SubIndex
from plans.models import Goal, Section, Target, Task
from plans.services import update_task
from reporting.models import Deadline, ReportingRule, Submission
from tests.factories import ReportingRuleFactory, TargetFactory, UnitFactory

from .conftest import PDF_BYTES

pytestmark = pytest.mark.django_db


def test_focal_office_edits_the_plan(as_user, plan):
    client = as_user("carol")
    form = client.get(f"/plans/{plan.pk}/edit/").context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "relies_on"}
    data.update(title="Kế hoạch nâng cao CSTP 8 (sửa đổi)", period_start=2021, period_end=2025, kind="plan")
    response = client.post(f"/plans/{plan.pk}/edit/", data)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.title == "Kế hoạch nâng cao CSTP 8 (sửa đổi)"


def test_a_longer_period_brings_the_deadlines_of_the_new_year(as_user, plan, org):
    rule = ReportingRuleFactory(plan=plan, to_unit=org["khtcth"], day=5, month=12)
    for year in plan.years:
        rule.deadline_for(year)
    client = as_user("carol")
    data = {
        "kind": "plan",
        "issuer": plan.issuer_id,
        "title": plan.title,
        "period_start": 2021,
        "period_end": 2026,
        "number_suffix": "KH-SCT",
        "tracked": "on",
    }
    assert client.post(f"/plans/{plan.pk}/edit/", data).status_code == 302
    assert Deadline.objects.get(rule=rule, year=2026).due_date == datetime.date(2026, 12, 5)


def test_a_period_ending_before_it_starts_is_refused_in_vietnamese(as_user, plan):
    response = as_user("carol").post(
        f"/plans/{plan.pk}/edit/", {"kind": "plan", "title": "X", "period_start": 2025, "period_end": 2021}
    )
    assert "Năm kết thúc không được trước năm bắt đầu." in response.content.decode()


def test_focal_office_adds_and_edits_a_section(as_user, plan):
    client = as_user("carol")
    data = {"number": "2.2", "title": "Đào tạo nguồn nhân lực", "order": 2}
    response = client.post(f"/plans/{plan.pk}/sections/new/", data)
    assert response.status_code == 302
    section = Section.objects.get(number="2.2")
    assert section.plan == plan
    client.post(f"/sections/{section.pk}/edit/", {"number": "2.3", "title": "Đào tạo", "order": 5})
    section.refresh_from_db()
    assert (section.number, section.order) == ("2.3", 5)


def test_focal_office_adds_edits_and_archives_a_task(as_user, plan, task, org, people):
    client = as_user("carol")
    data = {
        "section": task.section_id,
        "order": 3,
        "title": "Tập huấn thương mại điện tử cho doanh nghiệp",
        "lead_unit": org["qltm"].pk,
        "coordinating_units": [org["qlxnk"].pk],
        "leader": people["leader_person"].pk,
        "timeframe": "once",
        "due_date": "2024-11-30",
        "subindices": [SubIndex.objects.get(index__code="PCI", number=8).pk],
    }
    response = client.post(f"/plans/{plan.pk}/tasks/new/", data)
    assert response.status_code == 302
    new = Task.objects.get(title=data["title"])
    assert response["Location"] == f"/tasks/{new.pk}/"
    assert (new.plan, new.due_date) == (plan, datetime.date(2024, 11, 30))
    assert list(new.coordinating_units.all()) == [org["qlxnk"]]

    client.post(f"/tasks/{new.pk}/edit/", {**data, "title": "Tập huấn TMĐT"})
    new.refresh_from_db()
    assert new.title == "Tập huấn TMĐT"

    # Issue 13: a task is never hard-deleted; "delete" archives it as cancelled.
    assert client.post(f"/tasks/{new.pk}/delete/").status_code == 302
    new.refresh_from_db()
    assert new.status == Task.Status.CANCELLED


def test_archiving_a_task_keeps_its_history_and_evidence_files(
    as_user, task, people, private_media, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("bien-ban.pdf", PDF_BYTES)
    update = update_task(task, by=people["alice"], status="in_progress", progress=10, files=[upload])
    stored = private_media / update.evidence.get().file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user("carol").post(f"/tasks/{task.pk}/delete/", {"reason": "Trùng với nhiệm vụ 2.1.b"})
    assert response.status_code == 302
    assert stored.exists()
    task.refresh_from_db()
    assert task.status == Task.Status.CANCELLED
    page = as_user("alice").get(f"/tasks/{task.pk}/").content.decode()
    assert "bien-ban.pdf" in page and "Trùng với nhiệm vụ 2.1.b" in page and "Lê Thị Cúc" in page


def test_a_one_off_task_needs_a_due_date_and_what_was_typed_stays(as_user, plan, org):
    response = as_user("carol").post(
        f"/plans/{plan.pk}/tasks/new/", {"title": "Việc một lần", "lead_unit": org["qltm"].pk, "timeframe": "once"}
    )
    page = response.content.decode()
    assert "Nhiệm vụ thực hiện một lần cần có hạn hoàn thành." in page
    assert 'value="Việc một lần"' in page


def test_lead_unit_of_another_province_tree_is_refused(as_user, plan, org, other_plan):
    foreign = UnitFactory(code="HUE-SCT", name="Sở Công Thương Huế", kind="department")
    response = as_user("carol").post(
        f"/plans/{plan.pk}/tasks/new/", {"title": "X", "lead_unit": foreign.pk, "timeframe": "regular"}
    )
    assert response.status_code == 200
    assert not Task.objects.filter(title="X").exists()


def test_focal_office_adds_a_target_with_its_goals(as_user, plan):
    client = as_user("carol")
    form = client.get(f"/plans/{plan.pk}/targets/new/").context["form"]
    subindex = SubIndex.objects.get(index__code="PCI", number=8)
    data = {
        "index": subindex.index_id,
        "subindex": subindex.pk,
        "province": form.initial.get("province") or form.instance.province_id,
        "year": 2021,
        "baseline_year": 2020,
        "baseline_score": "5,52",
        "goals-TOTAL_FORMS": 2,
        "goals-INITIAL_FORMS": 0,
        "goals-MIN_NUM_FORMS": 0,
        "goals-MAX_NUM_FORMS": 1000,
        "goals-0-kind": "score_gte",
        "goals-0-value": "5,8",
        "goals-1-kind": "rank_lte",
        "goals-1-value": "20",
    }
    response = client.post(f"/plans/{plan.pk}/targets/new/", data)
    assert response.status_code == 302, response.context["form"].errors
    target = Target.objects.get(plan=plan)
    assert sorted(g.kind for g in target.goals.all()) == ["rank_lte", "score_gte"]
    page = client.get(f"/plans/{plan.pk}/").content.decode()
    assert "CSTP 8: " in page and target.goals_label in page


def test_focal_office_removes_a_goal_of_a_target(as_user, plan):
    target = TargetFactory(plan=plan)
    goal = Goal.objects.create(target=target, kind="rank_lte", value=25)
    data = {
        "index": target.index_id,
        "subindex": target.subindex_id,
        "province": target.province_id,
        "year": 2024,
        "goals-TOTAL_FORMS": 1,
        "goals-INITIAL_FORMS": 1,
        "goals-MIN_NUM_FORMS": 0,
        "goals-MAX_NUM_FORMS": 1000,
        "goals-0-id": goal.pk,
        "goals-0-kind": "rank_lte",
        "goals-0-value": "25",
        "goals-0-DELETE": "on",
    }
    assert as_user("carol").post(f"/targets/{target.pk}/edit/", data).status_code == 302
    assert not target.goals.exists()


@time_machine.travel(datetime.datetime(2024, 6, 1, 9, tzinfo=datetime.UTC), tick=False)
def test_a_new_reporting_rule_generates_its_deadlines_and_an_edit_moves_those_to_come(as_user, plan, org):
    client = as_user("carol")
    data = {"kind": "unit_to_focal", "title": "Báo cáo năm", "day": 15, "month": 11, "to_unit": org["khtcth"].pk}
    assert client.post(reverse("reporting:rule_create", args=[plan.pk]), data).status_code == 302
    rule = ReportingRule.objects.get(plan=plan)
    assert sorted(d.year for d in rule.deadlines.all()) == [2021, 2022, 2023, 2024, 2025]
    reported = Deadline.objects.get(rule=rule, year=2025)
    Submission.objects.create(deadline=reported, unit=org["qltm"], status=Submission.Status.SUBMITTED)
    client.post(reverse("reporting:rule_edit", args=[rule.pk]), {**data, "day": 5, "month": 12})
    assert Deadline.objects.get(rule=rule, year=2024).due_date == datetime.date(2024, 12, 5)
    assert "05/12/2024" in client.get(f"/plans/{plan.pk}/").content.decode()
    # A past deadline, and one a unit has already reported on, keep their dates.
    assert Deadline.objects.get(rule=rule, year=2023).due_date == datetime.date(2023, 11, 15)
    assert Deadline.objects.get(rule=rule, year=2025).due_date == datetime.date(2025, 11, 15)


def test_a_day_that_does_not_exist_is_refused(as_user, plan, org):
    data = {"kind": "annual", "title": "Báo cáo", "day": 31, "month": 2, "to_unit": org["khtcth"].pk}
    response = as_user("carol").post(reverse("reporting:rule_create", args=[plan.pk]), data)
    assert "Ngày 31/2 không tồn tại." in response.content.decode()


@pytest.mark.parametrize("name, status", [("alice", 403), ("bob", 403), ("dave", 403), ("frank", 403), ("eve", 404)])
def test_only_the_focal_office_of_the_plan_edits_it(as_user, plan, task, org, name, status):
    rule = ReportingRuleFactory(plan=plan, to_unit=org["khtcth"])
    client = as_user(name)
    assert client.post(f"/plans/{plan.pk}/tasks/new/", {"title": "X"}).status_code == status
    assert client.post(f"/tasks/{task.pk}/delete/").status_code == status
    assert client.post(reverse("reporting:rule_edit", args=[rule.pk]), {"day": 1}).status_code == status
    task.refresh_from_db()
    assert task.status != Task.Status.CANCELLED


def test_focal_office_of_another_unit_cannot_edit(as_user, plan, org, people):
    people["carol"].unit = org["qlxnk"]
    people["carol"].save()
    assert as_user("carol").get(f"/plans/{plan.pk}/edit/").status_code == 403


def test_editing_a_plan_offers_what_creating_it_does(as_user, plan, org):
    """Issuer, focal unit and legal basis are editable; creating a plan sets its yearly due day too."""
    from plans.models import Document

    basis = Document.objects.create(key="qd-649", kind="decision", number="649/QĐ-UBND", title="Kế hoạch cải thiện PCI")
    client = as_user("carol")
    page = client.get(f"/plans/{plan.pk}/edit/").content.decode()
    for name in ("issuer", "focal_unit", "legal_basis", "task_due_day", "preamble", "closing"):
        assert f'name="{name}"' in page, name
    data = {k: v for k, v in client.get(f"/plans/{plan.pk}/edit/").context["form"].initial.items() if v is not None}
    data.pop("relies_on", None)
    data.update(focal_unit=org["qltm"].pk, legal_basis=[basis.pk], task_due_day=15, task_due_month=12, tracked="on")
    assert client.post(f"/plans/{plan.pk}/edit/", data).status_code == 302
    plan.refresh_from_db()
    assert (plan.focal_unit, list(plan.legal_basis.all()), plan.task_due_day) == (org["qltm"], [basis], 15)
    assert 'name="task_due_day"' in client.get("/plans/new/").content.decode()


def test_a_focal_unit_outside_the_issuer_is_refused_when_editing_too(as_user, plan, org):
    client = as_user("admin")
    data = {k: v for k, v in client.get(f"/plans/{plan.pk}/edit/").context["form"].initial.items() if v is not None}
    data.pop("relies_on", None)
    data.update(focal_unit=org["stp_hc"].pk, tracked="on")
    response = client.post(f"/plans/{plan.pk}/edit/", data)
    assert "Đơn vị đầu mối phải là cơ quan ban hành" in response.content.decode()
    plan.refresh_from_db()
    assert plan.focal_unit == org["khtcth"]


def test_a_yearly_due_day_that_does_not_exist_is_refused_when_creating(as_user, org):
    from .test_plan_create import _plan_data

    response = as_user("carol").post("/plans/new/", _plan_data(org, task_due_day=31, task_due_month=2))
    assert "Ngày, tháng không hợp lệ." in response.content.decode()
