"""Exactly once and nothing lost: SMTP failures are recorded, retried with backoff and sent once later."""

import smtplib
import socket
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command

from accounts.models import User
from notifications.models import Notification, ReminderLog
from notifications.reminders import send_reminders
from notifications.tasks import RemindersFailed, send_reminders_task
from plans.models import Task
from reporting.models import Deadline, Submission

from .conftest import at

pytestmark = pytest.mark.django_db


class FailingOnceBackend(EmailBackend):
    """Refuses the first message of a test, then delivers like locmem."""

    failures = 0

    def send_messages(self, messages):
        if FailingOnceBackend.failures == 0:
            FailingOnceBackend.failures += 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def failing_once(settings):
    FailingOnceBackend.failures = 0
    settings.EMAIL_BACKEND = f"{__name__}.FailingOnceBackend"


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_smtp_down_is_recorded_as_failed_and_sent_by_a_later_run(report_rule, people, settings, smtp_server):
    settings.EMAIL_PORT = closed_port()
    settings.EMAIL_TIMEOUT = 2
    with time_machine.travel(at(2024, 11, 8), tick=False):
        result = send_reminders()
    assert result.sent == 0 and len(result.errors) == 2
    failed = ReminderLog.objects.get(recipient=people["bob"])
    assert failed.status == ReminderLog.Status.FAILED and "refused" in failed.error.lower()
    # The server is gone: the next digest is not tried (no second wait for a time-out), and not claimed.
    assert result.deferred == 1 and "not tried" in result.errors[1]
    assert list(ReminderLog.objects.values_list("recipient__username", flat=True)) == ["bob"]

    settings.EMAIL_PORT = smtp_server.port
    with time_machine.travel(at(2024, 11, 9), tick=False):
        result = send_reminders()
    assert result.sent == 2 and not result.errors
    assert sorted(m["to"][0] for m in smtp_server.messages) == ["bob@example.vn", "frank@example.vn"]
    message = smtp_server.messages[0]["message"]
    assert message["Subject"].strip() == "[Cổng PCI] Nhắc việc: 1 báo cáo sắp đến hạn"
    assert "15/11/2024 (còn 6 ngày)" in message.get_body(("plain",)).get_content()
    failed.refresh_from_db()
    assert (failed.status, failed.error, failed.attempts) == (ReminderLog.Status.SENT, "", 2)
    # The in-portal notification was made once, not again on the re-send.
    assert Notification.objects.filter(user=people["bob"]).count() == 1


def test_celery_task_retries_after_an_smtp_failure_and_sends_each_reminder_once(report_rule, people, failing_once):
    with time_machine.travel(at(2024, 11, 8), tick=False):
        outcome = send_reminders_task.apply()
    assert outcome.successful(), outcome.traceback
    assert sorted(m.to[0] for m in mail.outbox) == ["bob@example.vn", "frank@example.vn"]
    assert set(ReminderLog.objects.values_list("status", flat=True)) == {ReminderLog.Status.SENT}
    assert sorted(ReminderLog.objects.values_list("attempts", flat=True)) == [1, 2]


def test_celery_task_gives_up_with_the_error_after_its_retries(report_rule, people, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port(), 2
    with time_machine.travel(at(2024, 11, 8), tick=False):
        outcome = send_reminders_task.apply()
    assert outcome.failed() and isinstance(outcome.result, RemindersFailed)
    assert "bob@example.vn" in str(outcome.result) and "1 reminder(s) not tried" in str(outcome.result)
    # Bob's digest failed (visible in the admin); Frank's was not tried: a later run sends both.
    assert ReminderLog.objects.failed().count() == 1


def test_a_reminder_claimed_by_a_run_that_died_is_not_sent_again(report_rule, people):
    # A worker that died after claiming may already have sent: only an administrator re-sends it.
    deadline = report_rule.deadline_for(2024)
    ReminderLog.objects.create(
        kind="report",
        item_id=deadline.pk,
        recipient=people["bob"],
        step="before-7",
        due_date=deadline.due_date,
        run_date=deadline.due_date,
    )
    with time_machine.travel(at(2024, 11, 8), tick=False):
        send_reminders()
    assert [m.to for m in mail.outbox] == [["frank@example.vn"]]


@pytest.fixture
def demo(reference):
    call_command("load_demo", stdout=StringIO())


MODELS = [ReminderLog, Notification, Deadline, Submission, Task, User]


def test_dry_run_on_the_demo_lists_the_reminders_for_15_11_2024_and_changes_nothing(demo, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"  # would fail loudly if used
    before = {m.__name__: m.objects.count() for m in MODELS}
    out = StringIO()
    call_command("send_reminders", "--dry-run", "--date", "2024-11-08", stdout=out)
    lines = out.getvalue().splitlines()
    reminders = [line.split("\t") for line in lines if "\t" in line]
    assert reminders, out.getvalue()
    assert {r[0] for r in reminders} == {"tth.truongphong@demo.pci.local", "tth.vpdd.chuyenvien@demo.pci.local"}
    for _email, item, due, step in reminders:
        assert item == "Báo cáo: Báo cáo kết quả thực hiện Kế hoạch"
        assert (due, step) == ("15/11/2024", "before-7")
    assert lines[0] == "Thử (không gửi) – ngày 08/11/2024"
    assert "Sẽ gửi: 2 nhắc việc" in lines[-1]
    assert {m.__name__: m.objects.count() for m in MODELS} == before
    assert mail.outbox == []


def test_command_sends_and_reports_what_it_sent(report_rule, people):
    out = StringIO()
    call_command("send_reminders", "--date", "2024-11-08", stdout=out)
    assert "bob@example.vn\tBáo cáo: Báo cáo kết quả thực hiện Kế hoạch\t15/11/2024\tbefore-7" in out.getvalue()
    assert "Đã gửi: 2 nhắc việc trong 2 thư" in out.getvalue()
    assert len(mail.outbox) == 2


def test_command_rejects_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Ngày không hợp lệ"):
        call_command("send_reminders", "--date", "08/11/2024")


def test_dry_run_finds_deadlines_not_generated_yet_and_leaves_none_behind(report_rule, people):
    assert not Deadline.objects.exists()
    out = StringIO()
    call_command("send_reminders", "--dry-run", "--date", "2024-11-12", stdout=out)
    assert "bob@example.vn\tBáo cáo: Báo cáo kết quả thực hiện Kế hoạch\t15/11/2024\tbefore-3" in out.getvalue()
    assert "frank@example.vn\t" in out.getvalue()
    assert not Deadline.objects.exists() and not ReminderLog.objects.exists() and mail.outbox == []
