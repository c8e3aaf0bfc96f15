from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The project itself: upload safety and input cleaning set up at start; no models."""

    name = "pci_portal"
    verbose_name = _("Cổng PCI")

    def ready(self):
        from . import inputs
        from .uploads import allow_long_file_names

        allow_long_file_names()
        inputs.install()
