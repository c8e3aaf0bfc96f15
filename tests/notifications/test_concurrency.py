"""Real concurrency: a Celery worker in another process over Redis, and two runs at the same time.

Both need PostgreSQL (another process or thread must see the test database and wait on its row locks).
"""

import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection

from notifications.models import ReminderLog
from notifications.reminders import send_reminders

pytestmark = pytest.mark.django_db(transaction=True)

BASE_DIR = Path(__file__).resolve().parents[2]
ON = "2024-11-08"


def unavailable(reason):
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must provide it)")
    pytest.skip(reason)


@pytest.fixture
def postgresql(db):
    if connection.vendor != "postgresql":
        unavailable("needs PostgreSQL (DATABASE_URL=postgres://…)")


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL")
    if not url:
        unavailable("needs Redis (REDIS_URL)")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        unavailable(f"Redis at {url} does not answer: {exc}")
    return url


def database_url():
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.integration
def test_celery_worker_over_redis_sends_the_reminder_e_mail(postgresql, redis_url, smtp_server, report_rule, people):
    from notifications.tasks import send_reminders_task

    assert settings.CELERY_BROKER_URL == redis_url
    queue = f"test-reminders-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_url,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_server.port),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "CONN_MAX_AGE": "0",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "pci_portal", "worker", "--pool=solo", "-Q", queue, "-l", "INFO"]
        + ["--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        send_reminders_task.apply_async(args=[ON], queue=queue)
        deadline = time.monotonic() + 90
        while len(smtp_server.messages) < 2 and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.2)
        if len(smtp_server.messages) < 2:
            worker.terminate()
            pytest.fail("no e-mail from the worker:\n" + worker.communicate(timeout=20)[0][-4000:])
    finally:
        if worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
    received = {m["to"][0]: m["message"] for m in smtp_server.messages}
    assert set(received) == {"bob@example.vn", "frank@example.vn"}
    message = received["bob@example.vn"]
    assert message["Subject"].strip() == "[Cổng PCI] Nhắc việc: 1 báo cáo sắp đến hạn"
    text = message.get_body(("plain",)).get_content()
    assert "Kính gửi Trần Văn Bình" in text and "15/11/2024 (còn 7 ngày)" in text
    assert "Hạn: <strong>15/11/2024</strong>" in message.get_body(("html",)).get_content()
    assert set(ReminderLog.objects.values_list("status", flat=True)) == {ReminderLog.Status.SENT}


@pytest.mark.integration
def test_two_runs_at_the_same_time_send_each_reminder_once(postgresql, report_rule, org, people, task):
    import datetime

    from tests.factories import UserFactory

    # More people and items, so the two runs really overlap.
    for i in range(8):
        task.assignees.add(UserFactory(username=f"cv{i}", unit=org["qltm"]))
    task.due_date = datetime.date(2024, 11, 15)
    task.save()
    on = datetime.date.fromisoformat(ON)
    start = threading.Barrier(2)
    results, failures = [], []

    def run():
        try:
            start.wait(timeout=10)
            results.append(send_reminders(on=on))
        except Exception as exc:  # pragma: no cover - reported below
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not failures
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(set(recipients)), "someone got two e-mails"
    assert len(recipients) == 10  # bob, frank and the 8 assignees
    assert sum(r.sent for r in results) == ReminderLog.objects.count() == 10
    assert sum(r.skipped for r in results) == 10
