"""Celery tasks of accounts: the invitation and password-reset e-mails, retried while SMTP fails."""

import smtplib

from celery import shared_task

from . import emails


@shared_task(
    name="accounts.send_account_email",
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=30,
    retry_backoff_max=1800,
    retry_jitter=True,
    max_retries=8,
    acks_late=True,
    soft_time_limit=60,
    time_limit=90,
)
def send_account_email_task(kind, user_id, invited_by_id=None):
    return emails.send_account_email(kind, user_id, invited_by_id)


@shared_task(name="accounts.parse_user_import", acks_late=True, soft_time_limit=120, time_limit=180)
def parse_user_import_task(import_id):
    from .imports import parse
    from .models import UserImport

    return parse(UserImport.objects.select_related("created_by").get(pk=import_id)).status


@shared_task(name="accounts.apply_user_import", acks_late=True, soft_time_limit=600, time_limit=660)
def apply_user_import_task(import_id):
    from .imports import apply
    from .models import UserImport

    return apply(UserImport.objects.select_related("created_by").get(pk=import_id)).status
