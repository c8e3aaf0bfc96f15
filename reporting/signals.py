"""A plan's yearly report deadline is when its undated yearly tasks fall due: a changed rule moves them."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from plans import schedule
from plans.models import Plan

from .models import ReportingRule


@receiver(post_save, sender=ReportingRule, dispatch_uid="reporting.rule_schedule")
@receiver(post_delete, sender=ReportingRule, dispatch_uid="reporting.rule_schedule_delete")
def rule_changed(sender, instance, raw=False, **kwargs):
    plan = Plan.objects.filter(pk=instance.plan_id).first()  # gone when the whole plan is being deleted
    if not raw and plan is not None:
        schedule.sync_plan(plan)
