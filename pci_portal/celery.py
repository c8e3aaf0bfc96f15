"""The Celery app: `celery -A pci_portal worker` and `celery -A pci_portal beat`.

Beat uses django-celery-beat's DatabaseScheduler (settings.CELERY_BEAT_SCHEDULER): the schedule lives in the
database ("Periodic tasks" in the admin), where the daily reminder run "Gửi nhắc việc hằng ngày" is created by
a data migration of `notifications`. The broker is Redis when REDIS_URL is set, else kombu's filesystem transport.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pci_portal.settings")

app = Celery("pci_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
