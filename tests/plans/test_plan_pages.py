"""Plan list and plan page: period, issuer, progress, parent/child plans, targets and verdicts, per section/unit."""

import datetime

import pytest
import time_machine

from plans.models import Goal, Task
from tests.factories import GoalFactory, PlanFactory, ResultFactory, TargetFactory, TaskFactory, province

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2024, 9, 20, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))


@pytest.fixture
def progress(plan, task, org):
    """Two tasks: 100% (done) and 20% (overdue): the plan stands at 60%."""
    Task.objects.filter(pk=task.pk).update(status=Task.Status.DONE, progress=100)
    TaskFactory(
        plan=plan,
        section=task.section,
        lead_unit=org["qlxnk"],
        title="Đối thoại doanh nghiệp xuất khẩu",
        progress=20,
        status=Task.Status.IN_PROGRESS,
        due_date=datetime.date(2024, 6, 30),
    )
    return plan


def row_of(response, plan):
    return next(p for p in response.context["plans"] if p.pk == plan.pk)


@time_machine.travel(TODAY, tick=False)
def test_plan_list_shows_period_issuer_progress_and_counts(as_user, progress, other_plan):
    response = as_user("alice").get("/plans/")
    row = row_of(response, progress)
    assert (row.task_count, row.done_count, row.overdue_count, round(row.progress)) == (2, 1, 1, 60)
    page = response.content.decode()
    assert "Sở Công Thương" in page and "2021–2025" in page and "60%" in page
    assert other_plan.title not in page


def test_focal_office_filters_the_plans_it_keeps(as_user, plan, org):
    kept_elsewhere = PlanFactory(issuer=org["sct"], focal_unit=org["qlxnk"], title="Kế hoạch phòng XNK theo dõi")
    response = as_user("carol").get("/plans/?mine=1")
    plans = list(response.context["plans"])
    assert plans == [plan]
    assert kept_elsewhere.title in as_user("carol").get("/plans/").content.decode()


@time_machine.travel(TODAY, tick=False)
def test_plan_page_shows_links_targets_sections_and_units(as_user, progress, org):
    plan = progress
    parent = PlanFactory(issuer=org["ubnd"], number="649/QĐ-UBND", title="Đề án nâng cao PCI của tỉnh")
    child = PlanFactory(issuer=org["sct"], number="77/KH-SCT", title="Kế hoạch năm 2024 của Sở", parent=plan)
    plan.parent = parent
    plan.save()
    target = TargetFactory(plan=plan, year=2023, baseline_year=2020, baseline_rank=40, baseline_out_of=63)
    GoalFactory(target=target, kind=Goal.Kind.RANK_LTE, value=30)
    ResultFactory(province=province("Quảng Ngãi"), year=2023, rank=22, score=6.1)
    response = as_user("alice").get(f"/plans/{plan.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "649/QĐ-UBND" in page and "77/KH-SCT" in page  # parent and child plans
    assert "hạng 40/63" in page  # baseline
    assert "hạng 22/63" in page  # published result
    assert "Đạt" in page
    assert "Tiến độ 60%" in page  # section progress
    units = {r["lead_unit__name"]: r for r in response.context["unit_rows"]}
    assert units["Phòng Quản lý thương mại"]["progress"] == 100
    assert units["Phòng Quản lý Xuất nhập khẩu"]["overdue"] == 1
    assert child.title in page
    assert "Sửa kế hoạch" not in page  # alice does not keep the plan


def test_focal_office_sees_the_edit_buttons(as_user, plan):
    page = as_user("carol").get(f"/plans/{plan.pk}/").content.decode()
    assert "Sửa kế hoạch" in page and "Thêm nhiệm vụ" in page


def test_outsider_gets_404_on_our_plan(as_user, plan):
    assert as_user("eve").get(f"/plans/{plan.pk}/").status_code == 404


@pytest.mark.parametrize("rows", [3, 60])
def test_plan_page_query_count_does_not_grow_with_tasks(as_user, plan, org, rows, django_assert_num_queries):
    for i in range(rows):
        t = TaskFactory(plan=plan, lead_unit=org["qltm"] if i % 2 else org["qlxnk"])
        t.coordinating_units.add(org["khtcth"])
    client = as_user("alice")
    client.get(f"/plans/{plan.pk}/")
    # 16, + the plans that follow this one ("kế hoạch kế tiếp"), + the plan's source document (i10-import)
    with django_assert_num_queries(18):
        assert client.get(f"/plans/{plan.pk}/").status_code == 200


@pytest.mark.parametrize("rows", [3, 40])
def test_plan_list_query_count_does_not_grow_with_plans(as_user, org, rows, django_assert_num_queries):
    for _ in range(rows):
        TaskFactory(plan=PlanFactory(issuer=org["sct"]), lead_unit=org["qltm"])
    client = as_user("alice")
    client.get("/plans/")
    with django_assert_num_queries(6):
        assert client.get("/plans/").status_code == 200


def test_another_agency_coordinating_one_task_sees_that_task_only(as_user, plan, task, org):
    theirs = TaskFactory(plan=plan, section=task.section, lead_unit=org["qltm"], title="Phối hợp với Sở Tư pháp")
    theirs.coordinating_units.add(org["stp_hc"])
    page = as_user("eve").get(f"/plans/{plan.pk}/").content.decode()
    assert "Phối hợp với Sở Tư pháp" in page
    assert task.title not in page
