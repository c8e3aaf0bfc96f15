"""The demo lives today: beside the two source plans, illustrative activity around the day it is loaded."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from demo.activity import KEY, MARK
from notifications.reminders import send_reminders
from plans.models import Plan, Task
from reporting.models import Submission

pytestmark = pytest.mark.django_db

SOME_DAY = datetime.datetime(2027, 3, 10, 9, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))


@pytest.fixture
def demo_today(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(SOME_DAY, tick=False):
        out = StringIO()
        call_command("load_demo", stdout=out)
        yield out.getvalue()


def test_the_source_plans_stay_as_they_are_and_the_illustration_is_marked(demo_today):
    assert "Kế hoạch minh họa" in demo_today
    plan = Plan.objects.get(key=KEY)
    assert plan.title.startswith(MARK) and "không phải văn bản thật" in plan.title
    assert all(t.title.startswith(MARK) for t in plan.tasks.all())
    assert not Task.objects.exclude(plan=plan).filter(title__contains=MARK).exists()


def test_on_the_day_it_is_loaded_there_is_work_due_soon_overdue_and_reports_of_every_kind(demo_today):
    today = SOME_DAY.date()
    tasks = Task.objects.filter(plan__key=KEY)
    assert tasks.filter(due_date__gt=today).exists() and tasks.overdue(on=today).exists()
    assert tasks.filter(updates__evidence__isnull=False).exists()
    statuses = set(Submission.objects.filter(deadline__rule__plan__key=KEY).values_list("status", flat=True))
    assert {Submission.Status.ACCEPTED, Submission.Status.RETURNED} <= statuses


def test_send_reminders_dry_run_lists_reminders_on_the_day(demo_today):
    with time_machine.travel(SOME_DAY, tick=False):
        result = send_reminders(on=SOME_DAY.date(), dry_run=True)
    assert any(MARK in line for line in result.lines)


def test_loading_again_leaves_one_illustrative_plan(demo_today):
    with time_machine.travel(SOME_DAY + datetime.timedelta(days=30), tick=False):
        call_command("load_demo", stdout=StringIO())
    assert Plan.objects.filter(key=KEY).count() == 1
