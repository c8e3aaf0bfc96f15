"""The one home of how a target and its verdict read in HTML: `{% target_cells a %}`, `{% verdict a %}`."""

from django import template

from indicators.models import any_illustrative

register = template.Library()

VERDICT_CLASSES = {
    "met": "text-bg-success",
    "not_met": "text-bg-danger",
    "pending": "text-bg-secondary",
    "insufficient": "text-bg-warning",
}


@register.filter
def verdict_class(verdict):
    """Badge colour of a verdict, an assessment or a state."""
    state = getattr(verdict, "state", verdict)
    return VERDICT_CLASSES.get(state, "text-bg-light")


@register.inclusion_tag("indicators/partials/verdict.html")
def verdict(assessment, compact=False):
    """The badge, the reasons and, for a group of sub-indices, each member met or not.

    A verdict judged on the demo's made-up results says "số liệu minh họa" beside its badge.
    """
    return {
        "a": assessment,
        "v": assessment.verdict,
        "compact": compact,
        "illustrative": any_illustrative(getattr(assessment, "results", [])),
    }


register.filter("any_illustrative", any_illustrative)


@register.inclusion_tag("indicators/partials/target_cells.html")
def target_cells(assessment):
    """The table cells every target table shows: subject, baseline, goal, result, verdict."""
    return {"a": assessment}
