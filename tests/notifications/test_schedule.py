"""The daily run is scheduled in the database (django-celery-beat), editable in the admin."""

import pytest
import time_machine
from celery import beat
from django_celery_beat.models import PeriodicTask

from pci_portal.celery import app

from .conftest import at

pytestmark = pytest.mark.django_db


def test_daily_reminder_run_is_scheduled_at_7_30_vietnam_time():
    periodic = PeriodicTask.objects.get(name="Gửi nhắc việc hằng ngày")
    assert periodic.enabled and periodic.task == "notifications.send_reminders"
    crontab = periodic.crontab
    assert (crontab.minute, crontab.hour, crontab.day_of_week) == ("30", "7", "*")
    assert str(crontab.timezone) == "Asia/Ho_Chi_Minh"


def test_the_scheduled_task_name_is_a_registered_celery_task():
    app.loader.import_default_modules()
    names = set(PeriodicTask.objects.filter(name__startswith="Gửi nhắc việc").values_list("task", flat=True))
    assert names == {"notifications.send_reminders"}
    assert "notifications.send_reminders" in app.tasks


def test_beat_reads_its_schedule_from_the_database_so_an_edit_in_the_admin_takes_effect():
    periodic = PeriodicTask.objects.get(name="Gửi nhắc việc hằng ngày")
    periodic.crontab.hour = "6"
    periodic.crontab.save()
    scheduler = beat.Service(app, scheduler_cls=app.conf.beat_scheduler).get_scheduler(lazy=True)
    # The scheduler loads only the crontab entries due within two hours of now.
    with time_machine.travel(at(2024, 11, 8, 5, 45), tick=False):
        entry = scheduler.all_as_schedule()["Gửi nhắc việc hằng ngày"]
    assert entry.task == "notifications.send_reminders"
    assert entry.schedule.hour == {6} and entry.schedule.minute == {30}


def test_periodic_tasks_are_editable_in_the_admin(admin_client):
    periodic = PeriodicTask.objects.get(name="Gửi nhắc việc hằng ngày")
    response = admin_client.get(f"/admin/django_celery_beat/periodictask/{periodic.pk}/change/")
    assert response.status_code == 200
    assert "Gửi nhắc việc hằng ngày" in response.content.decode()


def test_failed_reminders_are_filterable_by_status_in_the_admin(admin_client, report_rule, people):
    from notifications.models import ReminderLog

    deadline = report_rule.deadline_for(2024)
    ReminderLog.objects.create(
        kind="report",
        item_id=deadline.pk,
        recipient=people["bob"],
        step="before-7",
        due_date=deadline.due_date,
        run_date=deadline.due_date,
        status="failed",
        error="SMTPServerDisconnected: Connection unexpectedly closed",
    )
    ReminderLog.objects.create(
        kind="report",
        item_id=deadline.pk,
        recipient=people["frank"],
        step="before-7",
        due_date=deadline.due_date,
        run_date=deadline.due_date,
        status="sent",
    )
    html = admin_client.get("/admin/notifications/reminderlog/?status__exact=failed").content.decode()
    assert "Gửi lỗi" in html
    assert "Trần Văn Bình" in html and "Phạm Văn Phúc" not in html


def test_policy_is_editable_in_the_admin_with_a_clear_message_for_bad_days(admin_client, plan):
    from notifications.models import ReminderPolicy

    default = ReminderPolicy.objects.get(plan__isnull=True)
    assert default.days_before == [7, 3, 1]
    form = {"plan": plan.pk, "on_due_day": "on", "overdue_every_days": 3, "escalate_after_days": 7}
    form["stop_after_days"] = 90
    response = admin_client.post("/admin/notifications/reminderpolicy/add/", {**form, "days_before": '["bảy"]'})
    assert "Nhập danh sách số ngày dương, ví dụ [7, 3, 1]." in response.content.decode()
    response = admin_client.post("/admin/notifications/reminderpolicy/add/", {**form, "days_before": "[10, 2]"})
    assert response.status_code == 302
    assert ReminderPolicy.objects.get(plan=plan).days_before == [10, 2]
