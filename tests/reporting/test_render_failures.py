"""A render never stays "pending" or "running" for ever: failures, time-outs, a dead worker and a dead broker all
end as "failed" with a Vietnamese reason, and a failed render can be retried."""

import datetime
import socket

import pytest
from celery.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from pci_portal.celery import app
from reporting import tasks
from reporting.models import RenderedReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def dead_broker(settings):
    """Redis on a port where nothing listens; renders are queued for real (not eager)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.CELERY_TASK_ALWAYS_EAGER = False
    previous = app.conf.task_always_eager, app.conf.broker_url, app._pool, app.amqp._producer_pool
    app.conf.task_always_eager = False
    app.conf.broker_url = f"redis://127.0.0.1:{port}/0"
    app._pool = app.amqp._producer_pool = None  # the pools would keep the old broker's connections
    yield
    if app._pool is not None:
        app._pool.force_close_all()
    app.conf.task_always_eager, app.conf.broker_url, app._pool, app.amqp._producer_pool = previous


@pytest.mark.django_db(transaction=True)  # the request commits for real, so the queueing runs inside it
def test_with_the_broker_down_a_render_request_says_so_in_vietnamese_and_leaves_nothing_pending(
    client,
    dead_broker,
    deadline,
    accepted,
    people,
):
    client.force_login(people["carol"])
    url = reverse("reporting:render_consolidated", args=[deadline.pk])
    response = client.post(url, {"format": "pdf"}, follow=True)
    assert response.status_code == 200
    assert "Hệ thống xử lý nền (hàng đợi) tạm thời không hoạt động" in response.content.decode()
    rendered = RenderedReport.objects.get(deadline=deadline)
    assert rendered.status == RenderedReport.Status.FAILED  # not "pending", polled for ever

    row = client.post(url, {"format": "docx"}, headers={"HX-Request": "true"}).content.decode()
    assert "tạm thời không hoạt động" in row and "Thử lại" in row and "hx-trigger" not in row
    assert not RenderedReport.objects.exclude(status=RenderedReport.Status.FAILED).exists()


def test_a_render_that_times_out_is_failed_and_the_retry_renders_it(
    client,
    eager,
    deadline,
    accepted,
    people,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    def too_slow(context, fmt, progress):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(tasks, "render", too_slow)
    client.force_login(people["carol"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reporting:render_consolidated", args=[deadline.pk]), {"format": "pdf"})
    rendered = RenderedReport.objects.get(deadline=deadline)
    assert rendered.status == RenderedReport.Status.FAILED
    assert rendered.error == "Quá thời gian tạo tệp (240 giây); có thể thử lại."
    page = client.get(reverse("reporting:tracker", args=[deadline.pk])).content.decode()
    assert "Quá thời gian tạo tệp" in page and reverse("reporting:rendered_retry", args=[rendered.pk]) in page

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        row = client.post(
            reverse("reporting:rendered_retry", args=[rendered.pk]), headers={"HX-Request": "true"}
        ).content.decode()
    assert 'hx-trigger="every 1s"' in row and "Đang chờ" in row  # queued again: the row polls its progress
    rendered.refresh_from_db()
    assert (rendered.status, rendered.version, rendered.error) == (RenderedReport.Status.DONE, 1, "")
    row = client.get(reverse("reporting:rendered_progress", args=[rendered.pk])).content.decode()
    assert reverse("reporting:rendered_download", args=[rendered.pk]) in row
    assert client.get(reverse("reporting:rendered_download", args=[rendered.pk]))["Content-Type"] == "application/pdf"


def test_only_a_failed_render_can_be_retried_and_only_by_who_may_request_it(client, deadline, accepted, people):
    done = RenderedReport.objects.create(deadline=deadline, format="pdf", version=1, status="done")
    failed = RenderedReport.objects.create(deadline=deadline, format="pdf", version=2, status="failed")
    client.force_login(people["carol"])
    response = client.post(reverse("reporting:rendered_retry", args=[done.pk]), follow=True)
    assert "Chỉ thử lại được tệp tạo bị lỗi." in response.content.decode()
    client.force_login(people["eve"])  # another agency: does not see the deadline
    assert client.post(reverse("reporting:rendered_retry", args=[failed.pk])).status_code == 404
    failed.refresh_from_db()
    assert failed.status == RenderedReport.Status.FAILED


def test_the_hard_time_limit_marks_the_render_failed(deadline, accepted):
    rendered = RenderedReport.objects.create(
        deadline=deadline, format="docx", version=1, status="running", progress=40, started_at=timezone.now()
    )
    # What Celery's main process calls when it kills the child at the hard limit.
    tasks.render_report_task.on_failure(TimeLimitExceeded(300), "task-id", (rendered.pk,), {}, None)
    rendered.refresh_from_db()
    assert rendered.status == RenderedReport.Status.FAILED and "Quá thời gian" in rendered.error


def test_renders_left_by_a_dead_worker_are_failed_by_the_periodic_sweep(deadline, accepted, settings):
    now = timezone.now()
    minutes = datetime.timedelta(minutes=1)

    def make(version, status, **kw):
        return RenderedReport.objects.create(deadline=deadline, format="pdf", version=version, status=status, **kw)

    killed = make(1, "running", started_at=now - 10 * minutes, progress=35)
    busy = make(2, "running", started_at=now - 1 * minutes, progress=35)
    lost = make(3, "pending", created_at=now - 90 * minutes)
    queued = make(4, "pending", created_at=now - 5 * minutes)
    call_command("fail_stale_renders", stdout=__import__("io").StringIO())
    status = dict(RenderedReport.objects.values_list("pk", "status"))
    assert status == {killed.pk: "failed", busy.pk: "running", lost.pk: "failed", queued.pk: "pending"}
    killed.refresh_from_db()
    assert killed.error.startswith("Tiến trình tạo tệp đã dừng giữa chừng")
    assert settings.CELERY_BEAT_SCHEDULE["reporting.fail_stale_renders"]["schedule"] == 600.0


@pytest.mark.parametrize(
    "task, queue",
    [
        ("reporting.render_report", "reports"),
        ("reporting.fail_stale_renders", "reports"),
        ("notifications.send_reminders", "reminders"),
        ("notifications.mail_admins", "mail"),
    ],
)
def test_each_kind_of_job_goes_to_its_own_queue(task, queue):
    assert app.amqp.router.route({}, task)["queue"].name == queue
    assert queue in app.amqp.queues  # a worker started without -Q consumes it
