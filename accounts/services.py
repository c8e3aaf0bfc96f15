"""Verbs on units and users: each one transaction; views call them, and so do imports and commands.

A unit's path and agency follow from its place in the tree; whatever changes that place (move, a new kind)
recomputes the whole subtree in the same transaction, so who reads what never goes stale.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pci_portal.history import record_updates

from .models import AGENCY_KINDS, Person, Unit, User
from .signals import unit_merged


def recompute_subtree(unit, old_path=None):
    """Paths and agencies of every unit below `unit` (saved already), from the top down, in one read and one
    write. `old_path`: the unit's path before a move, which its descendants still carry."""
    below = Unit.objects.filter(path__startswith=old_path or unit.path).exclude(pk=unit.pk)
    children = {}
    for u in below:
        children.setdefault(u.parent_id, []).append(u)
    changed, pending = [], [unit]
    while pending:
        current = pending.pop()
        for child in children.get(current.pk, []):
            child.path = current.path + child.code + "/"
            child.agency_id = child.pk if child.kind in AGENCY_KINDS else current.agency_id
            changed.append(child)
            pending.append(child)
    Unit.objects.bulk_update(changed, ["path", "agency"], batch_size=500)
    return len(changed)


def _lock(unit):
    return Unit.objects.select_for_update().get(pk=unit.pk)


@transaction.atomic
def create_unit(*, name, kind, parent=None, by=None, **fields):
    unit = Unit(name=name, kind=kind, parent=parent, **fields)
    if parent is not None and not parent.is_active:
        raise ValidationError({"parent": _("Đơn vị cấp trên đã ngừng hoạt động.")})
    unit.full_clean(exclude=["code", "path"])
    unit.save()
    return unit


@transaction.atomic
def update_unit(unit, *, by=None, **fields):
    """Rename and the like; a new kind may make the unit an agency (or not): its subtree follows."""
    unit = _lock(unit)
    kind_before = unit.kind
    for name, value in fields.items():
        setattr(unit, name, value)
    unit.full_clean(exclude=["code", "path"])
    unit.save()
    if unit.kind != kind_before:
        recompute_subtree(unit)
    return unit


@transaction.atomic
def move_unit(unit, new_parent, *, by=None):
    """Put `unit` (and everything below it) under `new_parent`; paths and agencies of the subtree follow."""
    unit = _lock(unit)
    if new_parent is not None:
        new_parent = _lock(new_parent)
        if new_parent.pk == unit.pk or new_parent.is_within(unit):
            raise ValidationError(
                {"parent": _("Không thể chuyển một đơn vị vào chính nó hoặc đơn vị cấp dưới của nó.")}
            )
        if not new_parent.is_active:
            raise ValidationError({"parent": _("Đơn vị cấp trên đã ngừng hoạt động.")})
    old_path = unit.path
    unit.parent = new_parent
    unit.save()
    recompute_subtree(unit, old_path)
    return unit


@transaction.atomic
def set_unit_active(unit, active, *, by=None):
    """Close a unit (it stays with its history) or open it again. A unit with open units or active users
    below it cannot close: move or close those first."""
    unit = _lock(unit)
    if not active:
        if Unit.objects.filter(parent=unit, is_active=True).exists():
            raise ValidationError(
                _("Đơn vị còn đơn vị cấp dưới đang hoạt động: hãy chuyển hoặc ngừng các đơn vị đó trước.")
            )
        if User.objects.filter(unit=unit, is_active=True).exists():
            raise ValidationError(
                _("Đơn vị còn người dùng đang hoạt động: hãy chuyển hoặc khóa các tài khoản đó trước.")
            )
    elif unit.parent_id and not unit.parent.is_active:
        raise ValidationError(_("Đơn vị cấp trên đã ngừng hoạt động: hãy mở lại đơn vị cấp trên trước."))
    unit.is_active = active
    unit.save(update_fields=["is_active"])
    return unit


@transaction.atomic
def merge_units(old, successor, *, by=None):
    """The reorganisations of 2025: `old` merges into `successor`.

    Its users, named people and sub-units move to the successor; plans, tasks and reports follow through the
    `unit_merged` signal (plans, reporting). The old unit stays, closed and marked as merged, so its history
    still reads.
    """
    old, successor = _lock(old), _lock(successor)
    if old.pk == successor.pk:
        raise ValidationError({"successor": _("Chọn một đơn vị khác để sáp nhập vào.")})
    if successor.is_within(old):
        raise ValidationError({"successor": _("Không thể sáp nhập vào đơn vị cấp dưới của chính nó.")})
    if not successor.is_active:
        raise ValidationError({"successor": _("Đơn vị nhận sáp nhập đã ngừng hoạt động.")})
    if not old.is_active:
        raise ValidationError(_("Đơn vị này đã ngừng hoạt động hoặc đã được sáp nhập."))
    moved_users = User.objects.filter(unit=old).update(unit=successor)
    Person.objects.filter(unit=old).update(unit=successor)
    for child in Unit.objects.filter(parent=old):
        old_path = child.path
        child.parent = successor
        child.save()
        recompute_subtree(child, old_path)
    unit_merged.send(sender=Unit, old=old, successor=successor, by=by)
    old.is_active = False
    old.merged_into = successor
    old.save(update_fields=["is_active", "merged_into"])
    return moved_users


# --- Users ---------------------------------------------------------------------------------------------------


def managed_users(by):
    """The users `by` administers: those of the units it manages (the portal administrator: everyone)."""
    if by.is_admin_role:
        return User.objects.all()
    return User.objects.filter(unit__in=Unit.objects.managed_by(by))


def assignable_roles(by):
    """Roles an administrator may give: never more than its own reach."""
    roles = [r for r in User.Role if r != User.Role.ADMIN]
    if by.is_admin_role:
        return list(User.Role)
    if by.role == User.Role.PROVINCE_ADMIN:
        return roles
    return [r for r in roles if r != User.Role.PROVINCE_ADMIN]


def generate_username(email):
    """The e-mail's local part, lower-case ASCII, made unique ("nguyen.van.a", "nguyen.van.a2")."""
    import re

    from .models import _ascii

    base = re.sub(r"[^a-z0-9._-]", "", _ascii(email.split("@")[0]).lower())[:140] or "nguoidung"
    username, n = base, 1
    while User.objects.filter(username__iexact=username).exists():
        n += 1
        username = f"{base}{n}"
    return username


def _check_reach(by, unit, role):
    if unit is not None and not Unit.objects.managed_by(by).filter(pk=unit.pk).exists():
        raise ValidationError({"unit": _("Đơn vị này không thuộc phạm vi đồng chí quản trị.")})
    if role not in assignable_roles(by):
        raise ValidationError({"role": _("Đồng chí không được giao vai trò này.")})
    if unit is None and role != User.Role.ADMIN:
        raise ValidationError({"unit": _("Chọn đơn vị của người dùng.")})


def invite(user, *, by=None):
    """Send (again) the invitation e-mail with a one-time link to set a password, after the commit."""
    from functools import partial

    from .tasks import send_account_email_task

    transaction.on_commit(
        partial(send_account_email_task.delay, "invitation", user.pk, by.pk if by is not None else None)
    )


@transaction.atomic
def create_user(*, full_name, email, unit, role, by, title="", phone="", send_invitation=True):
    """A new login with no password yet: the invitation's link sets it."""
    _check_reach(by, unit, role)
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("E-mail này đã có tài khoản.")})
    user = User(
        username=generate_username(email),
        full_name=full_name,
        email=email,
        unit=unit,
        role=role,
        title=title,
        phone=phone,
        is_staff=role == User.Role.ADMIN,
        is_superuser=role == User.Role.ADMIN,
    )
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    _ensure_person(user)
    if send_invitation:
        invite(user, by=by)
    return user


USER_FIELDS = ("full_name", "email", "unit", "role", "title", "phone")


@transaction.atomic
def update_user(user, *, by, **fields):
    """Change name, contact, role or unit; returns the names of the fields that changed."""
    user = User.objects.select_for_update().get(pk=user.pk)
    _check_reach(by, fields.get("unit", user.unit), fields.get("role", user.role))
    email = fields.get("email")
    if email and User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        raise ValidationError({"email": _("E-mail này đã có tài khoản.")})
    changed = [name for name, value in fields.items() if getattr(user, name) != value]
    for name in changed:
        setattr(user, name, fields[name])
    if changed:
        user.full_clean(exclude=["password"])
        user.save(update_fields=changed)
        _ensure_person(user)
    return changed


def _ensure_person(user):
    """A leader is also a named person plans can cite ("Lãnh đạo phụ trách"): made and kept in step here, so
    nobody saves twice to link them."""
    if user.role != User.Role.LEADER or user.unit_id is None:
        return
    if user.person_id is None:
        import re

        from .models import _ascii

        base = re.sub(r"[^a-z0-9-]+", "-", _ascii(user.username).lower()).strip("-")[:50] or "lanh-dao"
        key, n = base, 1
        while Person.objects.filter(key=key).exists():
            n += 1
            key = f"{base}-{n}"
        user.person = Person.objects.create(key=key, full_name=user.full_name, title=user.title, unit=user.unit)
        user.save(update_fields=["person"])
    else:
        Person.objects.filter(pk=user.person_id).update(full_name=user.full_name, title=user.title, unit=user.unit)


def end_sessions(user, keep=None):
    """Log the user out everywhere (but the session `keep`); returns how many sessions ended."""
    from importlib import import_module

    from django.conf import settings

    from .models import UserSession

    store = import_module(settings.SESSION_ENGINE).SessionStore
    rows = UserSession.objects.filter(user=user)
    if keep:
        rows = rows.exclude(session_key=keep)
    keys = list(rows.values_list("session_key", flat=True))
    for key in keys:
        store(session_key=key).delete()
    rows.delete()
    return len(keys)


@transaction.atomic
def set_user_active(user, active, *, by):
    """Lock a login (its sessions end at once) or open it again; the user and their history stay."""
    if user.pk == by.pk and not active:
        raise ValidationError(_("Không thể tự khóa tài khoản của mình."))
    User.objects.filter(pk=user.pk).update(is_active=active)
    record_updates(User, [user.pk], user=by, reason=_("Mở khóa tài khoản") if active else _("Khóa tài khoản"))
    user.is_active = active
    if not active:
        end_sessions(user)
    return user
