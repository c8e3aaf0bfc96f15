"""Rendering reports in the background; the management command calls the same functions."""

from celery import shared_task
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from .models import RenderedReport
from .report import build_consolidated_context, build_unit_context, render


def build_context(deadline, submission=None):
    return build_unit_context(submission) if submission is not None else build_consolidated_context(deadline)


def render_to_bytes(deadline, fmt, submission=None, progress=None):
    """The report of a deadline (or of one unit's submission) in `fmt`, as bytes."""
    return render(build_context(deadline, submission), fmt, progress or (lambda pct: None))


def run_render(rendered_id):
    """Render one RenderedReport row, recording progress as it goes; a failure is recorded, not raised."""
    claimed = RenderedReport.objects.filter(pk=rendered_id, status=RenderedReport.Status.PENDING).update(
        status=RenderedReport.Status.RUNNING, progress=5
    )
    if not claimed:
        return None  # already taken by another worker (a retried message must not render twice)
    rendered = RenderedReport.objects.select_related("deadline__rule__plan", "submission__unit").get(pk=rendered_id)
    last = {"pct": 5}

    def progress(pct):
        # The context is built first (about a tenth of the work), the formatter does the rest.
        pct = 10 + int(pct * 0.85)
        if pct >= last["pct"] + 5:
            last["pct"] = pct
            RenderedReport.objects.filter(pk=rendered_id).update(progress=pct)

    try:
        context = build_context(rendered.deadline, rendered.submission)
        RenderedReport.objects.filter(pk=rendered_id).update(progress=10)
        data = render(context, rendered.format, progress)
        with transaction.atomic():
            rendered.file.save(rendered.download_name(), ContentFile(data), save=False)
            RenderedReport.objects.filter(pk=rendered_id).update(
                file=rendered.file.name, status=RenderedReport.Status.DONE, progress=100, finished_at=timezone.now()
            )
    except Exception as exc:  # noqa: BLE001 - one bad report must be visible, not crash the worker silently
        RenderedReport.objects.filter(pk=rendered_id).update(
            status=RenderedReport.Status.FAILED, error=f"{type(exc).__name__}: {exc}", finished_at=timezone.now()
        )
        raise
    rendered.refresh_from_db()
    return rendered


@shared_task(name="reporting.render_report")
def render_report_task(rendered_id):
    run_render(rendered_id)
    return rendered_id
