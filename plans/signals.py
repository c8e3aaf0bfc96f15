"""What the plans app announces to the apps above it, which it must not import (apps depend one way); and, whenever
a task or its plan is saved, the task's rounds follow (plans.schedule): a form, the admin, an import and a test
factory all get the same schedule without having to remember to ask for it."""

from django.db.models.signals import post_migrate, post_save
from django.dispatch import Signal, receiver

from . import schedule
from .models import Plan, Task

# A plan's period (period_start/period_end) was changed and saved; sent with plan=, inside the transaction.
# reporting moves the deadlines of the plan's reporting rules along.
plan_period_changed = Signal()


@receiver(post_save, sender=Task, dispatch_uid="plans.task_schedule")
def task_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        schedule.sync_task(instance)


@receiver(post_save, sender=Plan, dispatch_uid="plans.plan_schedule")
def plan_saved(sender, instance, created=False, raw=False, **kwargs):
    if not raw and not created:
        schedule.sync_plan(instance)


@receiver(post_migrate, dispatch_uid="plans.schedule_after_migrate")
def schedule_after_migrate(sender, app_config=None, **kwargs):
    """Tasks saved before rounds existed (or loaded in bulk) get theirs once the database is up to date."""
    if app_config is None or app_config.label != "plans":
        return
    missing = Task.objects.filter(occurrences__isnull=True)
    if missing.exists():
        schedule.sync_tasks(missing)


# A plan was saved from an imported document (plans.importing.save), inside the transaction; sent with
# plan=, draft= (the Draft) and unit= (a function: UnitRef → Unit). reporting writes the draft's reporting rules.
plan_imported = Signal()
