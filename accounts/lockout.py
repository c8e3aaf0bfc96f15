"""Login lockout by account and by address, separately (django-axes with a handler of our own).

Axes counts failures per lockout parameter (here "username" and "ip_address") but compares every count with one
limit, so ten wrong passwords for one account would also lock its address and everyone behind it. Here:

- an account is locked after AXES_FAILURE_LIMIT failures for it, from anywhere;
- an address is locked after AXES_ADDRESS_FAILURE_LIMIT failures from it, for any user name (password spraying);
- a successful login clears only that account's failures, not those of others behind the same address.

The lockout page says what is locked and until when; an administrator unlocks an account from the users page
or the admin (`unlock`).
"""

import datetime
from dataclasses import dataclass

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_ip_address, get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import timezone


def address_limit():
    return settings.AXES_ADDRESS_FAILURE_LIMIT


class PortalAxesHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None):
        by_account, by_address = (
            qs.aggregate(n=Sum("failures_since_start"))["n"] or 0 for qs in self.get_user_attempts(request, credentials)
        )
        if by_address >= address_limit():
            # Report "at the limit" so that axes locks; the page below tells which of the two it was.
            return max(by_account, get_failure_limit(request, credentials))
        return by_account

    def reset_user_attempts(self, request, credentials=None):
        """A successful login clears that account's failures only."""
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count


@dataclass
class Lock:
    kind: str  # "account" or "address"
    subject: str  # the user name or the address
    failures: int
    until: datetime.datetime


def locks_for(username, ip_address, now=None):
    """The locks in force on this user name and on this address, with the time each ends."""
    now = now or timezone.now()
    cool_off = get_cool_off()
    since = now - cool_off
    locks = []
    for kind, subject, limit, qs in (
        ("account", username, settings.AXES_FAILURE_LIMIT, AccessAttempt.objects.filter(username=username)),
        ("address", ip_address, address_limit(), AccessAttempt.objects.filter(ip_address=ip_address)),
    ):
        if not subject:
            continue
        row = qs.filter(attempt_time__gte=since).aggregate(n=Sum("failures_since_start"), last=Max("attempt_time"))
        if row["n"] and row["n"] >= limit:
            locks.append(Lock(kind, subject, row["n"], row["last"] + cool_off))
    return locks


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the Vietnamese page that names the lock and its end."""
    username = get_client_username(request, credentials) or ""
    ip_address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
    locks = locks_for(username, ip_address)
    return render(
        request,
        "registration/locked_out.html",
        {"locks": locks, "username": username},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


def unlock(username):
    """Clear an account's failures (the administrator's "unlock"); returns how many records were removed."""
    count, _ = AccessAttempt.objects.filter(username=username).delete()
    return count


def is_locked(username):
    return bool(locks_for(username, None))
