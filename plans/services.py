"""Writes on plans and tasks: verbs under transaction.atomic (views only call these)."""

import hashlib

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.notices import notify

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
def delete_task(task):
    """Delete a task with its history; its evidence files leave the disk once the deletion is committed."""
    files = [(e.file.storage, e.file.name) for e in Evidence.objects.filter(update__task=task)]
    task.delete()

    def remove_files():
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(remove_files)


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
