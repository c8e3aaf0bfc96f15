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

from .models import RenderedReport, ReportingRule, Submission, SubmissionRow


def tasks_led_by(deadline, unit):
    return (
        Task.objects.filter(plan=deadline.rule.plan, lead_unit__path__startswith=unit.path)
        .exclude(status=Task.Status.CANCELLED)
        .select_related("section")
        .order_by("section__order", "order", "id")
    )


def prefill_rows(submission):
    """Rows for the tasks the unit leads that have none yet, from the task updates of the deadline's period."""
    deadline = submission.deadline
    have = set(submission.rows.values_list("task_id", flat=True))
    tasks = [t for t in tasks_led_by(deadline, submission.unit) if t.pk not in have]
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
    rows = []
    start = max((submission.rows.aggregate(m=Max("order"))["m"] or 0), 0)
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
    return SubmissionRow.objects.bulk_create(rows)


@transaction.atomic
def start_submission(deadline, unit):
    """The unit's report for the deadline, created as a prefilled draft the first time it is opened."""
    submission, created = Submission.objects.get_or_create(deadline=deadline, unit=unit)
    if submission.is_editable:
        prefill_rows(submission)
    return submission


def _locked(submission):
    return Submission.objects.select_for_update().get(pk=submission.pk)


def _review(locked, by, status, reason=""):
    """The focal office's decision on a locked submission: returned with a reason, or accepted."""
    locked.status = status
    locked.returned_reason = reason
    locked.reviewed_at = timezone.now()
    locked.reviewed_by = by
    locked.save(update_fields=["status", "returned_reason", "reviewed_at", "reviewed_by", "updated_at"])


@transaction.atomic
def save_draft(submission, by, fields=None, rows=None):
    """Save the free text and the rows (`{row_id: {field: value}}`) of an editable report."""
    locked = _locked(submission)
    if not locked.is_editable:
        raise ValidationError(gettext("Báo cáo đã gửi, không thể sửa. Đề nghị đơn vị đầu mối trả lại nếu cần sửa."))
    for name, value in (fields or {}).items():
        if name in ("summary", "difficulties", "proposals"):
            setattr(locked, name, value)
    locked.save()
    if rows:
        objs = list(locked.rows.filter(pk__in=list(rows)))
        for row in objs:
            for name, value in rows[row.pk].items():
                setattr(row, name, value)
        SubmissionRow.objects.bulk_update(objs, ["status", "progress", "results", "difficulties", "proposals"])
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
    locked.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
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


def rules_of_imported_plan(sender, *, plan, draft, unit, **kwargs):
    """The reporting rules a plan document set out (plans.signals.plan_imported), with their deadlines."""
    from accounts.models import Unit

    for order, r in enumerate(draft.reporting_rules):
        to = unit(r.to) if r.to else None
        rule = ReportingRule.objects.create(
            plan=plan,
            kind=r.kind,
            title=r.title[:255] or r.text[:255],
            day=r.day,
            month=r.month,
            from_children_of=Unit.objects.get(code=r.from_children_of) if r.from_children_of else None,
            to_unit=to or plan.focal_unit or plan.issuer,
            text=r.text,
            order=order,
        )
        rule.from_units.set(Unit.objects.filter(code__in=r.from_units))
        save_reporting_rule(rule)
