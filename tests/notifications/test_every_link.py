"""Every link a person receives opens for that person.

The reminders of the demo run every day of a year; every link of every e-mail and bell notification
they produce, and every event of every demo user's calendar, is followed by its recipient: all 200.
"""

import datetime
import re
from collections import defaultdict
from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from accounts.models import User
from notifications.calendar import build_calendar
from notifications.emails import build_email
from notifications.models import Notification
from notifications.reminders import collect, digest_context, generate_deadlines, send_reminders

pytestmark = pytest.mark.django_db

LINK = re.compile(re.escape(settings.SITE_URL) + r"(/[^\s\"<>]*)")


def _noon(day):
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)


def _links_of(message):
    """Paths linked from the plain-text and the HTML part of an e-mail."""
    paths = set(LINK.findall(message.body))
    for content, _type in getattr(message, "alternatives", []):
        paths |= set(LINK.findall(content))
    return paths


def test_every_link_of_a_year_of_reminders_opens_for_its_recipient(settings):
    """In-process for speed: each day's reminders are collected and their digests rendered as the run would
    send them; two busy days are also sent for real, so the bell notifications are followed too."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("load_demo", stdout=StringIO())
    users = {u.email: u for u in User.objects.exclude(email="")}
    received = {}  # (user id, path) → the first day it was received
    generate_deadlines(datetime.date(2024, 1, 1))
    day = datetime.date(2024, 1, 1)
    while day.year == 2024:
        with time_machine.travel(_noon(day), tick=False):
            by_person = defaultdict(list)
            for reminder in collect(day):
                by_person[reminder.recipient].append(reminder)
            for user, mine in by_person.items():
                message = build_email("reminder-digest", digest_context(user, mine), [user.email])
                for path in _links_of(message) | {r.path for r in mine}:
                    received.setdefault((user.pk, path), day)
        day += datetime.timedelta(days=1)
    for day in (datetime.date(2024, 11, 8), datetime.date(2024, 11, 22)):
        mail.outbox = []
        with time_machine.travel(_noon(day), tick=False):
            send_reminders(on=day)
        assert mail.outbox
        for message in mail.outbox:
            for path in _links_of(message):
                received.setdefault((users[message.to[0]].pk, path), day)
    for n in Notification.objects.exclude(url=""):
        received.setdefault((n.user_id, n.url), timezone.localdate(n.created_at))
    calendar_days = [datetime.date(2024, 3, 1), datetime.date(2024, 11, 10)]
    for user in User.objects.filter(is_active=True):
        for on in calendar_days:
            for path in LINK.findall(build_calendar(user, today=on).decode().replace("\r\n ", "")):
                received.setdefault((user.pk, path), on)

    reminded = {User.objects.get(pk=pk).role for pk, _path in received}
    # The year's reminders reach every role that owes or oversees work: the link test means something.
    assert {User.Role.UNIT_HEAD, User.Role.FOCAL, User.Role.LEADER} <= reminded, reminded
    assert any("/units/" in path for _pk, path in received), "no reminder leads to a unit's report form"

    client = Client()
    failures = []
    by_user = {}
    for (pk, path), on in sorted(received.items(), key=lambda item: item[1]):
        by_user.setdefault(pk, []).append((path, on))
    for pk, links in by_user.items():
        user = User.objects.get(pk=pk)
        client.force_login(user)
        for path, on in links:
            with time_machine.travel(_noon(on), tick=False):
                response = client.get(path, follow=True)
            final = response.redirect_chain[-1][0] if response.redirect_chain else path
            if response.status_code != 200 or final.startswith(settings.LOGIN_URL):
                failures.append(f"{user.username} ({user.role}) {on:%d/%m/%Y} {path} → {final}: {response.status_code}")
    assert not failures, "\n".join(failures)
    assert len(received) > 10
