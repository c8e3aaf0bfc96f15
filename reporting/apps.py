from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reporting"
    verbose_name = _("Báo cáo định kỳ")

    def ready(self):
        from plans.signals import plan_imported, plan_period_changed

        from . import (
            receivers,  # noqa: F401  (unit_merged)
            signals,  # noqa: F401
        )
        from .services import follow_plan_period, rules_of_imported_plan

        plan_period_changed.connect(follow_plan_period, dispatch_uid="reporting.follow_plan_period")
        plan_imported.connect(rules_of_imported_plan, dispatch_uid="reporting.rules_of_imported_plan")
