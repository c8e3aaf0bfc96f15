"""The one schedule of recurring work: the rounds (occurrences) of each task, made from its plan and timeframe.

`rounds(task)` says which periods a task has and when each is due; `sync_task` makes them rows
(idempotently: run it as often as you like); `run_daily` is the nightly job (Celery task and
`manage.py sync_schedule`). Everything that asks "when is this due" or "is this overdue" reads the rows:
`Task.next_due(on)`, `Task.is_overdue(on)`, `Task.objects.overdue(on)` and `TaskOccurrence.objects.overdue(on)`.

How a round's due date is found:
- one-off task: its due date, one round;
- a task with a date that recurs: the same place in each period as the date in its own period (annual task due
  05/12/2021 → 05/12 every year; quarterly task due 15/02 → 15/02, 15/05, 15/08, 15/11), from that period on;
- an undated yearly task ("Hàng năm", "Thường xuyên"): the plan's own yearly due day if it states one, else the
  plan's yearly report deadline (the earliest: units report to the focal office before it reports on), else 31/12;
- an undated half-yearly, quarterly or monthly task: the last day of each period.
"""

import datetime

from dateutil.relativedelta import relativedelta
from dateutil.rrule import MONTHLY, rrule
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from .models import Task, TaskOccurrence

MONTHS = {
    Task.Timeframe.ANNUAL: 12,
    Task.Timeframe.REGULAR: 12,
    Task.Timeframe.HALF_YEARLY: 6,
    Task.Timeframe.QUARTERLY: 3,
    Task.Timeframe.MONTHLY: 1,
}
# Reporting rule kinds (reporting.ReportingRule.Kind) that report on a whole year; named here by value
# because plans sits below reporting.
YEARLY_REPORT_KINDS = ("annual", "unit_to_focal", "focal_to_province")
NOT_STARTED = Task.Status.NOT_STARTED


def _day(year, month, day):
    return datetime.date(year, month, 1) + relativedelta(day=day)  # 29/02 → 28/02 in a common year


def yearly_due(plan, year, rules=None):
    """When the round of `year` of an undated yearly task of `plan` is due."""
    if plan.task_due_month and plan.task_due_day:
        return _day(year, plan.task_due_month, plan.task_due_day)
    rules = plan.reporting_rules.all() if rules is None else rules
    dates = []
    for rule in rules:
        if rule.kind in YEARLY_REPORT_KINDS:
            # A yearly report due early in a year (31/01) reports on the year before it.
            report_year = year if (rule.month, rule.day) >= (6, 15) else year + 1
            dates.append(_day(report_year, rule.month, rule.day))
    return min(dates) if dates else datetime.date(year, 12, 31)


def rounds(task, rules=None):
    """[(period_start, period_end, due_date)] of the task over its plan's period, in order."""
    plan = task.plan
    first, last = datetime.date(plan.period_start, 1, 1), datetime.date(plan.period_end, 12, 31)
    if task.timeframe == Task.Timeframe.ONCE or task.timeframe not in MONTHS:
        if not task.due_date:
            return []
        return [(min(first, task.due_date), task.due_date, task.due_date)]
    months = MONTHS[task.timeframe]
    anchor = task.due_date
    if anchor:
        anchor_period = datetime.date(anchor.year, (anchor.month - 1) // months * months + 1, 1)
        offset = relativedelta(months=anchor.month - anchor_period.month, day=anchor.day)
    out = []
    for dt in rrule(MONTHLY, interval=months, dtstart=first, until=last):
        start = dt.date()
        end = start + relativedelta(months=months, days=-1)
        if anchor:
            if start < anchor_period:
                continue  # a dated task starts with the period of its date
            due = start + offset
        elif months == 12:
            due = yearly_due(plan, start.year, rules)
        else:
            due = end
        out.append((start, end, due))
    if not out and anchor:
        # Dated after its plan ends: that one period, so it is still reminded and can still be overdue.
        out.append((anchor_period, anchor_period + relativedelta(months=months, days=-1), anchor))
    return out


def sync_task(task, rules=None, occurrences=None):
    """Make the task's rounds rows: create the missing, move the moved, drop those no longer in the schedule.

    A task's first rounds take the state it was saved with (a task entered as done is done in every round);
    rounds added later start not started. A dropped round's updates stay in the task's history.
    Returns the number of rows written.
    """
    wanted = rounds(task, rules)
    existing = {o.period_start: o for o in (task.occurrences.all() if occurrences is None else occurrences)}
    initial = not existing
    state = {"status": task.status, "progress": task.progress} if initial else {"status": NOT_STARTED, "progress": 0}
    create, update = [], []
    for i, (start, end, due) in enumerate(wanted):
        lapses = wanted[i + 1][2] if i + 1 < len(wanted) else None
        occurrence = existing.pop(start, None)
        if occurrence is None:
            create.append(
                TaskOccurrence(task=task, period_start=start, period_end=end, due_date=due, lapses_on=lapses, **state)
            )
        elif (occurrence.period_end, occurrence.due_date, occurrence.lapses_on) != (end, due, lapses):
            occurrence.period_end, occurrence.due_date, occurrence.lapses_on = end, due, lapses
            update.append(occurrence)
    if create:
        TaskOccurrence.objects.bulk_create(create, ignore_conflicts=True)
    if update:
        TaskOccurrence.objects.bulk_update(update, ["period_end", "due_date", "lapses_on"])
    if existing:
        TaskOccurrence.objects.filter(pk__in=[o.pk for o in existing.values()]).delete()
    return len(create) + len(update) + len(existing)


def sync_tasks(tasks):
    """sync_task for many tasks, reading each plan's reporting rules once."""
    rules_of = {}
    written = 0
    tasks = tasks.select_related("plan").prefetch_related(
        Prefetch("occurrences", queryset=TaskOccurrence.objects.order_by())
    )
    for task in tasks.iterator(chunk_size=500):
        if task.plan_id not in rules_of:
            rules_of[task.plan_id] = list(task.plan.reporting_rules.all())
        written += sync_task(task, rules_of[task.plan_id], list(task.occurrences.all()))
    return written


def sync_plan(plan):
    """After a plan's period, yearly due day or reporting rules change."""
    return sync_tasks(Task.objects.filter(plan=plan))


def refresh_current(on=None, tasks=None):
    """Each recurring task shows the state of its current round: in a new year an annual task done last year
    reads "not started" again. Cancelled tasks stay cancelled. Returns the number of tasks changed."""
    on = on or timezone.localdate()
    tasks = (Task.objects.all() if tasks is None else tasks).exclude(status=Task.Status.CANCELLED)
    tasks = tasks.exclude(timeframe=Task.Timeframe.ONCE).with_schedule(on)
    changed = []
    current_of = {}
    for task in tasks.filter(current_due__isnull=False).only("pk", "status", "progress").iterator(chunk_size=500):
        current_of[task.pk] = task
    if not current_of:
        return 0
    occurrences = TaskOccurrence.objects.filter(task_id__in=current_of).current_first(on)
    seen = set()
    for o in occurrences.only("task_id", "status", "progress").order_by("task_id", "rank", "due_date", "pk"):
        if o.task_id in seen:
            continue
        seen.add(o.task_id)
        task = current_of[o.task_id]
        if (task.status, task.progress) != (o.status, o.progress):
            task.status, task.progress = o.status, o.progress
            changed.append(task)
    Task.objects.bulk_update(changed, ["status", "progress"], batch_size=500)
    return len(changed)


@transaction.atomic
def run_daily(on=None):
    """The nightly job: every task's rounds as rows (catching up whatever a bulk load skipped), then each
    recurring task showing its current round. Idempotent."""
    written = sync_tasks(Task.objects.all())
    changed = refresh_current(on)
    return {"occurrences_written": written, "tasks_refreshed": changed}
