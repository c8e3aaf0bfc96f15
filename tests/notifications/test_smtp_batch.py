"""Digests over SMTP: one connection per run, a short time-out, and a Message-ID that stays the same when a digest
is sent again after an ambiguous failure (the server took it but answered after the client's time-out)."""

import time

import pytest
import time_machine

from notifications.models import ReminderLog
from notifications.reminders import send_reminders
from tests.factories import UserFactory

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_recipients(report_rule, org, people):
    """bob (head of QLTM), frank (QLXNK has no head) and a head for the focal office's own division."""
    UserFactory(username="gia", email="gia@example.vn", role="unit_head", unit=org["khtcth"])
    return report_rule


def test_one_smtp_connection_carries_every_digest_of_a_run(three_recipients, smtp_server, settings):
    with time_machine.travel(at(2024, 11, 8), tick=False):
        result = send_reminders()
    assert result.emails == len(smtp_server.messages) >= 2
    assert smtp_server.connections == 1
    ids = [m["message"]["Message-ID"] for m in smtp_server.messages]
    assert len(set(ids)) == len(ids) and all(i.startswith("<reminder-digest.") for i in ids)


def test_the_default_smtp_time_out_is_short():
    from django.conf import settings

    assert settings.EMAIL_TIMEOUT == 10


def test_a_server_answering_after_the_time_out_costs_one_wait_and_the_re_send_keeps_the_message_id(
    three_recipients, people, smtp_server, settings
):
    settings.EMAIL_TIMEOUT = 1
    smtp_server.delay = 3  # takes the first digest, answers "250" only after the client has given up
    started = time.monotonic()
    with time_machine.travel(at(2024, 11, 8), tick=False):
        first = send_reminders()
    took = time.monotonic() - started
    assert took < 2.9, f"one time-out, not one per digest ({took:.1f}s)"
    assert first.sent == 0 and first.deferred >= 1
    [delivered] = smtp_server.messages  # the server has it, the portal cannot know
    bob_row = ReminderLog.objects.get(recipient=people["bob"])
    assert bob_row.status == ReminderLog.Status.FAILED

    smtp_server.delay = 0
    with time_machine.travel(at(2024, 11, 8, 10), tick=False):
        second = send_reminders()
    assert not second.errors and second.emails == len(smtp_server.messages) - 1
    again = [m for m in smtp_server.messages[1:] if m["to"] == ["bob@example.vn"]]
    assert len(again) == 1
    # The same digest, sent twice at worst, with the same Message-ID: recognisable as one message.
    assert again[0]["message"]["Message-ID"] == delivered["message"]["Message-ID"]
    bob_row.refresh_from_db()
    assert (bob_row.status, bob_row.attempts) == (ReminderLog.Status.SENT, 2)
    assert set(ReminderLog.objects.values_list("status", flat=True)) == {ReminderLog.Status.SENT}
