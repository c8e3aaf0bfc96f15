"""Who may do what with periodic reports; builds on `plans.access` and `Plan.objects.visible_to`.

- A deadline is visible with its plan (404 otherwise).
- The focal office of the plan (the one that may edit it), or the unit the rule reports to, manages a
  deadline: the tracker, returning and accepting reports, consolidating.
- A unit's report is visible to the people of that unit (and the units above it within the agency),
  to whoever manages the deadline, and to leadership and administrators who can see the plan;
  another unit's people get a 404.
- A unit's report is filled in and submitted by its unit head or by the focal office managing the
  deadline; an official of the unit may read it but not change it (403).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from accounts.models import Unit, User
from plans.access import can_edit_plan
from plans.models import Plan

from .models import Deadline, RenderedReport, Submission


def deadlines_visible_to(user):
    return Deadline.objects.filter(rule__plan__in=Plan.objects.visible_to(user).values("pk"))


def can_manage_deadline(user, deadline):
    if user.is_admin_role:
        return True
    if user.role != User.Role.FOCAL or user.unit_id is None:
        return False
    return can_edit_plan(user, deadline.rule.plan) or deadline.rule.to_unit.is_within(user.unit)


def belongs_to(user, unit):
    """The user works in the unit or in a unit above it within the same agency."""
    return user.unit_id is not None and unit.is_within(user.unit) and unit.agency_id == user.unit.agency_id


def leads_over(user, unit):
    """Leadership of the unit's agency, or of the province (a People's Committee leader at the root)."""
    scope = user.reading_scope if user.role == User.Role.LEADER else None
    return scope is not None and scope.contains(unit)


def can_view_submission(user, deadline, unit):
    if user.is_admin_role or leads_over(user, unit) or can_manage_deadline(user, deadline):
        return True
    return belongs_to(user, unit)


def can_fill_submission(user, deadline, unit):
    if can_manage_deadline(user, deadline):
        return True
    return user.role == User.Role.UNIT_HEAD and belongs_to(user, unit)


def can_track_deadline(user, deadline):
    """Read the tracker: the focal office that manages the deadline, or leadership over the plan's issuer or
    over one of the units that owe the report (read-only for them)."""
    if can_manage_deadline(user, deadline):
        return True
    if user.role != User.Role.LEADER or user.reading_scope is None:
        return False
    scope = user.reading_scope
    if leads_over(user, deadline.rule.plan.issuer):
        return True
    if _units_prefetched(deadline):
        return any(scope.contains(u) for u in deadline.units.all())
    return deadline.units.filter(scope.q()).exists()


def _units_prefetched(deadline):
    """The deadline's owing units were prefetched (a run over many deadlines): answer from them, no query."""
    return "units" in getattr(deadline, "_prefetched_objects_cache", {})


def deadline_path_for(user, deadline):
    """The page of `deadline` that opens for `user`: the one answer every reminder, notification, calendar event
    and dashboard link asks.

    The focal office that manages it → its tracker; a unit head or official whose unit owes the report → the
    unit's report form; leadership → the read-only tracker; anyone else → their list of reports.
    With the deadline's `units` prefetched (a reminder run over many people) it sends no query.
    """
    if can_manage_deadline(user, deadline):
        return reverse("reporting:tracker", args=[deadline.pk])
    unit = user.unit
    if unit is not None and user.role != User.Role.LEADER:
        if _units_prefetched(deadline):
            own = sorted(
                (u for u in deadline.units.all() if u.is_within(unit) and u.agency_id == unit.agency_id),
                key=lambda u: u.path,
            )
            owing = next((u for u in own if u.pk == unit.pk), own[0] if own else None)
        else:
            own = deadline.units.filter(path__startswith=unit.path, agency_id=unit.agency_id).order_by("path")
            owing = own.filter(pk=unit.pk).first() or own.first()
        if owing is not None:
            return reverse("reporting:submission", args=[deadline.pk, owing.pk])
    if can_track_deadline(user, deadline):
        return reverse("reporting:tracker", args=[deadline.pk])
    if unit is not None and deadline.owes(unit):
        return reverse("reporting:submission", args=[deadline.pk, unit.pk])
    return reverse("reporting:my_reports")


def get_deadline_for(user, pk, action="view"):
    """The deadline if its plan is visible (else 404); for action="track", its tracker readable by the user,
    for action="manage", managed by the user (else 403)."""
    try:
        deadline = (
            deadlines_visible_to(user)
            .select_related("rule__plan__issuer__parent", "rule__plan__focal_unit", "rule__to_unit")
            .get(pk=pk)
        )
    except Deadline.DoesNotExist:
        raise Http404("Không tìm thấy hạn báo cáo.")
    if action == "manage" and not can_manage_deadline(user, deadline):
        raise PermissionDenied("Chỉ đơn vị đầu mối theo dõi được các báo cáo của hạn này.")
    if action == "track" and not can_track_deadline(user, deadline):
        raise PermissionDenied("Chỉ đơn vị đầu mối và lãnh đạo xem được bảng theo dõi báo cáo của hạn này.")
    return deadline


def get_unit_report_for(user, deadline_pk, unit_pk, action="view"):
    """(deadline, unit) of a unit's report: 404 unless visible to the user, 403 for action="fill" if not allowed."""
    deadline = get_deadline_for(user, deadline_pk)
    try:
        unit = deadline.owing_units().get(pk=unit_pk)
    except (Unit.DoesNotExist, ValueError):
        raise Http404("Đơn vị này không phải báo cáo theo hạn này.")
    if not can_view_submission(user, deadline, unit):
        raise Http404("Không tìm thấy báo cáo.")
    if action == "fill" and not can_fill_submission(user, deadline, unit):
        raise PermissionDenied("Chỉ trưởng đơn vị hoặc đơn vị đầu mối được soạn và gửi báo cáo của đơn vị.")
    return deadline, unit


def get_submission_for(user, pk, action="view"):
    """A submission visible to the user (else 404); action="review" needs the deadline's focal office (else 403)."""
    try:
        submission = Submission.objects.select_related("deadline__rule__plan", "deadline__rule__to_unit", "unit").get(
            pk=pk, deadline__in=deadlines_visible_to(user)
        )
    except Submission.DoesNotExist:
        raise Http404("Không tìm thấy báo cáo.")
    if not can_view_submission(user, submission.deadline, submission.unit):
        raise Http404("Không tìm thấy báo cáo.")
    if action == "review" and not can_manage_deadline(user, submission.deadline):
        raise PermissionDenied("Chỉ đơn vị đầu mối được trả lại hoặc tiếp nhận báo cáo.")
    return submission


def get_rendered_for(user, pk):
    """A rendered file: the consolidated one for the deadline's managers, a unit's one as its submission."""
    try:
        rendered = RenderedReport.objects.select_related("deadline__rule__plan", "submission__unit").get(
            pk=pk, deadline__in=deadlines_visible_to(user)
        )
    except RenderedReport.DoesNotExist:
        raise Http404("Không tìm thấy tệp báo cáo.")
    deadline = rendered.deadline
    if rendered.submission_id:
        if not can_view_submission(user, deadline, rendered.submission.unit):
            raise Http404("Không tìm thấy tệp báo cáo.")
    elif not (can_manage_deadline(user, deadline) or leads_over(user, deadline.rule.plan.issuer)):
        raise Http404("Không tìm thấy tệp báo cáo.")
    return rendered
