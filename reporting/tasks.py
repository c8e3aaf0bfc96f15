"""Rendering reports in the background; the management command calls the same functions.

A render ends "done" or "failed", never stays "pending"/"running": an error or the soft time limit is recorded by
`run_render`; the hard time limit by the task's `on_failure` (Celery calls it in the worker's main process).
A worker killed in the middle (out of memory, SIGKILL): the message is acknowledged only after the task
(acks_late), so it comes back, marked redelivered: by the worker's main process at once when only the pool child
died (reject_on_worker_lost), by Redis after its visibility time-out when the whole worker died. A redelivered
render that finds its row still "running" knows the earlier attempt died and records that; it does not render
again (a render that exhausts the memory would kill worker after worker). `fail_stale_renders`, which beat runs
every 10 minutes, fails whatever is still left sooner than Redis' visibility time-out (one hour).
With the broker down the request is failed at once (`enqueue_render`). A failed render can be retried from its
row (`services.retry_render`).
"""

import datetime
import logging

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded
from celery.signals import worker_init
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import RenderedReport
from .report import build_consolidated_context, build_unit_context, render


def build_context(deadline, submission=None):
    return build_unit_context(submission) if submission is not None else build_consolidated_context(deadline)


def render_to_bytes(deadline, fmt, submission=None, progress=None):
    """The report of a deadline (or of one unit's submission) in `fmt`, as bytes."""
    return render(build_context(deadline, submission), fmt, progress or (lambda pct: None))


def run_render(rendered_id, redelivered=False):
    """Render one RenderedReport row, recording progress as it goes; a failure is recorded, then raised.

    `redelivered`: the broker handed this message out before and it was never acknowledged, so the worker that
    took it died; a row still "running" is that dead attempt, failed here with the reason.
    """
    claimed = RenderedReport.objects.filter(pk=rendered_id, status=RenderedReport.Status.PENDING).update(
        status=RenderedReport.Status.RUNNING, progress=5, started_at=timezone.now()
    )
    if not claimed:
        # Already taken: a retried message must not render twice.
        if redelivered and mark_failed(rendered_id, worker_lost_message(), only=RenderedReport.Status.RUNNING):
            logger.warning("render %s: its worker died in the middle; marked failed", rendered_id)
        return None
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
    except SoftTimeLimitExceeded:
        mark_failed(rendered_id, timed_out_message())
        raise
    except Exception as exc:  # noqa: BLE001 - one bad report must be visible, not crash the worker silently
        mark_failed(rendered_id, f"{type(exc).__name__}: {exc}")
        raise
    rendered.refresh_from_db()
    return rendered


logger = logging.getLogger(__name__)


@worker_init.connect
def load_weasyprint(**kwargs):
    """WeasyPrint (Pango through cffi, fontTools) takes about a second of CPU to import: once when a worker
    starts (its pool processes inherit it), not during the first PDF someone waits for."""
    import weasyprint  # noqa: F401


UNFINISHED = (RenderedReport.Status.PENDING, RenderedReport.Status.RUNNING)


def timed_out_message():
    return _("Quá thời gian tạo tệp (%(seconds)s giây); có thể thử lại.") % {
        "seconds": settings.REPORT_RENDER_SOFT_TIME_LIMIT
    }


def worker_lost_message():
    return _("Tiến trình tạo tệp đã dừng giữa chừng (máy xử lý nền khởi động lại hoặc hết bộ nhớ); có thể thử lại.")


def broker_down_message():
    return _(
        "Hệ thống xử lý nền (hàng đợi) tạm thời không hoạt động nên chưa tạo được tệp. "
        "Vui lòng thử lại sau ít phút; nếu vẫn lỗi, báo quản trị viên."
    )


def mark_failed(rendered_id, error, only=UNFINISHED):
    """Failed, unless it already finished: a late failure hook must not undo a done render."""
    only = only if isinstance(only, tuple) else (only,)
    return RenderedReport.objects.filter(pk=rendered_id, status__in=only).update(
        status=RenderedReport.Status.FAILED, error=error[:2000], finished_at=timezone.now()
    )


class RenderTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        # Runs in the worker's main process also when the hard time limit killed the child.
        if isinstance(exc, TimeLimitExceeded):
            mark_failed(args[0], timed_out_message())


@shared_task(
    name="reporting.render_report",
    bind=True,
    base=RenderTask,
    soft_time_limit=settings.REPORT_RENDER_SOFT_TIME_LIMIT,
    time_limit=settings.REPORT_RENDER_TIME_LIMIT,
)
def render_report_task(self, rendered_id):
    run_render(rendered_id, redelivered=bool((self.request.delivery_info or {}).get("redelivered")))
    return rendered_id


def enqueue_render(rendered_id):
    """Queue the render; if the broker does not take it, the row is failed at once (nothing left pending)."""
    try:
        render_report_task.apply_async((rendered_id,), retry=False)
    except Exception as exc:  # noqa: BLE001 - kombu/redis raise many kinds; all mean "not queued"
        logger.error("could not queue render %s: %s: %s", rendered_id, type(exc).__name__, exc)
        mark_failed(rendered_id, broker_down_message())
        return False
    return True


def fail_stale_renders(now=None):
    """Renders left unfinished by a worker that died: running longer than the hard time limit allows, or
    pending (never picked up: message lost) for longer than STALE_PENDING_RENDER_SECONDS. Returns how many."""
    now = now or timezone.now()
    running_since = now - datetime.timedelta(seconds=settings.REPORT_RENDER_TIME_LIMIT + 60)
    pending_since = now - datetime.timedelta(seconds=settings.STALE_PENDING_RENDER_SECONDS)
    stale = RenderedReport.objects.filter(status=RenderedReport.Status.RUNNING, started_at__lt=running_since)
    lost = RenderedReport.objects.filter(status=RenderedReport.Status.PENDING, created_at__lt=pending_since)
    count = stale.update(status=RenderedReport.Status.FAILED, error=worker_lost_message(), finished_at=now)
    count += lost.update(
        status=RenderedReport.Status.FAILED,
        error=_("Yêu cầu tạo tệp không được xử lý (hàng đợi mất yêu cầu); có thể thử lại."),
        finished_at=now,
    )
    if count:
        logger.warning("marked %s stale report render(s) as failed", count)
    return count


@shared_task(name="reporting.fail_stale_renders", ignore_result=True)
def fail_stale_renders_task():
    return fail_stale_renders()
