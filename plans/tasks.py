"""Celery task: the nightly schedule run (plans.schedule.run_daily), the same function as `manage.py sync_schedule`."""

from celery import shared_task


@shared_task(name="plans.sync_schedule", acks_late=True, soft_time_limit=600, time_limit=660)
def sync_schedule_task(on=None):
    import datetime

    from .schedule import run_daily

    return run_daily(on=datetime.date.fromisoformat(on) if on else None)
