"""Answers to accounts' signals: when a unit merges into a successor, its plans and tasks move with it."""

from django.dispatch import receiver

from accounts.signals import unit_merged

from .models import Plan, Task


@receiver(unit_merged)
def move_plans_and_tasks(sender, old, successor, **kwargs):
    Plan.objects.filter(issuer=old).update(issuer=successor)
    Plan.objects.filter(focal_unit=old).update(focal_unit=successor)
    Task.objects.filter(lead_unit=old).update(lead_unit=successor)
    through = Task.coordinating_units.through
    already = set(through.objects.filter(unit=successor).values_list("task_id", flat=True))
    rows = through.objects.filter(unit=old)
    through.objects.bulk_create(
        [through(task_id=t, unit=successor) for t in rows.values_list("task_id", flat=True) if t not in already]
    )
    rows.delete()
