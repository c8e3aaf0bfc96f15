from django import template
from django.utils.html import format_html

register = template.Library()

STATUS_CLASSES = {
    "not_started": "text-bg-secondary",
    "in_progress": "text-bg-primary",
    "done": "text-bg-success",
    "paused": "text-bg-warning",
    "cancelled": "text-bg-dark",
}
VERDICT_CLASSES = {"met": "text-bg-success", "not_met": "text-bg-danger", "pending": "text-bg-secondary"}


@register.filter
def status_class(status):
    return STATUS_CLASSES.get(status, "text-bg-light")


@register.filter
def verdict_class(verdict):
    return VERDICT_CLASSES.get(getattr(verdict, "state", verdict), "text-bg-light")


@register.simple_tag(takes_context=True)
def sort_link(context, key, label):
    """A column header that sorts by `key`, toggling ascending/descending, keeping the other filters."""
    request = context["request"]
    params = request.GET.copy()
    current = params.get("o", "")
    new = f"-{key}" if current == key else key
    params["o"] = new
    params.pop("page", None)
    arrow = ""
    aria = "none"
    if current == key:
        arrow, aria = " ▲", "ascending"
    elif current == f"-{key}":
        arrow, aria = " ▼", "descending"
    return format_html(
        '<a href="?{}" class="link-dark text-decoration-none" data-sort="{}" aria-sort="{}">{}{}</a>',
        params.urlencode(),
        key,
        aria,
        label,
        arrow,
    )


@register.filter
def percent(value):
    if value is None or value == "":
        return "—"
    return f"{round(float(value))}%"


@register.filter
def work_role(task, user):
    """How the user's unit is involved in the task: "lead", "coordinate" or "" (uses prefetched units)."""
    if user.unit_id is None:
        return ""
    if task.lead_unit.is_within(user.unit):
        return "lead"
    coordinators = getattr(task, "coordinators", None)  # the lists' plain prefetch (plans.views.COORDINATORS)
    if coordinators is None:
        coordinators = task.coordinating_units.all()
    if any(u.is_within(user.unit) for u in coordinators):
        return "coordinate"
    return ""
