"""Writes on plans and tasks: verbs under transaction.atomic (views only call these)."""

import hashlib

from django.conf import settings
from django.db import transaction
from django.db.models import F, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.notices import notify
from pci_portal import uploads
from pci_portal.history import record_updates

from . import schedule, signals
from .models import Evidence, Plan, Task, TaskOccurrence, TaskUpdate


class StaleTask(Exception):
    """Someone else updated the task after the form was read; `task` is the fresh row, `changes` what differs."""

    def __init__(self, task, changes):
        super().__init__("stale task")
        self.task = task
        self.changes = changes


def _changes_since(task, version):
    """The updates recorded after `version` was read, newest first (who, when, what)."""
    return list(
        task.updates.filter(kind=TaskUpdate.Kind.UPDATE).select_related("author")[: max(task.version - version, 0)]
    )


@transaction.atomic
def update_task(task, *, by, status, progress, note="", files=(), version=None):
    """Record a progress update with evidence; bumps Task.version.

    With `version` (the version the form was read at), a concurrent update raises StaleTask
    and nothing is written, so the caller can show what changed and keep what was typed.
    """
    qs = Task.objects.filter(pk=task.pk)
    if version is not None:
        qs = qs.filter(version=version)
    claimed = qs.update(
        status=status,
        progress=progress,
        result_note=note or F("result_note"),
        version=F("version") + 1,
        updated_at=timezone.now(),  # update() skips auto_now
    )
    if not claimed:
        fresh = Task.objects.get(pk=task.pk)
        raise StaleTask(fresh, _changes_since(fresh, version))
    # update() (a claim on the version) sends no signal: the audit trail gets its row here.
    record_updates(Task, [task.pk], user=by, reason=_("Cập nhật tiến độ"))
    if files:
        # The UPDATE above holds the task's row; the person's row is locked too, so two uploads at once (on this
        # task or on two of the person's tasks) are counted one after the other, and the second is refused when
        # the first took the quota. A ValidationError rolls the whole update back.
        User.objects.select_for_update().filter(pk=by.pk).values_list("pk", flat=True).first()
        check_evidence_quotas(task, by, files)
    # A recurring task's update is the state of its current round (the overdue one first, else this period's).
    occurrence = task.current()
    if occurrence is not None:
        TaskOccurrence.objects.filter(pk=occurrence.pk).update(
            status=status, progress=progress, result_note=note or F("result_note"), updated_at=timezone.now()
        )
    update = TaskUpdate.objects.create(
        task=task,
        author=by,
        kind=TaskUpdate.Kind.UPDATE,
        status=status,
        progress=progress,
        note=note,
        occurrence=occurrence,
    )
    for f in files:
        attach_evidence(update, f)
    if occurrence is not None and status != Task.Status.CANCELLED:
        # Closing an overdue round makes the next one current: the task reads as that one does.
        schedule.refresh_current(tasks=Task.objects.filter(pk=task.pk))
    task.refresh_from_db()
    return update


def check_evidence_quotas(task, user, files):
    """Raise a ValidationError (Vietnamese) when `files` would take the task's or the person's evidence over its
    quota (settings EVIDENCE_QUOTA_PER_TASK_BYTES, EVIDENCE_QUOTA_PER_USER_BYTES)."""
    incoming = sum(f.size for f in files)
    if task is not None and task.pk:
        used = Evidence.objects.filter(update__task=task).aggregate(s=Sum("size"))["s"]
        uploads.check_quota(
            used,
            incoming,
            settings.EVIDENCE_QUOTA_PER_TASK_BYTES,
            gettext_lazy("Nhiệm vụ đã có %(used)s tệp minh chứng; tổng dung lượng của một nhiệm vụ tối đa là %(max)s."),
        )
    if user is not None and user.pk:
        used = Evidence.objects.filter(update__author=user).aggregate(s=Sum("size"))["s"]
        uploads.check_quota(
            used,
            incoming,
            settings.EVIDENCE_QUOTA_PER_USER_BYTES,
            gettext_lazy("Bạn đã tải lên %(used)s tệp minh chứng; dung lượng tối đa của mỗi người là %(max)s."),
        )


def attach_evidence(update, upload):
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return Evidence.objects.create(
        update=update,
        file=upload,
        original_name=upload.name[:255],
        content_type=getattr(upload, "checked_content_type", "") or upload.content_type or "",
        size=upload.size,
        sha256=digest.hexdigest(),
    )


@transaction.atomic
@transaction.atomic
def comment_task(task, *, by, note):
    """A comment (coordinating units, leadership): history only, the task's state is untouched.

    A leader's comment is direction: the lead unit's head and the task's assignees are notified.
    """
    update = TaskUpdate.objects.create(task=task, author=by, kind=TaskUpdate.Kind.COMMENT, note=note)
    if by.role == User.Role.LEADER:
        heads = User.objects.filter(role=User.Role.UNIT_HEAD, is_active=True, unit_id=task.lead_unit_id)
        people = {u.pk: u for u in [*heads, *task.assignees.filter(is_active=True)] if u.pk != by.pk}
        url = reverse("plans:task_detail", args=[task.pk])
        title = _("Ý kiến chỉ đạo của %(name)s: %(title)s") % {"name": by.get_full_name(), "title": task.title[:180]}
        for user in people.values():
            notify(user, title, body=note, url=url)
    return update


@transaction.atomic
def assign_task(task, *, by, users, note=""):
    """Give the task to people of the unit; the newly assigned are notified."""
    current = set(task.assignees.values_list("pk", flat=True))
    task.assignees.set(users)
    names = ", ".join(u.get_full_name() for u in users) or _("(không ai)")
    text = _("Phân công: %(names)s") % {"names": names}
    update = TaskUpdate.objects.create(
        task=task, author=by, kind=TaskUpdate.Kind.ASSIGNMENT, note=f"{text}\n{note}".strip()
    )
    url = reverse("plans:task_detail", args=[task.pk])
    for user in users:
        if user.pk not in current:
            notify(
                user,
                _("Bạn được giao nhiệm vụ: %(title)s") % {"title": task.title[:200]},
                body=note,
                url=url,
            )
    Task.objects.filter(pk=task.pk).update(version=F("version") + 1, updated_at=timezone.now())
    return update


@transaction.atomic
def archive_task(task, *, by, reason=""):
    """Take a task out of the plan's work without deleting it: it becomes cancelled, keeps its history and
    evidence, and the change is recorded (who, when, why) in its history and the audit trail.

    A task is never hard-deleted: its updates are the record of what a unit reported it had done.
    """
    locked = Task.objects.select_for_update().get(pk=task.pk)
    if locked.status == Task.Status.CANCELLED:
        return None
    locked.status = Task.Status.CANCELLED
    locked.version += 1
    locked.save(update_fields=["status", "version", "updated_at"])
    note = _("Nhiệm vụ được lưu trữ (hủy bỏ) khỏi kế hoạch.")
    if reason:
        note = f"{note}\n{reason}"
    update = TaskUpdate.objects.create(
        task=locked, author=by, kind=TaskUpdate.Kind.UPDATE, status=Task.Status.CANCELLED, progress=locked.progress,
        note=note,
    )  # fmt: skip
    task.refresh_from_db()
    return update


@transaction.atomic
def save_plan(form):
    """Save a plan's fields; a changed period brings the deadlines of its reporting rules along."""
    plan = form.save()
    if {"period_start", "period_end"} & set(form.changed_data):
        signals.plan_period_changed.send(sender=Plan, plan=plan)
    return plan


@transaction.atomic
@transaction.atomic
def save_target(form, formset):
    """The target, its group of sub-indices (members keep their stated baselines) and its goals, together."""
    target = form.save()
    members = list(form.cleaned_data.get("members") or [])
    if members or target.subindex_group.exists():
        target.subindex_group.set(members)
    formset.instance = target
    formset.save()
    return target


def new_plan_key(issuer, number="", year=None):
    """A stable, unique, ASCII key for a new plan: issuer code, number or year, and a counter if taken."""
    from django.utils.text import slugify

    from .models import Plan

    head = slugify(f"{issuer.code}-{number.split('/')[0] if number else ''}-{year or ''}")[:50].strip("-")
    key, n = head or "plan", 1
    while Plan.objects.filter(key=key).exists():
        n += 1
        key = f"{head}-{n}"
    return key


@transaction.atomic
def create_plan(form, *, by=None):
    """Create a plan from PlanCreateForm; its reporting rules come later, so there is nothing else to sync."""
    plan = form.save(commit=False)
    plan.key = new_plan_key(plan.issuer, plan.number, plan.period_start)
    plan.save()
    form.save_m2m()
    return plan


@transaction.atomic
def add_tasks(
    plan, *, section, lines, lead_unit, coordinating_units=(), leader=None, timeframe, timeframe_text="", due_date=None
):
    """Add one task per pasted line to `section` (after its tasks), all sharing units, leader and time."""
    from django.db.models import Max

    from .models import Task

    start = (plan.tasks.aggregate(m=Max("order"))["m"] or 0) + 1
    created = []
    for offset, text in enumerate(lines):
        task = Task.objects.create(
            plan=plan,
            section=section,
            order=start + offset,
            title=_short_title(text),
            description=text,
            lead_unit=lead_unit,
            leader=leader,
            timeframe=timeframe,
            timeframe_text=timeframe_text,
            due_date=due_date,
        )
        task.coordinating_units.set(coordinating_units)
        if section is not None:
            task.subindices.set(section.subindices.all())
        created.append(task)
    return created


def _short_title(text, limit=120):
    """A task's title from its text: the first clause, cut at a word boundary."""
    from django.utils.text import Truncator

    first = text.split(";")[0].split(". ")[0].strip().rstrip(".;:")
    return Truncator(first or text).chars(limit)
