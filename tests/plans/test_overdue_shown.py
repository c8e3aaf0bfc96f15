"""Lists show "overdue" as the schedule decides it (plans.schedule), never as "first due date < today".

A quarterly task first due 15/02/2024 whose rounds up to the third quarter are done is not overdue on
20/09/2024: every list shows its next date, 15/11/2024, in plain text. A one-off task due 30/06/2024 and still
open is overdue: its date is shown in red.
"""

import datetime

import pytest
import time_machine

from plans.models import Task, TaskOccurrence
from tests.factories import TaskFactory
from tests.html import parse, text

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2024, 9, 20, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))


@pytest.fixture
def two_tasks(plan, org):
    quarterly = TaskFactory(
        plan=plan,
        lead_unit=org["qltm"],
        title="Báo cáo quý về hội chợ",
        timeframe=Task.Timeframe.QUARTERLY,
        due_date=datetime.date(2024, 2, 15),
        status=Task.Status.IN_PROGRESS,
    )
    TaskOccurrence.objects.filter(task=quarterly, due_date__lt=datetime.date(2024, 9, 20)).update(
        status=Task.Status.DONE
    )
    late = TaskFactory(
        plan=plan,
        lead_unit=org["qltm"],
        title="Khảo sát doanh nghiệp xuất khẩu",
        due_date=datetime.date(2024, 6, 30),
        status=Task.Status.IN_PROGRESS,
    )
    return quarterly, late


def due_cell(response, title):
    """The date shown in the row of the task, and whether it is marked as overdue (red)."""
    rows = parse(response).xpath(f'//tr[.//a[normalize-space()="{title}"]]')
    assert rows, f"no row for {title!r}"
    dates = rows[0].xpath('.//*[self::td or self::span][string-length(normalize-space()) = 10][contains(., "/20")]')
    assert dates, f"no date in the row of {title!r}"
    shown = dates[-1]  # the innermost element that holds the date
    return text(shown), "text-danger" in (shown.get("class") or "")


@pytest.mark.parametrize(
    "who,url", [("alice", "/tasks/"), ("alice", "/plans/{plan}/"), ("carol", "/dashboard/tasks/?plan={plan}")]
)
@time_machine.travel(TODAY, tick=False)
def test_lists_show_overdue_as_the_schedule_decides(as_user, plan, two_tasks, who, url):
    response = as_user(who).get(url.format(plan=plan.pk))
    assert response.status_code == 200
    assert due_cell(response, "Báo cáo quý về hội chợ") == ("15/11/2024", False)
    assert due_cell(response, "Khảo sát doanh nghiệp xuất khẩu") == ("30/06/2024", True)
