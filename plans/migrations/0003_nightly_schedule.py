"""The nightly run of the task schedule (plans.sync_schedule), editable in the admin like the reminders."""

from django.db import migrations

NAME = "Lập kỳ thực hiện nhiệm vụ hằng đêm"


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    # Before the reminders (07:30), so they read today's rounds.
    nightly, _ = CrontabSchedule.objects.get_or_create(
        minute="5", hour="0", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Ho_Chi_Minh"
    )
    PeriodicTask.objects.get_or_create(
        name=NAME,
        defaults={
            "task": "plans.sync_schedule",
            "crontab": nightly,
            "enabled": True,
            "description": "Lập các kỳ thực hiện của nhiệm vụ định kỳ; mỗi nhiệm vụ hiển thị trạng thái kỳ hiện tại.",
        },
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0002_task_occurrences"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
