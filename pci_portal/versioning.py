"""A version check for edit forms: the later of two concurrent saves does not silently win.

`VersionCheckMixin` (first base of a ModelForm) adds a hidden `edit_version`: a short fingerprint of each field
the form edits, as stored when the form was shown. On POST the form's instance is read afresh from the database;
when a field the form edits has changed since, the form answers with a Vietnamese message naming what changed,
keeps everything typed, and carries the fresh version, so a deliberate second "Lưu" goes through (as the task
update form does with Task.version). Fields the form does not edit (a task's progress) never conflict.
No schema change: the version is computed from the stored values.

Two saves at the same moment: a bound form inside a transaction reads its row with SELECT … FOR UPDATE, so the
second save waits until the first has committed and then compares against it. Edit views run their POST in one
transaction for this (`@atomic_post`); outside a transaction (a script) the form reads the row plainly.
"""

import functools
import hashlib
import json

from django import forms
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

FIELD = "edit_version"


def _normal(value):
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, list | tuple | set) or hasattr(value, "__iter__") and not isinstance(value, str | bytes):
        try:
            return sorted(_normal(v) for v in value)
        except TypeError:
            return [_normal(v) for v in value]
    return str(value) if value is not None else None


def fingerprint(values, names):
    """ "name:hash" pairs of the stored values of the fields `names` (hash: 8 hex digits)."""
    parts = []
    for name in names:
        digest = hashlib.sha256(json.dumps(_normal(values.get(name)), default=str).encode()).hexdigest()[:8]
        parts.append(f"{name}:{digest}")
    return ",".join(parts)


def _parse(version):
    pairs = {}
    for part in (version or "").split(","):
        name, sep, digest = part.partition(":")
        if sep:
            pairs[name] = digest
    return pairs


class VersionCheckMixin:
    """For ModelForms that edit an existing row: refuse a save over someone else's change (see module doc)."""

    version_error = _(
        "Nội dung này vừa được người khác sửa trong lúc bạn nhập (%(fields)s). Nội dung bạn nhập vẫn được giữ "
        "nguyên bên dưới: hãy xem lại rồi bấm “Lưu” lần nữa nếu vẫn muốn lưu."
    )

    def __init__(self, *args, **kwargs):
        instance = kwargs.get("instance")
        bound = (args[0] if args else kwargs.get("data")) is not None
        if bound and instance is not None and instance.pk and transaction.get_connection().in_atomic_block:
            # Locked until the save commits: a second save of the same row waits here, then sees this one.
            kwargs["instance"] = type(instance)._base_manager.select_for_update().get(pk=instance.pk)
        super().__init__(*args, **kwargs)
        self._checked_names = [n for n in self.fields if n != FIELD]
        self.fields[FIELD] = forms.CharField(widget=forms.HiddenInput, required=False, max_length=4000)
        self.current_version = fingerprint(self._stored_values(), self._checked_names)
        self.initial[FIELD] = self.current_version

    def _stored_values(self):
        """The instance's stored values of the form's fields (ModelForm puts them in `initial`)."""
        if self.instance is None or self.instance._state.adding:
            return {}
        return {name: self.initial.get(name) for name in self._checked_names}

    def clean(self):
        data = super().clean()
        if self.instance is None or self.instance._state.adding:
            return data
        sent = _parse(self.data.get(self.add_prefix(FIELD)))
        if not sent:
            return data  # a form from before the check existed, or a script: nothing to compare
        now = _parse(self.current_version)
        changed = [name for name, digest in now.items() if name in sent and sent[name] != digest]
        if changed:
            labels = ", ".join(str(self.fields[n].label or n) for n in changed)
            # Carry the fresh version, so that saving again on purpose goes through.
            self.data = self.data.copy()
            self.data[self.add_prefix(FIELD)] = self.current_version
            raise forms.ValidationError(self.version_error, code="stale", params={"fields": labels})
        return data


def atomic_post(view):
    """An edit view whose POST runs in one transaction: the row its VersionCheckMixin form locks stays locked from
    the version check to the commit of the save."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "POST":
            return view(request, *args, **kwargs)
        with transaction.atomic():
            return view(request, *args, **kwargs)

    return wrapper
