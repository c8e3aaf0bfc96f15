"""Celery tasks: the daily reminder run, retried with backoff while e-mails fail."""

import smtplib

from celery import shared_task
from django.conf import settings

from .reminders import send_reminders


class RemindersFailed(Exception):
    """Some digests could not be sent; their log rows are 'failed' and the retry sends only those."""


@shared_task(
    name="notifications.send_reminders",
    bind=True,
    autoretry_for=(RemindersFailed, smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=60,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=6,
    acks_late=True,
    soft_time_limit=settings.REMINDERS_SOFT_TIME_LIMIT,
    time_limit=settings.REMINDERS_TIME_LIMIT,
)
def send_reminders_task(self, on=None):
    """Run the reminders (today, or the ISO date `on`); a retry re-sends only what failed."""
    import datetime

    result = send_reminders(on=datetime.date.fromisoformat(on) if on else None)
    if result.errors:
        raise RemindersFailed("; ".join(result.errors))
    return result.as_dict()


@shared_task(name="notifications.mail_admins", ignore_result=True)
def mail_admins_task(subject, message):
    """A server error, e-mailed to ADMINS. A failure here is only logged (at WARNING, not as a task error),
    so a broken mail server cannot make a loop of error e-mails about error e-mails."""
    import logging

    from django.core.mail import mail_admins

    try:
        mail_admins(subject, message, fail_silently=False)
    except Exception as exc:  # noqa: BLE001
        logging.getLogger(__name__).warning("could not e-mail ADMINS: %s: %s", type(exc).__name__, exc)


@shared_task(
    name="notifications.send_email",
    bind=True,
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=60,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=6,
    acks_late=True,
)
def send_email_task(self, name, context, to, language="vi"):
    """One e-mail of the portal (e.g. "report-returned"), rendered and sent by a worker, never in a request.

    `context` is `freeze_context(...)` of the template context: model instances travel as their keys.
    """
    from .emails import send_email, thaw_context

    return send_email(name, thaw_context(context), to, language)


@shared_task(
    name="notifications.send_logged_reminders",
    bind=True,
    autoretry_for=(RemindersFailed,),
    retry_backoff=60,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=6,
    acks_late=True,
)
def send_logged_reminders_task(self, log_ids):
    """The reminders the focal office sent with one click; a retry sends only those that failed."""
    from .reminders import send_logged_reminders

    errors = send_logged_reminders(log_ids)
    if errors:
        raise RemindersFailed("; ".join(errors))
    return len(log_ids)
