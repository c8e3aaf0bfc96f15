"""The reminder policy names the step due on a day: before-7/3/1, due, overdue-3/6/…, escalate after 7 days."""

import datetime

import pytest

from notifications.models import ReminderPolicy

DUE = datetime.date(2024, 11, 15)


def day(offset):
    return DUE + datetime.timedelta(days=offset)


@pytest.mark.parametrize(
    ("offset", "step"),
    [
        (-8, None),
        (-7, "before-7"),
        (-6, "before-7"),  # catch-up: still the latest step; the log keeps it from going out twice
        (-3, "before-3"),
        (-2, "before-3"),
        (-1, "before-1"),
        (0, "due"),
        (1, "due"),
        (2, "due"),
        (3, "overdue-3"),
        (5, "overdue-3"),
        (6, "overdue-6"),
        (9, "overdue-9"),
        (91, None),
    ],
)
def test_default_policy_names_the_latest_step_due(offset, step):
    assert ReminderPolicy().step_for(DUE, day(offset)) == step


def test_after_days_of_downtime_only_the_current_step_is_due():
    # Down from 7 days before to the day before: the run sends before-1, not before-7 and before-3 as well.
    assert ReminderPolicy().step_for(DUE, day(-1)) == "before-1"


@pytest.mark.parametrize(("offset", "escalates"), [(6, False), (7, True), (30, True), (91, False)])
def test_leader_is_told_from_7_days_overdue(offset, escalates):
    assert ReminderPolicy().escalates(DUE, day(offset)) is escalates


def test_a_plan_policy_without_reminders_before_or_overdue():
    policy = ReminderPolicy(days_before=[14], on_due_day=False, overdue_every_days=0, escalate_after_days=0)
    assert policy.step_for(DUE, day(-14)) == "before-14"
    assert policy.step_for(DUE, day(-1)) == "before-14"
    assert policy.step_for(DUE, day(0)) is None
    assert policy.step_for(DUE, day(10)) is None
    assert not policy.escalates(DUE, day(10))
