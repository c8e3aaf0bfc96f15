"""The focal office's tracker: every reporting unit with where its report stands, in constant queries."""

import pytest
import time_machine
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reporting import services
from reporting.report import build_consolidated_context
from tests.factories import TaskFactory, UnitFactory

from .conftest import at

pytestmark = pytest.mark.django_db


def states_on_page(html):
    import re

    rows = re.findall(r'<tr data-unit="([^"]+)">(.*?)</tr>', html, re.S)
    return {code: re.search(r'<span class="badge[^"]*">([^<]+)</span>', body).group(1) for code, body in rows}


def test_tracker_shows_on_time_late_not_submitted_returned_and_accepted(
    client, deadline, unit_tasks, org, heads, people
):
    extra = {name: UnitFactory(code=f"QNG-SCT-{name}", name=f"Phòng {name}", parent=org["sct"]) for name in "ABC"}
    deadline.fix_units()  # units created after the deadline opened owe it only once it is refreshed
    with time_machine.travel(at(2025, 11, 14), tick=False):
        services.submit_report(services.start_submission(deadline, org["qltm"]), heads["bob"])
        on_time_then_returned = services.submit_report(services.start_submission(deadline, extra["A"]), people["carol"])
        accepted = services.submit_report(services.start_submission(deadline, extra["B"]), people["carol"])
    with time_machine.travel(at(2025, 11, 18), tick=False):
        services.submit_report(services.start_submission(deadline, org["qlxnk"]), heads["hung"])
        services.return_report(on_time_then_returned, people["carol"], "Thiếu số liệu.")
        services.accept_report(accepted, people["carol"])
        services.start_submission(deadline, extra["C"])  # a draft is not submitted
        client.force_login(people["carol"])
        response = client.get(reverse("reporting:tracker", args=[deadline.pk]))
    html = response.content.decode()
    assert states_on_page(html) == {
        "QNG-SCT-QLTM": "Đúng hạn",
        "QNG-SCT-QLXNK": "Trễ hạn",
        "QNG-SCT-A": "Bị trả lại",
        "QNG-SCT-B": "Đã tiếp nhận",
        "QNG-SCT-C": "Quá hạn",  # a draft after the due date is overdue
    }
    assert "Thiếu số liệu." in html
    assert "Tổng hợp" in html
    assert reverse("reporting:submission_accept", args=[accepted.pk]) not in html  # already accepted


def _units_with_reports(deadline, org, people, n):
    for i in range(n):
        unit = UnitFactory(code=f"QNG-SCT-X{i}", name=f"Phòng thử nghiệm {i}", parent=org["sct"])
        TaskFactory(plan=deadline.rule.plan, lead_unit=unit, title=f"Nhiệm vụ {i}")
        deadline.fix_units()
        sub = services.submit_report(services.start_submission(deadline, unit), people["carol"])
        if i % 2:
            services.accept_report(sub, people["carol"])


def _count(fn):
    reset_queries()  # a request resets the log; counting must start from an empty one
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


@pytest.fixture
def carol_client(client, people):
    client.force_login(people["carol"])
    return client


def test_tracker_query_count_does_not_grow_with_the_units(
    carol_client, deadline, org, people, django_assert_num_queries
):
    url = reverse("reporting:tracker", args=[deadline.pk])
    _units_with_reports(deadline, org, people, 2)
    small = _count(lambda: carol_client.get(url))
    _units_with_reports(deadline, org, people, 0)
    for i in range(2, 30):
        unit = UnitFactory(code=f"QNG-SCT-Y{i}", name=f"Phòng Y {i}", parent=org["sct"])
        deadline.fix_units()
        services.submit_report(services.start_submission(deadline, unit), people["carol"])
    reset_queries()
    with django_assert_num_queries(small):
        response = carol_client.get(url)
    assert response.content.decode().count("data-unit=") == 2 + 2 + 28


def test_report_builder_query_count_does_not_grow_with_the_units(deadline, org, people, django_assert_num_queries):
    _units_with_reports(deadline, org, people, 2)
    small = _count(lambda: build_consolidated_context(deadline))
    _units_with_reports_more = [
        UnitFactory(code=f"QNG-SCT-Z{i}", name=f"Phòng Z {i}", parent=org["sct"]) for i in range(20)
    ]
    deadline.fix_units()
    for unit in _units_with_reports_more:
        TaskFactory(plan=deadline.rule.plan, lead_unit=unit)
        TaskFactory(plan=deadline.rule.plan, lead_unit=unit)
        services.accept_report(
            services.submit_report(services.start_submission(deadline, unit), people["carol"]), people["carol"]
        )
    reset_queries()
    with django_assert_num_queries(small):
        context = build_consolidated_context(deadline)
    assert len(context["units_reported"]) == 1 + 20


def test_my_reports_query_count_is_constant(client, deadline, heads, people, django_assert_num_queries):
    from reporting.models import ReportingRule
    from tests.factories import ReportingRuleFactory

    client.force_login(heads["bob"])
    url = reverse("reporting:my_reports")
    with time_machine.travel(at(2025, 11, 3), tick=False):
        small = _count(lambda: client.get(url))
        for month in range(1, 10):
            rule = ReportingRuleFactory(
                plan=deadline.rule.plan, kind=ReportingRule.Kind.ANNUAL, day=20, month=month,
                from_children_of=deadline.rule.from_children_of, to_unit=deadline.rule.to_unit,
            )  # fmt: skip
            rule.deadline_for(2025)
        reset_queries()
    with django_assert_num_queries(small):
        response = client.get(url)
    assert response.content.decode().count("Soạn báo cáo") == 10


def test_focal_office_sets_the_number_date_and_recipients_of_the_consolidated_report(client, deadline, people, heads):
    import datetime

    url = reverse("reporting:deadline_settings", args=[deadline.pk])
    client.force_login(people["carol"])
    client.post(
        url, {"report_number": "92/BC-SCT", "report_date": "03/12/2025", "recipients": "UBND tỉnh (b/c)\nLưu: VT"}
    )
    deadline.refresh_from_db()
    assert (deadline.report_number, deadline.report_date) == ("92/BC-SCT", datetime.date(2025, 12, 3))
    assert build_consolidated_context(deadline)["recipients"] == ["UBND tỉnh (b/c)", "Lưu: VT"]
    response = client.post(url, {"report_number": "93/BC-SCT", "report_date": "31/02/2025"}, follow=True)
    assert "Ngày không hợp lệ" in response.content.decode()
    deadline.refresh_from_db()
    assert deadline.report_number == "92/BC-SCT"
    client.force_login(heads["bob"])
    assert client.post(url, {"report_number": "1/BC"}).status_code == 403
