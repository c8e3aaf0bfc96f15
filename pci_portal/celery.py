"""The Celery app: `celery -A pci_portal worker` and `celery -A pci_portal beat`."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pci_portal.settings")

app = Celery("pci_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
