"""Telling a person something, for the apps below notifications.

plans and reporting sit below notifications and must not import it (apps depend one way, kept by
import-linter). They call `notify(...)` here; the notifications app, when it starts, connects the one
receiver that records the in-portal notification and sends the e-mail after commit
(`notifications.services.notify`). Without that receiver nothing could be told, so calling it raises
instead of dropping the notice.
"""

from django.core.exceptions import ImproperlyConfigured
from django.dispatch import Signal

# Sent with user, title, body, url, email=(name, context) or None; answered by the notifications app.
notice_requested = Signal()


def notify(user, title, body="", url="", email=None):
    """Record an in-portal notification for `user`; with `email=(name, context)` also e-mail it after commit."""
    if not notice_requested.has_listeners():
        raise ImproperlyConfigured("The notifications app is not installed: nobody can be notified.")
    replies = notice_requested.send(sender=None, user=user, title=title, body=body, url=url, email=email)
    return replies[0][1]
