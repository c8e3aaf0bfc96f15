"""A reminder run at province scale: its SQL statements grow with batches of people, never with reminders.

Before issue 15 every reminder cost a savepoint and two INSERTs, and every person three UPDATEs (44,631
statements for 3,000 people); bench/reminders.py measures the province, these tests hold the rule.
"""

import datetime

import pytest
import time_machine
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from notifications import reminders
from notifications.models import Notification, ReminderLog
from notifications.reminders import send_reminders
from reporting.models import ReportingRule
from tests.factories import ReportingRuleFactory, TaskFactory, UserFactory

from .conftest import at

pytestmark = pytest.mark.django_db

ON = datetime.date(2024, 11, 8)


def statements_of_a_run(plan, org, people, tasks_each, reports_each):
    """SQL statements of one run in which each of `people` has `tasks_each` tasks due in 7 days and owes
    `reports_each` reports due in 7 days; rolled back, so the next count starts from the same database."""
    with transaction.atomic():
        for _ in range(tasks_each):
            task = TaskFactory(plan=plan, lead_unit=org["qltm"], due_date=ON + datetime.timedelta(days=7))
            task.assignees.add(*people)
        rule = ReportingRuleFactory(
            plan=plan, kind=ReportingRule.Kind.UNIT_TO_FOCAL, day=15, month=11, to_unit=org["khtcth"]
        )
        rule.from_units.add(*[p.unit for p in people])
        for _n in range(1, reports_each):  # more report deadlines of the same rules: more reminders per person
            extra = ReportingRuleFactory(
                plan=plan, kind=ReportingRule.Kind.UNIT_TO_FOCAL, day=15, month=11, to_unit=org["khtcth"]
            )
            extra.from_units.add(*[p.unit for p in people])
        mail.outbox.clear()
        with time_machine.travel(at(2024, 11, 8), tick=False), CaptureQueriesContext(connection) as queries:
            result = send_reminders()
        sent = (result.sent, result.emails, len(mail.outbox))
        transaction.set_rollback(True)
    return len(queries), sent


@pytest.fixture
def heads(org):
    """Five unit heads, each of a unit of their own that owes the reports."""
    from tests.factories import UnitFactory

    return [
        UserFactory(username=f"head{i}", role="unit_head", unit=UnitFactory(code=f"U{i}", parent=org["sct"]))
        for i in range(5)
    ]


def test_statements_do_not_grow_with_reminders_per_person(plan, org, heads):
    few, few_sent = statements_of_a_run(plan, org, heads, tasks_each=3, reports_each=1)
    many, many_sent = statements_of_a_run(plan, org, heads, tasks_each=6, reports_each=1)
    assert few_sent == (5 * 4, 5, 5) and many_sent == (5 * 7, 5, 5)
    assert many == few, f"{few} statements for 4 reminders each, {many} for 7"


def test_statements_do_not_grow_with_the_people_of_a_batch(plan, org, heads):
    five, five_sent = statements_of_a_run(plan, org, heads, tasks_each=1, reports_each=2)
    # Five more heads, each in a unit of the first five: the same reports owed, twice the people.
    more = [UserFactory(username=f"head{5 + i}", role="unit_head", unit=h.unit) for i, h in enumerate(heads)]
    ten_heads = heads + more
    ten, ten_sent = statements_of_a_run(plan, org, ten_heads, tasks_each=1, reports_each=2)
    assert five_sent == (5 * 3, 5, 5) and ten_sent == (10 * 3, 10, 10)
    assert ten == five, f"{five} statements for 5 people, {ten} for 10"


def test_a_run_claims_a_batch_of_people_in_one_insert(plan, org, heads, monkeypatch):
    monkeypatch.setattr(reminders, "BATCH", 2)  # five people: three batches
    assert inserts_of_a_run(plan, org, heads) == {"log": 3, "notification": 3, "emails": 5}


def inserts_of_a_run(plan, org, people):
    """INSERT statements into the reminder log and the notifications, two tasks for each of `people`."""
    with transaction.atomic():
        for _ in range(2):
            task = TaskFactory(plan=plan, lead_unit=org["qltm"], due_date=ON + datetime.timedelta(days=7))
            task.assignees.add(*people)
        mail.outbox.clear()
        with time_machine.travel(at(2024, 11, 8), tick=False), CaptureQueriesContext(connection) as queries:
            send_reminders()
        transaction.set_rollback(True)
    sql = [q["sql"] for q in queries.captured_queries]
    return {
        "log": sum(s.startswith(f'INSERT INTO "{ReminderLog._meta.db_table}"') for s in sql),
        "notification": sum(s.startswith(f'INSERT INTO "{Notification._meta.db_table}"') for s in sql),
        "emails": len(mail.outbox),
    }
