from django.db import transaction

from .emails import send_email
from .models import Notification


def notify(user, title, body="", url="", email=None):
    """Record an in-portal notification; with `email=(name, context)` also e-mail it after commit."""
    notification = Notification.objects.create(user=user, title=title, body=body, url=url)
    if email and user.email:
        name, context = email
        context = {"user": user, "notification": notification, **context}
        transaction.on_commit(lambda: send_email(name, context, [user.email], user.language))
    return notification
