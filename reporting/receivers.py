"""Answers to accounts' signals: when a unit merges into a successor, its reporting duties and reports move."""

from django.dispatch import receiver

from accounts.signals import unit_merged

from .models import ReportingRule, Submission


@receiver(unit_merged)
def move_reporting(sender, old, successor, **kwargs):
    ReportingRule.objects.filter(to_unit=old).update(to_unit=successor)
    ReportingRule.objects.filter(from_children_of=old).update(from_children_of=successor)
    through = ReportingRule.from_units.through
    already = set(through.objects.filter(unit=successor).values_list("reportingrule_id", flat=True))
    rows = through.objects.filter(unit=old)
    through.objects.bulk_create(
        [
            through(reportingrule_id=r, unit=successor)
            for r in rows.values_list("reportingrule_id", flat=True)
            if r not in already
        ]
    )
    rows.delete()
    # A report moves unless the successor has its own for the same deadline: then the old one stays, readable
    # as the merged unit's.
    taken = Submission.objects.filter(unit=successor).values("deadline_id")
    Submission.objects.filter(unit=old).exclude(deadline_id__in=taken).update(unit=successor)
