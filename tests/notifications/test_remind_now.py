"""The focal office reminds, with one click, the units that have not reported: logged, once a day."""

import datetime

import pytest
import time_machine
from django.core import mail

from notifications.models import Notification, ReminderLog
from reporting import services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2024, 11, 12, 12, tzinfo=datetime.UTC)


def test_one_click_reminds_the_units_that_have_not_reported_once_a_day(
    client, report_rule, org, people, eager, django_capture_on_commit_callbacks
):
    deadline = report_rule.deadline_for(2024)
    hung = UserFactory(username="hung", role="unit_head", unit=org["qlxnk"])
    services.submit_report(services.start_submission(deadline, org["qlxnk"]), hung)  # reported: not reminded
    client.force_login(people["carol"])
    page = client.get(f"/reports/deadlines/{deadline.pk}/").content.decode()
    assert "Nhắc các đơn vị chưa báo cáo" in page
    with time_machine.travel(NOON, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/notifications/deadlines/{deadline.pk}/remind/", follow=True)
        assert "Đã nhắc 1 đơn vị chưa báo cáo" in response.content.decode()
        [message] = mail.outbox
        assert message.to == ["bob@example.vn"]
        form = f"/reports/deadlines/{deadline.pk}/units/{org['qltm'].pk}/"
        assert form in message.body
        assert Notification.objects.filter(user=people["bob"], url=form).count() == 1
        assert ReminderLog.objects.get(recipient=people["bob"]).status == ReminderLog.Status.SENT

        with django_capture_on_commit_callbacks(execute=True):
            again = client.post(f"/notifications/deadlines/{deadline.pk}/remind/", follow=True)
        assert "Đã nhắc hôm nay, không nhắc lại" in again.content.decode()
        assert len(mail.outbox) == 1
    with time_machine.travel(NOON + datetime.timedelta(days=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/notifications/deadlines/{deadline.pk}/remind/")
    assert len(mail.outbox) == 2


def test_only_the_focal_office_may_remind(client, report_rule, people):
    deadline = report_rule.deadline_for(2024)
    client.force_login(people["dave"])
    assert client.post(f"/notifications/deadlines/{deadline.pk}/remind/").status_code == 403
    assert "Nhắc các đơn vị chưa báo cáo" not in client.get(f"/reports/deadlines/{deadline.pk}/").content.decode()
    client.force_login(people["eve"])
    assert client.post(f"/notifications/deadlines/{deadline.pk}/remind/").status_code == 404
    assert not ReminderLog.objects.exists()
