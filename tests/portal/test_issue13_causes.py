"""Each cause of a server error listed in issue 13, now answered with a Vietnamese message (or simply working).

The property suite (test_bad_input.py) keeps the whole class of them away; these name each one.
"""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from notifications.reminders import send_reminders
from plans.models import Plan, TaskUpdate
from reporting.models import Deadline, ReportingRule

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(client, people):
    def login(name):
        client.force_login(people[name])
        client.raise_request_exception = False
        return client

    return login


def plan_data(plan, **changes):
    data = {
        "kind": "plan",
        "issuer": plan.issuer_id,
        "title": plan.title,
        "period_start": 2021,
        "period_end": 2025,
        "place": "Quảng Ngãi",
        "tracked": "on",
    }
    return {**data, **changes}


@pytest.mark.parametrize("start, end", [(0, 2025), (1, 2025), (2021, 10000), (2021, 9999), (1999, 2025)])
def test_a_plan_period_outside_2000_2100_is_refused_in_vietnamese(as_user, plan, start, end):
    response = as_user("carol").post(f"/plans/{plan.pk}/edit/", plan_data(plan, period_start=start, period_end=end))
    assert response.status_code == 200
    assert "2000" in response.content.decode() and "2100" in response.content.decode()
    plan.refresh_from_db()
    assert (plan.period_start, plan.period_end) == (2021, 2025)
    assert not Deadline.objects.exists()


def test_a_plan_over_the_whole_range_creates_a_bounded_number_of_deadlines_quickly(as_user, plan, org):
    ReportingRule.objects.create(plan=plan, kind="annual", title="BC năm", day=5, month=12, to_unit=org["khtcth"])
    response = as_user("carol").post(f"/plans/{plan.pk}/edit/", plan_data(plan, period_start=2000, period_end=2100))
    assert response.status_code == 302
    assert Deadline.objects.count() == 101


def test_a_rule_due_29_february_is_due_28_february_in_a_common_year(as_user, plan, org):
    response = as_user("carol").post(
        reverse("reporting:rule_create", args=[plan.pk]),
        {"kind": "annual", "title": "Báo cáo", "day": 29, "month": 2, "to_unit": org["khtcth"].pk},
    )
    assert response.status_code == 302
    dates = dict(Deadline.objects.values_list("year", "due_date"))
    assert dates[2024] == datetime.date(2024, 2, 29)
    assert dates[2025] == datetime.date(2025, 2, 28)


def test_the_daily_reminder_run_survives_a_rule_due_29_february(plan, org, task):
    rule = ReportingRule.objects.create(plan=plan, kind="annual", title="BC", day=29, month=2, to_unit=org["khtcth"])
    rule.from_units.add(org["qltm"])
    with time_machine.travel(datetime.datetime(2025, 2, 20, 8, tzinfo=datetime.UTC), tick=False):
        send_reminders(on=datetime.date(2025, 2, 20))
    assert Deadline.objects.get(rule=rule, year=2025).due_date == datetime.date(2025, 2, 28)


def test_one_plan_that_cannot_be_dated_does_not_stop_the_reminder_run(plan, org, task):
    """Stored data from before the bounds (a plan in year 1) is logged and skipped; the others are dated."""
    broken = Plan.objects.create(key="hong", issuer=org["sct"], title="Kế hoạch hỏng", period_start=1, period_end=2026)
    ReportingRule.objects.create(plan=broken, kind="annual", title="BC", day=5, month=12, to_unit=org["khtcth"])
    ReportingRule.objects.create(plan=plan, kind="annual", title="BC", day=5, month=12, to_unit=org["khtcth"])
    Plan.objects.filter(pk=broken.pk).update(period_end=10**6)  # year 1000001 cannot be a date
    send_reminders(on=datetime.date(2025, 2, 20))
    assert Deadline.objects.filter(rule__plan=plan, year=2025).exists()


@pytest.mark.parametrize(
    "query, status, text",
    [
        ("province=abc&subindex=8&score=7", 404, "Không tìm thấy"),
        ("province=1&subindex=8&score=NaN", 200, "Nhập điểm mục tiêu từ 0 đến 10"),
        ("province=1&subindex=8&score=Infinity", 200, "Nhập điểm mục tiêu từ 0 đến 10"),
        ("province=1&subindex=abc&score=7&year=99999999999999999999", 200, ""),
    ],
)
def test_what_if_with_bad_numbers(as_user, query, status, text):
    response = as_user("carol").get(f"/dashboard/what-if/?{query}")
    assert response.status_code == status
    assert text in response.content.decode()


def test_calendar_with_a_nul_in_its_address_is_a_404_for_anyone(db):
    response = Client(raise_request_exception=False).get("/calendar/%00.ics")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_searching_plans_for_a_nul_finds_nothing_special(as_user, plan):
    response = as_user("carol").get("/plans/?q=%00")
    assert response.status_code == 200


@pytest.mark.parametrize("leader", ["9" * 30, str(2**63), "²", "１２", "-1"])
def test_a_huge_or_odd_leader_id_lists_no_tasks(as_user, task, leader):
    response = as_user("carol").get(f"/dashboard/tasks/?leader={leader}")
    assert response.status_code == 200


def test_control_characters_typed_in_a_form_are_removed(as_user, task):
    response = as_user("alice").post(
        f"/tasks/{task.pk}/update/",
        {"status": "in_progress", "progress": 10, "note": "Đã\x01 họp\x0b với\x0c doanh\x1b nghiệp", "version": 0},
    )
    assert response.status_code == 302
    assert TaskUpdate.objects.get().note == "Đã họp với doanh nghiệp"


def test_text_of_100000_characters_is_refused_in_vietnamese(as_user, task):
    response = as_user("alice").post(
        f"/tasks/{task.pk}/update/", {"status": "in_progress", "progress": 10, "note": "x" * 100_000, "version": 0}
    )
    assert response.status_code == 400
    assert "tối đa 50000 ký tự" in response.content.decode().replace(".", "").replace(",", "")
    assert not TaskUpdate.objects.exists()


class TestErrorPagesWithoutDebug:
    """Every error Django can answer is a Vietnamese page, with DEBUG off."""

    @pytest.fixture(autouse=True)
    def production(self, settings):
        settings.DEBUG = False

    def test_400_bad_request(self, client):
        client.raise_request_exception = False
        response = client.get("/login/", headers={"host": "evil.example"})
        assert response.status_code == 400
        assert "Yêu cầu không hợp lệ" in response.content.decode()

    def test_403_csrf(self, people):
        client = Client(enforce_csrf_checks=True)
        client.force_login(people["alice"])
        response = client.post("/notifications/read-all/")
        assert response.status_code == 403
        assert "Phiên làm việc đã hết hạn" in response.content.decode()

    def test_403_and_404(self, as_user):
        client = as_user("alice")
        assert "Không có quyền truy cập" in client.get("/dashboard/").content.decode()
        assert "Không tìm thấy trang" in client.get("/khong-co/").content.decode()

    def test_405(self, as_user, task):
        response = as_user("alice").get(f"/tasks/{task.pk}/update/")
        assert response.status_code == 405
        assert "Thao tác không được hỗ trợ" in response.content.decode()

    def test_500(self, rf):
        from django.views.defaults import server_error

        response = server_error(rf.get("/"))
        assert response.status_code == 500
        assert "Lỗi hệ thống" in response.content.decode()
