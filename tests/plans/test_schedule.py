"""One schedule for recurring work: each task's rounds, their due dates over several years, overdue, updates."""

import datetime

import pytest
import time_machine
from django.core.management import call_command

from plans import schedule, services
from plans.models import Task, TaskOccurrence
from reporting.models import ReportingRule
from tests.factories import PlanFactory, ReportingRuleFactory, TaskFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def _at(day):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 3, tzinfo=datetime.UTC), tick=False)


def dues(task):
    return [o.due_date for o in task.occurrences.order_by("due_date")]


@pytest.fixture
def plan5(org):
    """A 2021–2025 plan with no reporting rule yet."""
    return PlanFactory(issuer=org["sct"], focal_unit=org["khtcth"], period_start=2021, period_end=2025)


def make(plan5, org, timeframe, due=None, **kw):
    return TaskFactory(plan=plan5, lead_unit=org["qltm"], timeframe=timeframe, due_date=due, **kw)


def test_annual_task_due_05_12_2021_is_due_on_05_12_every_year_of_its_plan(plan5, org):
    task = make(plan5, org, Task.Timeframe.ANNUAL, D(2021, 12, 5))
    assert dues(task) == [D(y, 12, 5) for y in range(2021, 2026)]


def test_annual_task_missed_in_2022_is_overdue_for_2022_not_for_2021(plan5, org):
    task = make(plan5, org, Task.Timeframe.ANNUAL, D(2021, 12, 5))
    on = D(2023, 3, 1)
    assert task.is_overdue(on=on)
    assert task.next_due(on=on) == D(2022, 12, 5)  # the page and the overdue list speak of the same round
    assert list(Task.objects.overdue(on=on)) == [task]
    # 2022 done: no longer overdue; the next date is 2023's, which the page shows.
    TaskOccurrence.objects.filter(task=task, due_date=D(2022, 12, 5)).update(status=Task.Status.DONE)
    assert not task.is_overdue(on=on)
    assert task.next_due(on=on) == D(2023, 12, 5)
    assert list(Task.objects.overdue(on=on)) == []


def test_a_round_is_overdue_the_day_after_it_is_due(plan5, org):
    task = make(plan5, org, Task.Timeframe.ANNUAL, D(2021, 12, 5))
    assert not task.is_overdue(on=D(2024, 12, 5))
    assert task.is_overdue(on=D(2024, 12, 6))


def test_undated_yearly_task_is_due_at_the_plans_yearly_report_deadline(plan5, org):
    task = make(plan5, org, Task.Timeframe.ANNUAL)
    assert dues(task) == [D(y, 12, 31) for y in range(2021, 2026)]  # no rule yet: end of the year
    ReportingRuleFactory(plan=plan5, kind=ReportingRule.Kind.ANNUAL, day=5, month=12, to_unit=org["khtcth"])
    assert dues(task) == [D(y, 12, 5) for y in range(2021, 2026)]
    # Units report to the focal office before it reports on: the earlier yearly deadline is the task's.
    ReportingRuleFactory(plan=plan5, kind=ReportingRule.Kind.UNIT_TO_FOCAL, day=15, month=11, to_unit=org["khtcth"])
    assert dues(task) == [D(y, 11, 15) for y in range(2021, 2026)]
    # The six-month report and the year plan are not yearly reports on the work.
    ReportingRuleFactory(plan=plan5, kind=ReportingRule.Kind.SIX_MONTH, day=5, month=6, to_unit=org["khtcth"])
    assert dues(task) == [D(y, 11, 15) for y in range(2021, 2026)]


def test_the_plan_may_set_its_own_yearly_due_day(plan5, org):
    task = make(plan5, org, Task.Timeframe.REGULAR)
    ReportingRuleFactory(plan=plan5, kind=ReportingRule.Kind.ANNUAL, day=5, month=12, to_unit=org["khtcth"])
    plan5.task_due_day, plan5.task_due_month = 30, 11
    plan5.save()
    assert dues(task) == [D(y, 11, 30) for y in range(2021, 2026)]


def test_yearly_report_due_in_january_covers_the_year_before(plan5, org):
    ReportingRuleFactory(plan=plan5, kind=ReportingRule.Kind.ANNUAL, day=15, month=1, to_unit=org["khtcth"])
    task = make(plan5, org, Task.Timeframe.ANNUAL)
    assert dues(task) == [D(y + 1, 1, 15) for y in range(2021, 2026)]


def test_regular_work_has_a_round_a_year(plan5, org):
    task = make(plan5, org, Task.Timeframe.REGULAR)
    assert [(o.period_start, o.period_end) for o in task.occurrences.order_by("due_date")] == [
        (D(y, 1, 1), D(y, 12, 31)) for y in range(2021, 2026)
    ]
    assert task.occurrences.order_by("due_date").first().label == "Năm 2021"


def test_half_yearly_task_is_due_at_the_end_of_each_half(plan5, org):
    task = make(plan5, org, Task.Timeframe.HALF_YEARLY)
    assert dues(task) == [d for y in range(2021, 2026) for d in (D(y, 6, 30), D(y, 12, 31))]
    assert [o.label for o in task.occurrences.order_by("due_date")[:2]] == [
        "6 tháng đầu năm 2021",
        "6 tháng cuối năm 2021",
    ]


def test_quarterly_task_is_due_at_the_end_of_each_quarter(plan5, org):
    task = make(plan5, org, Task.Timeframe.QUARTERLY)
    assert len(dues(task)) == 20
    assert dues(task)[:5] == [D(2021, 3, 31), D(2021, 6, 30), D(2021, 9, 30), D(2021, 12, 31), D(2022, 3, 31)]
    assert task.next_due(on=D(2024, 5, 10)) == D(2024, 3, 31)  # the first quarter is still open: overdue
    task.occurrences.filter(due_date__lt=D(2024, 5, 10)).update(status=Task.Status.DONE)
    assert task.next_due(on=D(2024, 5, 10)) == D(2024, 6, 30)
    assert task.occurrences.get(due_date=D(2024, 6, 30)).label == "Quý II/2024"


def test_dated_quarterly_task_keeps_its_day_in_the_quarter_from_its_first_quarter(plan5, org):
    task = make(plan5, org, Task.Timeframe.QUARTERLY, D(2023, 2, 15))
    assert dues(task)[:5] == [D(2023, 2, 15), D(2023, 5, 15), D(2023, 8, 15), D(2023, 11, 15), D(2024, 2, 15)]
    assert dues(task)[-1] == D(2025, 11, 15)


def test_monthly_task_is_due_at_each_month_end_leap_years_included(plan5, org):
    task = make(plan5, org, Task.Timeframe.MONTHLY)
    assert len(dues(task)) == 60
    assert D(2024, 2, 29) in dues(task) and D(2023, 2, 28) in dues(task)
    task.occurrences.filter(due_date__lt=D(2024, 2, 10)).update(status=Task.Status.DONE)
    assert task.next_due(on=D(2024, 2, 10)) == D(2024, 2, 29)


def test_dated_monthly_task_on_the_31st_falls_on_each_months_last_day(plan5, org):
    task = make(plan5, org, Task.Timeframe.MONTHLY, D(2025, 1, 31))
    assert dues(task)[:3] == [D(2025, 1, 31), D(2025, 2, 28), D(2025, 3, 31)]


def test_one_off_task_has_one_round(plan5, org):
    task = make(plan5, org, Task.Timeframe.ONCE, D(2024, 11, 15))
    assert dues(task) == [D(2024, 11, 15)]
    assert not task.is_overdue(on=D(2024, 11, 15)) and task.is_overdue(on=D(2024, 11, 16))
    assert task.is_overdue(on=D(2030, 1, 1))  # never done: still overdue years later


def test_last_round_of_a_finished_plan_stays_overdue_until_done(plan5, org):
    task = make(plan5, org, Task.Timeframe.ANNUAL)
    assert task.is_overdue(on=D(2027, 6, 1))
    TaskOccurrence.objects.filter(task=task, due_date=D(2025, 12, 31)).update(status=Task.Status.DONE)
    assert not task.is_overdue(on=D(2027, 6, 1))
    assert task.next_due(on=D(2027, 6, 1)) is None


def test_cancelled_task_is_never_overdue(plan5, org):
    task = make(plan5, org, Task.Timeframe.ANNUAL, status=Task.Status.CANCELLED)
    assert not task.is_overdue(on=D(2023, 3, 1))
    assert not Task.objects.overdue(on=D(2023, 3, 1)).exists()


def test_overdue_queryset_and_model_rule_agree_on_every_day_of_five_years(plan5, org):
    tasks = [
        make(plan5, org, Task.Timeframe.ANNUAL, D(2021, 12, 5)),
        make(plan5, org, Task.Timeframe.QUARTERLY),
        make(plan5, org, Task.Timeframe.HALF_YEARLY),
        make(plan5, org, Task.Timeframe.ONCE, D(2023, 7, 1)),
    ]
    TaskOccurrence.objects.filter(task=tasks[1], due_date__year=2022).update(status=Task.Status.DONE)
    day = D(2021, 1, 1)
    while day <= D(2026, 3, 1):
        overdue = set(Task.objects.overdue(on=day))
        assert {t for t in tasks if t.is_overdue(on=day)} == overdue, day
        day += datetime.timedelta(days=11)


def test_saving_again_creates_nothing_and_a_longer_plan_adds_rounds(plan5, org):
    task = make(plan5, org, Task.Timeframe.ANNUAL, D(2021, 12, 5))
    ids = list(task.occurrences.values_list("pk", flat=True))
    task.save()
    assert schedule.sync_task(task) == 0
    assert list(task.occurrences.values_list("pk", flat=True)) == ids
    plan5.period_end = 2026
    plan5.save()
    assert dues(task)[-1] == D(2026, 12, 5)
    plan5.period_end = 2024
    plan5.save()
    assert dues(task)[-1] == D(2024, 12, 5)


def test_an_update_applies_to_the_current_round_overdue_one_first(plan5, org, people):
    task = make(plan5, org, Task.Timeframe.ANNUAL, D(2021, 12, 5))
    TaskOccurrence.objects.filter(task=task, due_date__year=2021).update(status=Task.Status.DONE, progress=100)
    with _at(D(2023, 3, 1)):
        services.update_task(task, by=people["alice"], status=Task.Status.DONE, progress=100, note="Xong 2022")
        round_2022 = task.occurrences.get(due_date=D(2022, 12, 5))
        assert (round_2022.status, round_2022.progress) == (Task.Status.DONE, 100)
        assert task.updates.get().occurrence == round_2022
        # 2022 closed: the task now reads as its 2023 round, which the next update goes to.
        task.refresh_from_db()
        assert (task.status, task.progress) == (Task.Status.NOT_STARTED, 0)
        services.update_task(task, by=people["alice"], status=Task.Status.IN_PROGRESS, progress=30)
        assert task.occurrences.get(due_date=D(2023, 12, 5)).progress == 30
        assert not task.is_overdue()


def test_nightly_run_shows_each_recurring_task_as_its_current_round(plan5, org, people):
    task = make(plan5, org, Task.Timeframe.ANNUAL, D(2021, 12, 5))
    task.occurrences.filter(due_date__year__lt=2023).update(status=Task.Status.DONE, progress=100)
    with _at(D(2023, 11, 20)):
        services.update_task(task, by=people["alice"], status=Task.Status.DONE, progress=100)
    task.refresh_from_db()
    assert task.status == Task.Status.DONE
    with _at(D(2024, 1, 2)):
        call_command("sync_schedule")
        call_command("sync_schedule")  # twice: nothing more happens
    task.refresh_from_db()
    assert (task.status, task.progress) == (Task.Status.NOT_STARTED, 0)
    assert task.occurrences.get(due_date=D(2023, 12, 5)).status == Task.Status.DONE
    assert task.occurrences.count() == 5


def test_nightly_run_gives_rounds_to_tasks_loaded_in_bulk(plan5, org):
    Task.objects.bulk_create(
        [Task(plan=plan5, lead_unit=org["qltm"], title="Nạp hàng loạt", timeframe=Task.Timeframe.QUARTERLY)]
    )
    assert not TaskOccurrence.objects.exists()
    with _at(D(2022, 1, 1)):
        call_command("sync_schedule")
    assert TaskOccurrence.objects.count() == 20


def test_task_page_lists_the_rounds_and_writes_nothing(client, plan5, org, people):
    task = make(plan5, org, Task.Timeframe.ANNUAL, D(2021, 12, 5))
    before = list(TaskOccurrence.objects.values_list("pk", "status", "due_date", "updated_at"))
    client.force_login(people["alice"])
    with _at(D(2023, 3, 1)):
        page = client.get(f"/tasks/{task.pk}/").content.decode()
    assert list(TaskOccurrence.objects.values_list("pk", "status", "due_date", "updated_at")) == before
    assert "Các kỳ thực hiện" in page
    for year in range(2021, 2026):
        assert f'data-occurrence="{year}-12-05"' in page
    assert "05/12/2022" in page and "Quá hạn" in page
    assert "Cập nhật cho kỳ: Năm 2022 (hạn 05/12/2022)" in page


def test_my_tasks_shows_the_current_rounds_date_and_counts_it_overdue(client, plan5, org, people):
    make(plan5, org, Task.Timeframe.ANNUAL, D(2021, 12, 5), title="Hội chợ hằng năm")
    client.force_login(people["alice"])
    with _at(D(2023, 3, 1)):
        page = client.get("/tasks/?scope=mine").content.decode()
    assert 'data-count="overdue">1</div>' in page
    assert "05/12/2022" in page and "05/12/2021" not in page


def test_unit_report_reads_the_round_of_its_period(plan5, org, people):
    from reporting import services as reporting_services
    from reporting.report import build_unit_context

    rule = ReportingRuleFactory(
        plan=plan5, kind=ReportingRule.Kind.UNIT_TO_FOCAL, day=15, month=11, from_children_of=org["sct"],
        to_unit=org["khtcth"],
    )  # fmt: skip
    task = make(plan5, org, Task.Timeframe.ANNUAL)
    task.occurrences.filter(due_date=D(2024, 11, 15)).update(status=Task.Status.DONE, progress=100)
    deadline = rule.deadline_for(2024)
    with _at(D(2024, 11, 10)):
        submission = reporting_services.start_submission(deadline, org["qltm"])
    row = submission.rows.get(task=task)
    assert (row.status, row.progress) == (Task.Status.DONE, 100)  # the 2024 round, not the task's other years
    rows = build_unit_context(submission)["units"][0]["rows"]
    assert [r["due_date"] for r in rows if r["task"] == task.title] == [D(2024, 11, 15)]
