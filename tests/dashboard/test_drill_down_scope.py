"""Dashboard links stay inside the reader's scope and open for the reader."""

import datetime

import pytest
import time_machine

from plans.models import Task
from tests.factories import PlanFactory, ReportingRuleFactory, TaskFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2025, 11, 20, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


def test_a_unit_outside_the_agency_is_not_offered_and_a_typed_one_is_a_vietnamese_404(client, people, org, plan):
    # A provincial plan the SCT leader reads, with an overdue task led by another agency (Sở Tư pháp)
    # that an SCT division coordinates: he sees the task, not the other agency's units.
    province_plan = PlanFactory(key="qng-ubnd", issuer=org["ubnd"], period_start=2025, period_end=2025)
    TaskFactory(plan=province_plan, lead_unit=org["qltm"], status=Task.Status.IN_PROGRESS)
    outside = TaskFactory(
        plan=province_plan,
        lead_unit=org["stp_hc"],
        due_date=datetime.date(2025, 10, 1),
        status=Task.Status.IN_PROGRESS,
    )
    outside.coordinating_units.add(org["qlxnk"])
    client.force_login(people["dave"])
    response = client.get(f"/dashboard/?plan={province_plan.pk}")
    body = response.content.decode()
    assert response.status_code == 200
    assert f"unit={org['stp_hc'].pk}" not in body and f"unit={org['stp'].pk}" not in body
    data = response.context["chart_data"]
    assert "Phòng Hành chính tư pháp" in data["overdue_units"]["labels"]  # shown, but not as a link
    assert org["stp"].pk not in data["overdue_units"]["ids"] and org["stp_hc"].pk not in data["overdue_units"]["ids"]
    missing = client.get(f"/dashboard/tasks/?unit={org['stp_hc'].pk}")
    assert missing.status_code == 404
    assert "Không tìm thấy trang" in missing.content.decode()


def test_leaders_deadline_link_opens_a_read_only_tracker(client, people, org, plan):
    rule = ReportingRuleFactory(plan=plan, to_unit=org["khtcth"], from_children_of=org["sct"], day=15, month=11)
    deadline = rule.deadline_for(2025)
    client.force_login(people["dave"])
    body = client.get(f"/dashboard/?plan={plan.pk}&year=2025").content.decode()
    assert f'href="/reports/deadlines/{deadline.pk}/"' in body
    tracker = client.get(f"/reports/deadlines/{deadline.pk}/")
    html = tracker.content.decode()
    assert tracker.status_code == 200
    assert "Chỉ xem" in html and "Quá hạn" in html  # nobody reported and 15/11 has passed
    assert "Lưu thông tin báo cáo" not in html and "Trả lại báo cáo" not in html
    assert client.post(f"/reports/deadlines/{deadline.pk}/settings/", {"report_number": "1/BC"}).status_code == 403
