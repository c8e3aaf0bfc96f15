"""The notification list, the navbar badge, mark read, the preferences page and the calendar feed."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from notifications.models import CalendarFeed, Notification, NotificationPreference
from plans.models import Task
from tests.html import by_id, select, text

from .conftest import at

pytestmark = pytest.mark.django_db


def notify(user, n=1, read=False):
    from django.utils import timezone

    return [
        Notification.objects.create(
            user=user,
            title=f"Báo cáo còn 7 ngày: Báo cáo số {i}",
            url="/reports/deadlines/1/",
            read_at=timezone.now() if read else None,
        )
        for i in range(n)
    ]


def test_navbar_loads_the_unread_count_badge_in_one_query(client, people, django_assert_num_queries):
    notify(people["alice"], 3)
    notify(people["alice"], 2, read=True)
    notify(people["bob"], 4)
    client.force_login(people["alice"])
    assert 'hx-get="/notifications/badge/"' in client.get("/notifications/preferences/").content.decode()
    with django_assert_num_queries(3):  # session, user, the count
        html = client.get("/notifications/badge/").content.decode()
    assert text(by_id(html, "unread-badge")) == "3 chưa đọc"


def test_no_badge_without_unread(client, people):
    client.force_login(people["alice"])
    assert client.get("/notifications/badge/").content.decode().strip() == ""


@pytest.mark.parametrize("count", [1, 60])
def test_list_shows_only_my_notifications_in_few_queries(client, people, django_assert_max_num_queries, count):
    notify(people["alice"], count)
    notify(people["eve"], 2)
    client.force_login(people["alice"])
    with django_assert_max_num_queries(7):
        response = client.get("/notifications/")
    html = response.content.decode()
    assert html.count('id="notification-') == min(count, 30)
    assert "Báo cáo còn 7 ngày" in html
    assert html.count("list-group-item-primary") == min(count, 30)


def test_mark_one_read_with_htmx_returns_the_item(client, people):
    (n,) = notify(people["alice"])
    client.force_login(people["alice"])
    response = client.post(reverse("notifications:mark_read", args=[n.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Trigger"] == "notifications-changed"
    assert f'id="notification-{n.pk}"' in response.content.decode()
    assert "list-group-item-primary" not in response.content.decode()
    n.refresh_from_db()
    assert n.read_at is not None


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(client, people):
    (n,) = notify(people["alice"])
    client.force_login(people["alice"])
    response = client.post(reverse("notifications:mark_read", args=[n.pk]), {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/reports/deadlines/1/"


def test_someone_elses_notification_is_404(client, people):
    (n,) = notify(people["bob"])
    client.force_login(people["alice"])
    assert client.post(reverse("notifications:mark_read", args=[n.pk])).status_code == 404
    n.refresh_from_db()
    assert n.read_at is None


def test_mark_all_read(client, people):
    notify(people["alice"], 3)
    notify(people["bob"], 1)
    client.force_login(people["alice"])
    response = client.post(reverse("notifications:mark_all_read"), follow=True)
    assert "Đã đánh dấu 3 thông báo là đã đọc." in response.content.decode()
    assert Notification.objects.unread().filter(user=people["alice"]).count() == 0
    assert Notification.objects.unread().filter(user=people["bob"]).count() == 1


def test_pages_need_login(client):
    assert client.get("/notifications/").status_code == 302
    assert client.get("/notifications/preferences/").status_code == 302


def test_preferences_page_shows_report_reminders_mandatory_and_disabled(client, people):
    client.force_login(people["alice"])
    html = client.get("/notifications/preferences/").content.decode()
    assert "Nhắc hạn nộp báo cáo định kỳ" in html
    assert "Bắt buộc: đơn vị chưa nộp báo cáo luôn được nhắc" in html
    [report_reminders] = select(html, '//input[@name="report_reminders"]')
    assert report_reminders.get("disabled") is not None and report_reminders.get("checked") is not None
    assert "07:30" in html and "/calendar/" in html


def test_saving_preferences(client, people):
    client.force_login(people["alice"])
    response = client.post(
        "/notifications/preferences/",
        {"digest_hour": "9", "language": "en", "returned_report_notices": "on", "report_reminders": ""},
        follow=True,
    )
    assert response.status_code == 200
    preference = NotificationPreference.objects.get(user=people["alice"])
    assert (preference.task_reminders, preference.returned_report_notices, preference.digest_hour) == (False, True, 9)
    people["alice"].refresh_from_db()
    assert people["alice"].language == "en"


def test_bad_hour_is_refused_with_a_message_and_nothing_saved(client, people):
    client.force_login(people["alice"])
    response = client.post("/notifications/preferences/", {"digest_hour": "3", "language": "vi"})
    assert response.status_code == 200
    assert "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()
    assert not NotificationPreference.objects.exists()


# --- Calendar feed ---------------------------------------------------------------------------------


@pytest.fixture
def feed(people):
    return CalendarFeed.for_user(people["bob"])


def test_calendar_feed_holds_report_deadlines_and_task_due_dates(client, feed, report_rule, task, people):
    report_rule.deadline_for(2024)
    deadline = report_rule.deadline_for(2025)
    task.due_date = datetime.date(2025, 11, 16)
    task.status = Task.Status.IN_PROGRESS
    task.save()
    done = Task.objects.create(
        plan=task.plan, title="Đã xong", lead_unit=task.lead_unit, due_date=datetime.date(2025, 3, 1), status="done"
    )
    with time_machine.travel(datetime.datetime(2025, 6, 1, 8, tzinfo=datetime.UTC)):
        response = client.get(f"/calendar/{feed.token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content
    assert body.startswith(b"BEGIN:VCALENDAR\r\n") and b"\r\nEND:VCALENDAR\r\n" in body
    cal = Calendar.from_ical(body)
    assert cal["VERSION"] == "2.0" and "Cổng PCI" in str(cal["PRODID"])
    assert str(cal["X-WR-CALNAME"]) == "Cổng PCI – Trần Văn Bình"
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    host = "127.0.0.1"
    assert set(events) == {f"deadline-{deadline.pk}@{host}", f"task-{task.pk}@{host}"} | (
        {f"deadline-{report_rule.deadlines.get(year=2024).pk}@{host}"}
    )
    assert f"task-{done.pk}@{host}" not in events
    event = events[f"deadline-{deadline.pk}@{host}"]
    assert str(event["SUMMARY"]) == "Hạn nộp báo cáo: Báo cáo kết quả thực hiện Kế hoạch"
    assert event.decoded("DTSTART") == datetime.date(2025, 11, 15)
    assert b"DTSTART;VALUE=DATE:20251115" in body
    # Bob is the head of a unit that owes the report: the event opens his unit's report form.
    unit = people["bob"].unit_id
    assert str(event["URL"]) == f"http://127.0.0.1:8000/reports/deadlines/{deadline.pk}/units/{unit}/"
    task_event = events[f"task-{task.pk}@{host}"]
    assert str(task_event["SUMMARY"]) == "Hạn nhiệm vụ: Tăng số lượng hội chợ thương mại"
    assert "Hạn rơi vào Chủ nhật" in str(task_event["DESCRIPTION"])
    assert task_event.walk("VALARM")


@time_machine.travel(at(2026, 6, 1), tick=False)
def test_calendar_uids_are_stable_between_downloads(client, feed, report_rule):
    report_rule.deadline_for(2026)
    first = Calendar.from_ical(client.get(f"/calendar/{feed.token}.ics").content)
    second = Calendar.from_ical(client.get(f"/calendar/{feed.token}.ics").content)
    uids = [str(e["UID"]) for e in first.walk("VEVENT")]
    assert uids and uids == [str(e["UID"]) for e in second.walk("VEVENT")]


def test_unknown_or_regenerated_token_is_404(client, feed, people):
    assert client.get("/calendar/not-a-token.ics").status_code == 404
    old = feed.token
    client.force_login(people["bob"])
    response = client.post(reverse("notifications:regenerate_calendar"), follow=True)
    assert "Đã tạo địa chỉ lịch mới" in response.content.decode()
    feed.refresh_from_db()
    assert feed.token != old and len(feed.token) >= 32
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get(f"/calendar/{feed.token}.ics").status_code == 200
    assert f"/calendar/{feed.token}.ics" in response.content.decode()


@time_machine.travel(at(2026, 6, 1), tick=False)
def test_outsiders_calendar_has_none_of_our_deadlines(client, report_rule, people):
    deadline = report_rule.deadline_for(2026)
    ours = Calendar.from_ical(client.get(f"/calendar/{CalendarFeed.for_user(people['bob']).token}.ics").content)
    assert [str(e["UID"]) for e in ours.walk("VEVENT")] == [f"deadline-{deadline.pk}@127.0.0.1"]
    feed = CalendarFeed.for_user(people["eve"])
    cal = Calendar.from_ical(client.get(f"/calendar/{feed.token}.ics").content)
    assert cal.walk("VEVENT") == []


def test_returned_report_e_mail_respects_the_preference_but_the_notification_stays(
    people, report_rule, eager, django_capture_on_commit_callbacks
):
    from django.core import mail

    from notifications.services import notify

    deadline = report_rule.deadline_for(2024)
    context = {"deadline": deadline, "reason": "Thiếu số liệu", "by": people["carol"], "url": "/reports/"}
    NotificationPreference.objects.create(user=people["bob"], returned_report_notices=False)
    with django_capture_on_commit_callbacks(execute=True):
        for name in ("bob", "alice"):
            notify(people[name], "Báo cáo bị trả lại", email=("report-returned", context))
    assert Notification.objects.filter(title="Báo cáo bị trả lại").count() == 2
    assert [m.to for m in mail.outbox] == [["alice@example.vn"]]
