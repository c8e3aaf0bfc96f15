from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "plans"
    verbose_name = _("Kế hoạch và nhiệm vụ")

    def ready(self):
        from . import (
            receivers,  # noqa: F401  (unit_merged)
            signals,  # noqa: F401
        )
