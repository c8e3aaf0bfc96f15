"""Writes on periodic reports: each verb runs under transaction.atomic; e-mails go out on commit."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from accounts.notices import notify
from plans.models import Task, TaskUpdate

from .models import RenderedReport, Submission, SubmissionRow


def tasks_led_by(deadline, unit):
    return (
        Task.objects.filter(plan=deadline.rule.plan, lead_unit__path__startswith=unit.path)
        .exclude(status=Task.Status.CANCELLED)
        .select_related("section")
        .order_by("section__order", "order", "id")
    )


class StaleReport(Exception):
    """Someone else saved the report after the form was read: nothing was written; `submission` is fresh."""

    def __init__(self, submission):
        super().__init__("stale report")
        self.submission = submission


def proposed_rows(deadline, unit, submission=None):
    """Unsaved rows for the tasks the unit leads that have no row yet, prefilled from the task updates of the
    deadline's period (a task without one: as it stands now). Reading only: nothing is written."""
    have = set(submission.rows.values_list("task_id", flat=True)) if submission is not None and submission.pk else set()
    tasks = [t for t in tasks_led_by(deadline, unit) if t.pk not in have]
    if not tasks:
        return []
    updates = {}
    for update in (
        TaskUpdate.objects.filter(
            task__in=tasks,
            kind=TaskUpdate.Kind.UPDATE,
            created_at__date__gte=deadline.period_start,
            created_at__date__lte=deadline.period_end,
        )
        .order_by("created_at", "id")
        .only("task_id", "status", "progress", "note", "created_at")
    ):
        updates.setdefault(update.task_id, []).append(update)
    start = (submission.rows.aggregate(m=Max("order"))["m"] or 0) if have else 0
    rows = []
    for i, task in enumerate(tasks, start=start + 1):
        in_period = updates.get(task.pk, [])
        status = next((u.status for u in reversed(in_period) if u.status), "") or task.status
        progress = next((u.progress for u in reversed(in_period) if u.progress is not None), None)
        if progress is None:
            progress = task.progress
        notes = [f"{timezone.localtime(u.created_at):%d/%m/%Y}: {u.note.strip()}" for u in in_period if u.note.strip()]
        results = "\n".join(notes) or task.result_note
        rows.append(
            SubmissionRow(submission=submission, task=task, order=i, status=status, progress=progress, results=results)
        )
    return rows


def prefill_rows(submission):
    """Save the proposed rows of a submission (see proposed_rows)."""
    rows = proposed_rows(submission.deadline, submission.unit, submission)
    for row in rows:
        row.submission = submission
    return SubmissionRow.objects.bulk_create(rows)


def _lock_deadline(deadline):
    # Two first saves of one unit's report (two tabs) queue here instead of racing to insert the same row.
    type(deadline).objects.select_for_update().filter(pk=deadline.pk).first()


@transaction.atomic
def start_submission(deadline, unit):
    """The unit's report for the deadline, created as a prefilled draft (a write: only on a save, never a GET)."""
    _lock_deadline(deadline)
    submission, created = Submission.objects.get_or_create(deadline=deadline, unit=unit)
    if submission.is_editable:
        prefill_rows(submission)
    return submission


def _locked(submission):
    return Submission.objects.select_for_update().get(pk=submission.pk)


def _bump(locked, fields):
    locked.version += 1
    locked.save(update_fields=[*fields, "version", "updated_at"])


def _review(locked, by, status, reason=""):
    """The focal office's decision on a locked submission: returned with a reason, or accepted."""
    locked.status = status
    locked.returned_reason = reason
    locked.reviewed_at = timezone.now()
    locked.reviewed_by = by
    _bump(locked, ["status", "returned_reason", "reviewed_at", "reviewed_by"])


ROW_FIELDS = ["status", "progress", "results", "difficulties", "proposals"]
TEXT_FIELDS = ["summary", "difficulties", "proposals"]


def _write(locked, fields, rows_by_task):
    if not locked.is_editable:
        raise ValidationError(gettext("Báo cáo đã gửi, không thể sửa. Đề nghị đơn vị đầu mối trả lại nếu cần sửa."))
    for name, value in (fields or {}).items():
        if name in TEXT_FIELDS:
            setattr(locked, name, value)
    _bump(locked, TEXT_FIELDS)
    if not rows_by_task:
        return
    existing = {row.task_id: row for row in locked.rows.all()}
    allowed = set(tasks_led_by(locked.deadline, locked.unit).values_list("pk", flat=True)) | set(existing)
    order = max((r.order for r in existing.values()), default=0)
    changed, new = [], []
    for task_id, values in rows_by_task.items():
        values = {k: v for k, v in values.items() if k in ROW_FIELDS}
        if task_id in existing:
            row = existing[task_id]
            for name, value in values.items():
                setattr(row, name, value)
            changed.append(row)
        elif task_id in allowed:
            order += 1
            new.append(SubmissionRow(submission=locked, task_id=task_id, order=order, **values))
    if changed:
        SubmissionRow.objects.bulk_update(changed, ROW_FIELDS)
    if new:
        SubmissionRow.objects.bulk_create(new)


@transaction.atomic
def save_report(deadline, unit, by, fields=None, rows=None, version=None):
    """Save what the unit's report form holds: the free text and the rows (`{task id: {field: value}}`).

    The first save creates the draft. With `version` (the one the form was read at; 0 before the first save),
    a save by someone else in between raises StaleReport and nothing is written.
    """
    _lock_deadline(deadline)
    submission = Submission.objects.select_for_update().filter(deadline=deadline, unit=unit).first()
    if version is not None and version != (submission.version if submission else 0):
        raise StaleReport(submission)
    if submission is None:
        submission = Submission.objects.create(deadline=deadline, unit=unit)
        submission = _locked(submission)
    _write(submission, fields, rows)
    submission.refresh_from_db()
    return submission


@transaction.atomic
def save_draft(submission, by, fields=None, rows=None, version=None):
    """Save the free text and the rows (`{row_id: {field: value}}`) of an editable report."""
    locked = _locked(submission)
    if version is not None and version != locked.version:
        raise StaleReport(locked)
    by_task = None
    if rows:
        tasks = dict(locked.rows.filter(pk__in=list(rows)).values_list("pk", "task_id"))
        by_task = {tasks[pk]: values for pk, values in rows.items() if pk in tasks}
    _write(locked, fields, by_task)
    submission.refresh_from_db()
    return submission


@transaction.atomic
def submit_report(submission, by):
    locked = _locked(submission)
    if not locked.is_editable:
        raise ValidationError(gettext("Báo cáo này đã được gửi."))
    locked.status = Submission.Status.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.submitted_by = by
    _bump(locked, ["status", "submitted_at", "submitted_by"])
    deadline = locked.deadline
    url = reverse("reporting:tracker", args=[deadline.pk])
    for user in User.objects.filter(
        role=User.Role.FOCAL, is_active=True, unit__path__startswith=deadline.rule.to_unit.path
    ):
        title = gettext("%(unit)s đã gửi báo cáo: %(title)s") % {"unit": locked.unit, "title": deadline.rule.title}
        notify(user, title, url=url)
    submission.refresh_from_db()
    return submission


@transaction.atomic
def return_report(submission, by, reason):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(gettext("Vui lòng nêu lý do trả lại báo cáo."))
    locked = _locked(submission)
    if not locked.can_be_returned:
        raise ValidationError(gettext("Chỉ trả lại được báo cáo đã gửi."))
    _review(locked, by, Submission.Status.RETURNED, reason)
    deadline = locked.deadline
    url = reverse("reporting:submission", args=[deadline.pk, locked.unit_id])
    recipients = set(User.objects.filter(role=User.Role.UNIT_HEAD, is_active=True, unit=locked.unit))
    if locked.submitted_by and locked.submitted_by.is_active:
        recipients.add(locked.submitted_by)
    title = gettext("Báo cáo bị trả lại: %(title)s") % {"title": deadline.rule.title}
    for user in sorted(recipients, key=lambda u: u.pk):
        notify(
            user,
            title,
            body=reason,
            url=url,
            email=(
                "report-returned",
                {"submission": locked, "deadline": deadline, "reason": reason, "by": by, "url": url},
            ),
        )
    submission.refresh_from_db()
    return submission


@transaction.atomic
def accept_report(submission, by):
    locked = _locked(submission)
    if not locked.can_be_reviewed:
        raise ValidationError(gettext("Chỉ tiếp nhận được báo cáo đã gửi."))
    _review(locked, by, Submission.Status.ACCEPTED)
    submission.refresh_from_db()
    return submission


@transaction.atomic
def request_render(deadline, fmt, by=None, submission=None):
    """A new version of the report in `fmt`, rendered by a Celery task once this transaction commits."""
    from .tasks import enqueue_render

    # Lock the deadline so two requests cannot take the same version number.
    type(deadline).objects.select_for_update().filter(pk=deadline.pk).first()
    last = RenderedReport.objects.filter(deadline=deadline, submission=submission, format=fmt).aggregate(
        m=Max("version")
    )["m"]
    rendered = RenderedReport.objects.create(
        deadline=deadline, submission=submission, format=fmt, version=(last or 0) + 1, created_by=by
    )
    # With the broker down the row is marked failed (with a Vietnamese message), not left pending.
    transaction.on_commit(lambda: enqueue_render(rendered.pk))
    return rendered


@transaction.atomic
def retry_render(rendered, by=None):
    """Run a failed render again, as the same version: pending, then queued once this transaction commits."""
    from .tasks import enqueue_render

    updated = RenderedReport.objects.filter(pk=rendered.pk, status=RenderedReport.Status.FAILED).update(
        status=RenderedReport.Status.PENDING,
        progress=0,
        error="",
        started_at=None,
        finished_at=None,
        created_at=timezone.now(),
        created_by=by or rendered.created_by,
    )
    if not updated:
        raise ValidationError(gettext("Chỉ thử lại được tệp tạo bị lỗi."))
    transaction.on_commit(lambda: enqueue_render(rendered.pk))
    return rendered


@transaction.atomic
def save_reporting_rule(rule, form=None):
    """Save a reporting rule; create the deadlines of the plan's years and move those still to come.

    Past deadlines, and any a unit has already reported on, keep their dates: moving them would turn
    a report sent on time into a late one.
    """
    if form is not None:
        rule = form.save()
    for year in rule.plan.years:
        rule.deadline_for(year)
    rule.sync_deadlines()
    rule.deadlines.exclude(year__in=list(rule.plan.years)).filter(submissions__isnull=True).delete()
    return rule


def follow_plan_period(sender, plan, **kwargs):
    """A plan's period changed (plans.signals.plan_period_changed): its rules' deadlines follow."""
    for rule in plan.reporting_rules.all():
        save_reporting_rule(rule)
