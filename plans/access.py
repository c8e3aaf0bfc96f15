"""Who may do what: the one place views ask.

Reading goes through `Task.objects.visible_to(user)` / `Plan.objects.visible_to(user)`;
what is not visible is a 404 (its existence is not revealed). Acting on something
visible but not allowed is a 403.

- official: reads their agency's plans and tasks; updates the tasks their unit leads
  (or is assigned to); comments on the tasks their unit coordinates.
- unit head: as an official, and assigns the unit's tasks to people of the unit.
- focal office: reads as above; edits plans whose focal unit is theirs (or, when a plan
  names none, the plans their agency issued): sections, tasks, targets, deadlines.
- leadership: reads their agency (the province People's Committee: the whole province); comments.
- administrator: everything.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import User

from .models import Plan, Task


def _role(user):
    return User.Role.ADMIN if user.is_admin_role else user.role


def leads(user, task):
    """The user's unit (or a unit above it within the agency) leads the task."""
    return user.unit_id is not None and task.lead_unit.is_within(user.unit)


def coordinates(user, task):
    return user.unit_id is not None and any(u.is_within(user.unit) for u in task.coordinating_units.all())


def can_update_task(user, task):
    role = _role(user)
    if role == User.Role.ADMIN:
        return True
    if role in (User.Role.OFFICIAL, User.Role.UNIT_HEAD):
        return leads(user, task) or task.assignees.filter(pk=user.pk).exists()
    if role == User.Role.FOCAL:
        # The focal office keeps its plans, and is also a unit with work of its own in others' plans.
        return can_edit_plan(user, task.plan) or leads(user, task) or task.assignees.filter(pk=user.pk).exists()
    return False


def can_comment_task(user, task):
    role = _role(user)
    if role in (User.Role.ADMIN, User.Role.LEADER, User.Role.FOCAL):
        return True
    return can_update_task(user, task) or coordinates(user, task)


def can_assign_task(user, task):
    role = _role(user)
    if role == User.Role.ADMIN:
        return True
    if role == User.Role.UNIT_HEAD:
        return leads(user, task)
    return role == User.Role.FOCAL and can_edit_plan(user, task.plan)


def can_edit_plan(user, plan):
    role = _role(user)
    if role == User.Role.ADMIN:
        return True
    if role != User.Role.FOCAL or user.unit_id is None:
        return False
    if plan.focal_unit_id:
        return plan.focal_unit.is_within(user.unit)
    # No focal office named: the focal office of the issuing agency keeps the plan.
    return user.agency is not None and plan.issuer_id == user.agency.pk


ACTIONS = {
    "view": lambda user, obj: True,
    "update": can_update_task,
    "comment": can_comment_task,
    "assign": can_assign_task,
}


def get_task_for(user, pk, action="view"):
    """The task if the user may see it (else 404) and do `action` on it (else 403)."""
    try:
        task = Task.objects.visible_to(user).select_related("plan", "lead_unit", "section", "leader").get(pk=pk)
    except Task.DoesNotExist:
        raise Http404("Không tìm thấy nhiệm vụ.")
    if not ACTIONS[action](user, task):
        raise PermissionDenied("Bạn không có quyền thực hiện thao tác này với nhiệm vụ.")
    return task


def get_plan_for(user, pk, action="view"):
    """The plan if the user may see it (else 404) and, for action="edit", edit it (else 403)."""
    try:
        plan = Plan.objects.visible_to(user).select_related("issuer", "focal_unit").get(pk=pk)
    except Plan.DoesNotExist:
        raise Http404("Không tìm thấy kế hoạch.")
    if action == "edit" and not can_edit_plan(user, plan):
        raise PermissionDenied("Bạn không có quyền chỉnh sửa kế hoạch này.")
    return plan


# Roles that may start a plan: the focal office (for its own agency), province administrators (for units of
# their province; the role is added by the people work) and administrators (anywhere).
def _province_admin_role():
    return getattr(User.Role, "PROVINCE_ADMIN", None)


def can_create_plan(user):
    if not user.is_authenticated:
        return False
    role = _role(user)
    if role == User.Role.ADMIN:
        return True
    if role == User.Role.FOCAL:
        return user.agency is not None
    return role is not None and role == _province_admin_role() and user.unit_id is not None


def issuers_for(user):
    """Units a user may name as the issuer of a new plan."""
    from accounts.models import Unit

    role = _role(user)
    if role == User.Role.ADMIN:
        return Unit.objects.all()
    if role == User.Role.FOCAL and user.agency is not None:
        return Unit.objects.filter(pk=user.agency.pk)
    if role == _province_admin_role() and user.unit_id is not None:
        return Unit.objects.subtree(user.unit.top_unit())
    return Unit.objects.none()


def require_create_plan(user):
    if not can_create_plan(user):
        raise PermissionDenied("Bạn không có quyền tạo kế hoạch.")
