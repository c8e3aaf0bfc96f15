"""The leadership dashboard: who sees it, and that its numbers are those of the data."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from accounts.models import Unit
from indicators.models import SubIndex
from plans.models import Goal, Task
from reporting.models import Deadline, Submission
from tests.factories import (
    GoalFactory,
    PlanFactory,
    ReportingRuleFactory,
    ResultFactory,
    TargetFactory,
    TaskFactory,
    TaskUpdateFactory,
    UnitFactory,
    province,
)
from tests.html import select

TODAY = datetime.datetime(2025, 11, 20, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))
QUANG_NINH_2021 = [7.98, 7.39, 6.31, 8.52, 7.85, 6.96, 7.74, 7.39, 7.27, 7.91]


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


def as_user(client, people, who):
    client.force_login(people[who])
    return client


def cstp(n):
    return SubIndex.objects.get(index__code="PCI", number=n)


@pytest.mark.parametrize("who", ["alice", "bob", "frank", "eve"])
def test_officials_and_unit_heads_get_403(client, people, who):
    as_user(client, people, who)
    assert client.get("/dashboard/").status_code == 403
    assert client.get("/dashboard/pdf/").status_code == 403
    assert client.get("/dashboard/tasks/").status_code == 403


def test_anonymous_is_sent_to_login(client, db):
    response = client.get("/dashboard/")
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("who", ["dave", "carol", "admin"])
def test_leadership_focal_office_and_admin_see_the_dashboard(client, people, plan, who):
    as_user(client, people, who)
    response = client.get("/dashboard/")
    assert response.status_code == 200
    assert "Bảng điều hành" in response.content.decode()


def test_other_agencys_plan_and_tasks_are_not_shown(client, people, org, plan, task):
    other = PlanFactory(issuer=org["stp"], number="839/KH-STP", title="Kế hoạch của Sở Tư pháp")
    TaskFactory(
        plan=other, lead_unit=org["stp_hc"], title="Nhiệm vụ của Sở Tư pháp", due_date=datetime.date(2025, 1, 1)
    )
    as_user(client, people, "dave")
    body = client.get("/dashboard/?plan=all").content.decode()
    assert "839/KH-STP" not in body
    assert "Phòng Hành chính tư pháp" not in body and "Sở Tư pháp" not in body
    assert client.get(f"/dashboard/?plan={other.pk}").status_code == 200  # falls back to no plan, shows nothing of it
    assert "Kế hoạch của Sở Tư pháp" not in client.get(f"/dashboard/?plan={other.pk}").content.decode()
    assert client.get(f"/dashboard/tasks/?plan={other.pk}").status_code == 404


def test_target_verdicts_are_shown(client, people, plan):
    met = TargetFactory(plan=plan, year=2024, baseline_year=2023, baseline_rank=32, baseline_out_of=63)
    GoalFactory(target=met, kind=Goal.Kind.RANK_LTE, value=25)
    missed = TargetFactory(plan=plan, subindex=None, year=2024, baseline_year=None)
    GoalFactory(target=missed, kind=Goal.Kind.SCORE_GT, value=Decimal("70"))
    ResultFactory(year=2024, subindex=cstp(8), score=Decimal("6.90"), rank=20, out_of=63)
    ResultFactory(year=2024, subindex=None, score=Decimal("66.50"), rank=30, out_of=63)
    as_user(client, people, "dave")
    body = client.get(f"/dashboard/?plan={plan.pk}").content.decode()
    assert "verdict-met" in body and "xếp hạng ≤ 25: đạt (xếp hạng 20/63)." in body
    assert "verdict-not_met" in body and "điểm &gt; 70: không đạt (điểm 66,5)." in body
    assert "2023: hạng 32/63" in body


def test_rank_trend_carries_out_of_and_national_median_and_best(client, people, plan):
    TargetFactory(plan=plan, year=2024)
    ResultFactory(year=2023, subindex=cstp(8), score=Decimal("6.00"), rank=32, out_of=63)
    ResultFactory(year=2024, subindex=cstp(8), score=Decimal("6.90"), rank=20, out_of=63)
    ResultFactory(year=2024, subindex=cstp(8), province=province("Quảng Ninh"), score=Decimal("7.50"), rank=1)
    ResultFactory(year=2024, subindex=cstp(8), province=province("Long An"), score=Decimal("6.00"), rank=40)
    as_user(client, people, "dave")
    response = client.get(f"/dashboard/?plan={plan.pk}")
    chart = response.context["chart_data"]["subjects"][0]
    assert chart["years"] == [2023, 2024]
    assert chart["rank"] == [32, 20] and chart["out_of"] == [63, 63]
    assert chart["median"][1] == 6.9 and chart["best"][1] == 7.5
    assert chart["best_province"][1] == "Quảng Ninh"
    assert "20/63" in response.content.decode()


def test_three_overdue_tasks_show_as_3_in_the_overdue_by_unit_table(client, people, org, plan, task):
    for i in range(3):
        TaskFactory(plan=plan, lead_unit=org["qlxnk"], due_date=datetime.date(2025, 10, i + 1), title=f"Quá hạn {i}")
    TaskFactory(plan=plan, lead_unit=org["qlxnk"], due_date=datetime.date(2025, 10, 1), status=Task.Status.DONE)
    TaskFactory(plan=plan, lead_unit=org["qlxnk"], due_date=datetime.date(2025, 12, 31))
    as_user(client, people, "dave")
    response = client.get(f"/dashboard/?plan={plan.pk}")
    body = response.content.decode()
    table = body[body.index('id="overdue-by-unit"') : body.index('id="overdue-by-leader"')]
    assert "Phòng Quản lý Xuất nhập khẩu" in table
    assert f'?overdue=1&unit={org["qlxnk"].pk}&plan={plan.pk}">3</a>' in table
    assert response.context["overdue_total"] == 3

    listing = client.get(f"/dashboard/tasks/?overdue=1&unit={org['qlxnk'].pk}&plan={plan.pk}").content.decode()
    assert listing.count("Quá hạn ") == 3 and "3 nhiệm vụ" in listing


def test_tasks_by_status_per_unit(client, people, org, plan, task):
    TaskFactory(plan=plan, lead_unit=org["qltm"], status=Task.Status.DONE)
    TaskFactory(plan=plan, lead_unit=org["qltm"], status=Task.Status.DONE)
    TaskFactory(plan=plan, lead_unit=org["qlxnk"], status=Task.Status.IN_PROGRESS)
    as_user(client, people, "carol")
    ctx = client.get(f"/dashboard/?plan={plan.pk}").context
    rows = {u["name"]: u["counts"] for u in ctx["status_rows"]}
    assert rows["Phòng Quản lý thương mại"] == {"not_started": 1, "done": 2}
    assert rows["Phòng Quản lý Xuất nhập khẩu"] == {"in_progress": 1}
    body = client.get(f"/dashboard/tasks/?unit={org['qltm'].pk}&status=done&plan={plan.pk}").content.decode()
    assert "2 nhiệm vụ" in body


def test_changes_of_the_week(client, people, plan, task):
    TaskUpdateFactory(task=task, author=people["alice"], created_at=timezone.now() - datetime.timedelta(days=2))
    TaskUpdateFactory(task=task, author=people["alice"], created_at=timezone.now() - datetime.timedelta(days=10))
    as_user(client, people, "dave")
    body = client.get(f"/dashboard/?plan={plan.pk}").content.decode()
    assert "1 cập nhật trong 7 ngày qua" in body
    assert "Tăng số lượng hội chợ thương mại" in body


def test_report_compliance_on_time_late_missing(client, people, org, plan):
    rule = ReportingRuleFactory(plan=plan, to_unit=org["khtcth"], from_children_of=org["sct"], day=15, month=11)
    deadline = rule.deadline_for(2025)
    stamp = datetime.datetime(2025, 11, 14, 10, tzinfo=datetime.UTC)
    Submission.objects.create(
        deadline=deadline, unit=org["qltm"], status=Submission.Status.SUBMITTED, submitted_at=stamp
    )
    Submission.objects.create(
        deadline=deadline,
        unit=org["qlxnk"],
        status=Submission.Status.ACCEPTED,
        submitted_at=stamp + datetime.timedelta(days=3),
    )
    extra = UnitFactory(code="QNG-SCT-VP", name="Văn phòng Sở", kind=Unit.Kind.OFFICE, parent=org["sct"])
    deadline.fix_units()  # created after the deadline opened: owes it once the deadline is refreshed
    as_user(client, people, "carol")
    ctx = client.get(f"/dashboard/?plan={plan.pk}&year=2025").context
    [row] = ctx["compliance"]
    assert row["deadline"] == deadline
    assert row["on_time"] == [org["qltm"]] and row["late"] == [org["qlxnk"]] and row["missing"] == [extra]
    body = client.get(f"/dashboard/?plan={plan.pk}&year=2025").content.decode()
    assert f'href="/reports/deadlines/{deadline.pk}/"' in body
    assert "Chưa nộp: Văn phòng Sở" in body
    assert Deadline.objects.count() == 1


def test_what_if_adds_the_weighted_gain(client, people, plan):
    qn = province("Quảng Ninh")
    for n, score in enumerate(QUANG_NINH_2021, start=1):
        ResultFactory(province=qn, year=2021, subindex=cstp(n), score=Decimal(str(score)), rank=None)
    as_user(client, people, "dave")
    body = client.get(f"/dashboard/what-if/?province={qn.pk}&subindex=8&score=8,39").content.decode()
    assert "73,04" in body and 'id="what-if-total">75,04<' in body and "(+2,00 điểm)" in body
    bad = client.get(f"/dashboard/what-if/?province={qn.pk}&subindex=8&score=abc").content.decode()
    assert "Nhập điểm mục tiêu từ 0 đến 10" in bad


def test_pdf_export_has_the_tables(client, people, org, plan, task):
    TaskFactory(plan=plan, lead_unit=org["qlxnk"], due_date=datetime.date(2025, 10, 1))
    as_user(client, people, "dave")
    response = client.get(f"/dashboard/pdf/?plan={plan.pk}")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    import subprocess

    text = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True).stdout.decode()
    assert "Nhiệm vụ quá hạn: 1" in text
    assert "Phòng Quản lý Xuất nhập khẩu" in text


def _bulk(plan, org, people, n):
    units = [UnitFactory(code=f"QNG-SCT-X{i}", name=f"Phòng số {i}", parent=org["sct"]) for i in range(n // 5 + 1)]
    for i in range(n):
        t = TaskFactory(
            plan=plan,
            lead_unit=units[i % len(units)],
            due_date=datetime.date(2025, 1, 1) + datetime.timedelta(days=i),
            status=Task.Status.values[i % 5],
            leader=people["leader_person"],
        )
        TaskUpdateFactory(task=t, author=people["alice"], created_at=timezone.now() - datetime.timedelta(days=i % 9))
    rule = ReportingRuleFactory(plan=plan, to_unit=org["khtcth"], from_children_of=org["sct"])
    rule.deadline_for(2025)
    target = TargetFactory(plan=plan, year=2024, baseline_rank=32, baseline_out_of=63)
    GoalFactory(target=target)
    for p in list(province().__class__.objects.filter(valid_from__isnull=True))[: n // 2]:
        ResultFactory(province=p, year=2024, score=Decimal("6.5"), rank=10)


@pytest.mark.parametrize("size", [3, 40])
def test_dashboard_query_count_does_not_grow_with_the_data(client, people, org, plan, django_assert_num_queries, size):
    _bulk(plan, org, people, size)
    as_user(client, people, "dave")
    client.get(f"/dashboard/?plan={plan.pk}&year=2025")  # warm the session
    with django_assert_num_queries(28):  # the target is judged by Target.assess(), as on every page
        response = client.get(f"/dashboard/?plan={plan.pk}&year=2025")
    assert response.status_code == 200


@pytest.mark.parametrize("size", [3, 40])
def test_drill_down_list_query_count_does_not_grow(client, people, org, plan, django_assert_num_queries, size):
    _bulk(plan, org, people, size)
    as_user(client, people, "dave")
    with django_assert_num_queries(7):
        assert client.get(f"/dashboard/tasks/?plan={plan.pk}").status_code == 200


def test_a_finished_plan_opens_on_its_last_year(client, people, plan):
    with time_machine.travel(datetime.datetime(2026, 11, 24, 9, tzinfo=datetime.UTC), tick=False):
        as_user(client, people, "carol")  # the plan runs 2021–2025
        response = client.get(f"/dashboard/?plan={plan.pk}")
    assert response.status_code == 200, response.status_code
    assert [o.get("value") for o in select(response, '//select[@name="year"]/option[@selected]')] == ["2025"]
