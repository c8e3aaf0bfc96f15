"""The default reminder policy and the periodic tasks that run the reminders (editable in the admin)."""

from django.db import migrations

DAILY = "Gửi nhắc việc hằng ngày"
HOURLY = "Gửi nhắc việc theo giờ người dùng chọn"
TASK = "notifications.send_reminders"


def create(apps, schema_editor):
    ReminderPolicy = apps.get_model("notifications", "ReminderPolicy")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    if not ReminderPolicy.objects.filter(plan__isnull=True).exists():
        ReminderPolicy.objects.create(
            days_before=[7, 3, 1], on_due_day=True, overdue_every_days=3, escalate_after_days=7, stop_after_days=90
        )
    daily, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="7", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Ho_Chi_Minh"
    )
    PeriodicTask.objects.get_or_create(
        name=DAILY,
        defaults={
            "task": TASK,
            "crontab": daily,
            "enabled": True,
            "description": "Thư nhắc việc hằng ngày: hạn báo cáo, hạn nhiệm vụ, quá hạn, báo lãnh đạo.",
        },
    )
    # Those who chose another hour on their preferences page get their digest at that hour;
    # a run sends nothing twice, so the extra runs are harmless.
    hourly, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="8-18", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Ho_Chi_Minh"
    )
    PeriodicTask.objects.get_or_create(
        name=HOURLY,
        defaults={
            "task": TASK,
            "crontab": hourly,
            "enabled": True,
            "description": "Gửi thư cho người đã chọn giờ nhận thư nhắc việc muộn hơn 07:30.",
        },
    )


def remove(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[DAILY, HOURLY]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_reminders"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
