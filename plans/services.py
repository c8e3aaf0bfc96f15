"""Writes on plans and tasks: verbs under transaction.atomic (views only call these)."""

import hashlib

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.notices import notify

from . import signals
from .models import Evidence, Plan, Task, TaskUpdate


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
    update = TaskUpdate.objects.create(
        task=task, author=by, kind=TaskUpdate.Kind.UPDATE, status=status, progress=progress, note=note
    )
    for f in files:
        attach_evidence(update, f)
    task.refresh_from_db()
    return update


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
def save_target(form, formset):
    target = form.save()
    formset.instance = target
    formset.save()
    return target
