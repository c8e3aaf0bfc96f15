import logging

from django.db import transaction

from .emails import freeze_context
from .models import Notification, NotificationPreference

logger = logging.getLogger(__name__)

# Optional e-mails a person can switch off on the preferences page: e-mail name → preference field.
OPTIONAL_EMAILS = {"report-returned": "returned_report_notices"}


def wants_email(user, name):
    field = OPTIONAL_EMAILS.get(name)
    return field is None or getattr(NotificationPreference.for_user(user), field)


def notify(user, title, body="", url="", email=None):
    """Record an in-portal notification; with `email=(name, context)` also e-mail it, from a Celery task queued
    once the transaction commits: the page answers whether or not the mail server does.

    An optional e-mail the person switched off is not sent; the in-portal notification always is.
    """
    notification = Notification.objects.create(user=user, title=title, body=body, url=url)
    if email and user.email and wants_email(user, email[0]):
        name, context = email
        context = freeze_context({"user": user, "notification": notification, **context})
        transaction.on_commit(lambda: _queue_email(name, context, [user.email], user.language))
    return notification


def _queue_email(name, context, to, language):
    from .tasks import send_email_task

    try:
        send_email_task.delay(name, context, to, language)
    except Exception:  # the broker is down: the bell notification is saved, the page still answers
        logger.exception("could not queue the e-mail %s to %s", name, to)
