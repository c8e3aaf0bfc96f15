from django.db import transaction

from .emails import send_email
from .models import Notification, NotificationPreference

# Optional e-mails a person can switch off on the preferences page: e-mail name → preference field.
OPTIONAL_EMAILS = {"report-returned": "returned_report_notices"}


def wants_email(user, name):
    field = OPTIONAL_EMAILS.get(name)
    return field is None or getattr(NotificationPreference.for_user(user), field)


def notify(user, title, body="", url="", email=None):
    """Record an in-portal notification; with `email=(name, context)` also e-mail it after commit.

    An optional e-mail the person switched off is not sent; the in-portal notification always is.
    """
    notification = Notification.objects.create(user=user, title=title, body=body, url=url)
    if email and user.email and wants_email(user, email[0]):
        name, context = email
        context = {"user": user, "notification": notification, **context}
        transaction.on_commit(lambda: send_email(name, context, [user.email], user.language))
    return notification
