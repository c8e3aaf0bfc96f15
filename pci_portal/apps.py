from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The project itself: error pages, upload safety; no models."""

    name = "pci_portal"
    verbose_name = _("Cổng PCI")

    def ready(self):
        from .uploads import allow_long_file_names

        allow_long_file_names()
