"""A real Celery worker (the portal's app, Redis broker) killed with SIGKILL in the middle of a report render: the
render ends "failed" with a Vietnamese reason, never "running 50 %" for ever, and "Thử lại" renders it.

The worker is tests/reporting/paused_worker.py: the portal's worker whose first render stops at 50 % and waits to
be killed. Its renders go to a queue of the test's own, so nothing else on the Redis database reaches it.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from pci_portal.celery import app
from reporting import tasks
from reporting.models import RenderedReport

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.integration]

BASE_DIR = Path(__file__).resolve().parents[2]
STOPPED = "Tiến trình tạo tệp đã dừng giữa chừng (máy xử lý nền khởi động lại hoặc hết bộ nhớ); có thể thử lại."


def unavailable(reason):
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must provide it)")
    pytest.skip(reason)


@pytest.fixture
def worker_env(settings, tmp_path, monkeypatch):
    """Environment of a worker on this test's database, Redis database and queue; media in tmp_path."""
    if connection.vendor != "postgresql":
        unavailable("needs PostgreSQL (DATABASE_URL=postgres://…)")
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        unavailable("needs Redis (REDIS_URL)")
    import redis

    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        unavailable(f"Redis at {redis_url} does not answer: {exc}")
    assert app.conf.broker_url == redis_url
    settings.CELERY_TASK_ALWAYS_EAGER = False  # queued for real, whatever an earlier test of this process left
    was_eager, app.conf.task_always_eager = app.conf.task_always_eager, False
    queue = f"test-reports-{uuid.uuid4().hex[:8]}"
    send = tasks.render_report_task.apply_async
    monkeypatch.setattr(tasks.render_report_task, "apply_async", lambda *a, **kw: send(*a, queue=queue, **kw))
    media = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(media)}},
    }
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DEBUG="1",
        DATABASE_URL=f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        REDIS_URL=redis_url,
        MEDIA_ROOT=str(media),
        CONN_MAX_AGE="0",
        PAUSE_FILE=str(tmp_path / "paused"),
    )
    yield env, queue, tmp_path / "paused"
    app.conf.task_always_eager = was_eager


class Worker:
    """`celery worker` in a process group of its own (its main process and its pool process)."""

    def __init__(self, env, queue, log):
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, str(BASE_DIR / "tests" / "reporting" / "paused_worker.py")]
            + ["--pool=prefork", "--concurrency=1", "-Q", queue, "-l", "INFO", "-n", f"{queue}@%h"]
            + ["--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=BASE_DIR,
            env=env,
            stdout=open(log, "a"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill_all(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def output(self):
        return Path(self.log).read_text()[-4000:]


@pytest.fixture
def workers(worker_env, tmp_path):
    env, queue, _ = worker_env
    started = []

    def start():
        started.append(Worker(env, queue, tmp_path / "worker.log"))
        return started[-1]

    yield start
    for worker in started:
        worker.kill_all()


def wait_for(predicate, seconds, worker, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    pytest.fail(f"{what} did not happen in {seconds} s; worker log:\n{worker.output()}")


def status_of(rendered):
    rendered.refresh_from_db()
    return rendered.status


def request_render(client, deadline, people):
    client.force_login(people["carol"])
    client.post(reverse("reporting:render_consolidated", args=[deadline.pk]), {"format": "docx"})
    return RenderedReport.objects.get(deadline=deadline)


def paused_half_way(rendered, pause_file):
    return pause_file.exists() and status_of(rendered) == RenderedReport.Status.RUNNING and rendered.progress >= 50


def retry_renders_it(client, rendered, worker):
    """ "Thử lại" on the tracker page queues the render again; the worker renders it; the file downloads."""
    page = client.get(reverse("reporting:tracker", args=[rendered.deadline_id])).content.decode()
    retry = reverse("reporting:rendered_retry", args=[rendered.pk])
    assert "Tiến trình tạo tệp đã dừng giữa chừng" in page and retry in page and "Thử lại" in page
    client.post(retry, headers={"HX-Request": "true"})
    wait_for(lambda: status_of(rendered) == RenderedReport.Status.DONE, 180, worker, "the retried render")
    assert (rendered.error, rendered.progress) == ("", 100)
    download = client.get(reverse("reporting:rendered_download", args=[rendered.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content)[:2] == b"PK"  # a Word package


def test_a_render_whose_pool_process_is_killed_fails_at_once_and_the_retry_renders_it(
    client, workers, worker_env, deadline, accepted, people
):
    _, _, pause_file = worker_env
    worker = workers()
    rendered = request_render(client, deadline, people)
    wait_for(lambda: paused_half_way(rendered, pause_file), 120, worker, "the render reaching 50 %")

    os.kill(int(pause_file.read_text()), signal.SIGKILL)  # what the kernel's out-of-memory killer does

    # The worker's main process gives the message back (acks_late, reject_on_worker_lost); redelivered, it finds
    # the row still "running" and records why.
    wait_for(lambda: status_of(rendered) == RenderedReport.Status.FAILED, 60, worker, "the render failing")
    assert rendered.error == STOPPED and rendered.finished_at is not None
    assert worker.process.poll() is None  # the worker lives on with a new pool process
    retry_renders_it(client, rendered, worker)


def test_a_render_whose_whole_worker_is_killed_is_failed_by_the_sweep_and_the_retry_renders_it(
    client, workers, worker_env, deadline, accepted, people
):
    _, _, pause_file = worker_env
    worker = workers()
    rendered = request_render(client, deadline, people)
    wait_for(lambda: paused_half_way(rendered, pause_file), 120, worker, "the render reaching 50 %")

    worker.kill_all()  # the machine lost: the main process and its pool process, no chance to say anything
    time.sleep(1)
    assert status_of(rendered) == RenderedReport.Status.RUNNING  # nobody left to tell

    # Beat's sweep, every 10 minutes, fails a render running longer than the hard time limit allows.
    with time_machine.travel(rendered.started_at + __import__("datetime").timedelta(minutes=7)):
        call_command("fail_stale_renders", stdout=__import__("io").StringIO())
    assert status_of(rendered) == RenderedReport.Status.FAILED and rendered.error == STOPPED

    retry_renders_it(client, rendered, workers())  # a worker started again, as the service manager would
