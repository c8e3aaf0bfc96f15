"""Task rules: due dates, overdue state on a given date, the append-only history, who sees what."""

import datetime

import pytest
import time_machine

from plans.models import Task
from tests.factories import PlanFactory, TaskFactory, TaskUpdateFactory

pytestmark = pytest.mark.django_db

NOV_15 = datetime.date(2024, 11, 15)


def test_task_due_15_11_is_not_overdue_on_its_due_date_but_is_the_day_after(task):
    task.timeframe, task.due_date = Task.Timeframe.ONCE, NOV_15
    task.save()
    assert not task.is_overdue(on=NOV_15)
    assert task.is_overdue(on=NOV_15 + datetime.timedelta(days=1))


def test_finished_or_cancelled_task_is_never_overdue(task):
    task.due_date = NOV_15
    for status in (Task.Status.DONE, Task.Status.CANCELLED):
        task.status = status
        assert not task.is_overdue(on=datetime.date(2025, 1, 1))


def test_regular_task_without_a_date_is_never_overdue(task):
    task.timeframe, task.due_date = Task.Timeframe.REGULAR, None
    assert not task.is_overdue(on=datetime.date(2030, 1, 1))
    assert task.next_due(on=datetime.date(2030, 1, 1)) is None


def test_overdue_queryset_agrees_with_the_model_rule(task, plan, org):
    late = TaskFactory(plan=plan, lead_unit=org["qltm"], timeframe=Task.Timeframe.ONCE, due_date=NOV_15)
    TaskFactory(plan=plan, lead_unit=org["qltm"], due_date=NOV_15, status=Task.Status.DONE)
    TaskFactory(plan=plan, lead_unit=org["qltm"], due_date=datetime.date(2024, 12, 31))
    on = datetime.date(2024, 11, 20)
    overdue = list(Task.objects.overdue(on=on))
    assert overdue == [late]
    assert all(t.is_overdue(on=on) == (t in overdue) for t in Task.objects.all())


def _done_before(task, day):
    """Every round of the task due before `day` is done (plans.schedule)."""
    task.occurrences.filter(due_date__lt=day).update(status=Task.Status.DONE, progress=100)


def test_annual_task_is_next_due_on_its_day_this_year_or_next(task):
    task.timeframe, task.due_date = Task.Timeframe.ANNUAL, datetime.date(2021, 12, 5)
    task.save()
    _done_before(task, datetime.date(2023, 3, 1))
    assert task.next_due(on=datetime.date(2023, 3, 1)) == datetime.date(2023, 12, 5)
    _done_before(task, datetime.date(2023, 12, 6))
    assert task.next_due(on=datetime.date(2023, 12, 6)) == datetime.date(2024, 12, 5)


def test_quarterly_task_is_due_at_the_end_of_the_quarter(task):
    task.timeframe = Task.Timeframe.QUARTERLY
    task.save()
    _done_before(task, datetime.date(2024, 5, 10))
    assert task.next_due(on=datetime.date(2024, 5, 10)) == datetime.date(2024, 6, 30)


def test_history_is_append_only(task, people):
    update = TaskUpdateFactory(task=task, author=people["alice"])
    update.note = "sửa lại"
    with pytest.raises(ValueError):
        update.save()


def test_history_lists_newest_first(task, people):
    first = TaskUpdateFactory(
        task=task, author=people["alice"], created_at=datetime.datetime(2024, 5, 1, tzinfo=datetime.UTC)
    )
    second = TaskUpdateFactory(
        task=task, author=people["bob"], created_at=datetime.datetime(2024, 6, 1, tzinfo=datetime.UTC)
    )
    assert list(task.updates.all()) == [second, first]


def test_officials_see_their_agencys_tasks_and_not_another_agencys(task, people, org):
    other = TaskFactory(plan=PlanFactory(issuer=org["stp"]), lead_unit=org["stp_hc"])
    assert task in Task.objects.visible_to(people["alice"])
    assert task in Task.objects.visible_to(people["frank"])  # same agency, other division
    assert other not in Task.objects.visible_to(people["alice"])
    assert task not in Task.objects.visible_to(people["eve"])
    assert {task, other} <= set(Task.objects.visible_to(people["admin"]))


def test_recurring_task_has_no_next_date_after_its_plan_ends(task):
    task.timeframe, task.due_date = Task.Timeframe.ANNUAL, None  # the plan runs 2021–2025
    task.save()
    _done_before(task, datetime.date(2025, 3, 1))
    assert task.next_due(on=datetime.date(2025, 3, 1)) == datetime.date(2025, 12, 31)
    _done_before(task, datetime.date(2026, 1, 1))
    assert task.next_due(on=datetime.date(2026, 1, 10)) is None


def test_task_page_says_when_a_recurring_task_has_no_date_left(client, task, people):
    task.timeframe, task.due_date = Task.Timeframe.ANNUAL, None  # the plan runs 2021–2025
    task.save()
    _done_before(task, datetime.date(2026, 1, 1))
    with time_machine.travel(datetime.datetime(2026, 1, 10, 9, tzinfo=datetime.UTC), tick=False):
        client.force_login(people["alice"])
        page = client.get(f"/tasks/{task.pk}/").content.decode()
    assert "Không còn hạn: kế hoạch đã kết thúc" in page
