"""`/healthz`: can this machine serve? Database, broker and file storage, each checked, nothing written.

Answered by a middleware placed first, before host validation and the HTTPS redirect: a load balancer or
`docker compose` probes the container by its own address over plain HTTP, and must get the real answer.
"""

import logging
import os
import time

from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection
from django.http import JsonResponse

logger = logging.getLogger(__name__)

PATH = "/healthz"
TIMEOUT = 3  # seconds per check: a probe must answer before the load balancer gives up on it


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_broker():
    from pci_portal.celery import app

    with app.connection_for_write() as conn:
        # One attempt with a short time-out: a dead broker must not hold the probe for Celery's default 4 × retries.
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=TIMEOUT)
        if conn.transport.driver_type == "redis":
            conn.default_channel.client.ping()


def check_storage():
    if isinstance(default_storage, FileSystemStorage):
        location = default_storage.location
        if not os.path.isdir(location):
            raise OSError(f"{location} does not exist")
        if not os.access(location, os.W_OK | os.X_OK):
            raise PermissionError(f"{location} is not writable by this process")
    elif hasattr(default_storage, "bucket_name"):
        # S3-compatible object storage: the bucket must exist and the credentials must reach it (HEAD bucket).
        default_storage.connection.meta.client.head_bucket(Bucket=default_storage.bucket_name)
    else:
        default_storage.exists("healthz-probe")


CHECKS = {"database": check_database, "broker": check_broker, "storage": check_storage}


def health():
    """({name: {"ok": bool, "ms": int, "error"?: str}}, all_ok)."""
    results = {}
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            check()
        except Exception as exc:  # noqa: BLE001 - any failure is the answer, not a crash of the probe
            # The body names only the kind of failure (the probe is public); the log has the whole message.
            logger.warning("healthz: %s failed: %s: %s", name, type(exc).__name__, exc)
            results[name] = {"ok": False, "error": type(exc).__name__}
        else:
            results[name] = {"ok": True}
        results[name]["ms"] = round((time.monotonic() - started) * 1000)
    return results, all(r["ok"] for r in results.values())


def healthz(request):
    checks, ok = health()
    response = JsonResponse({"status": "ok" if ok else "error", "checks": checks}, status=200 if ok else 503)
    response["Cache-Control"] = "no-store"
    # Each failing check is logged once, at WARNING, above. Django would log a 503 at ERROR, which e-mails
    # ADMINS: a probe every few seconds while Redis is down must not flood their inbox.
    response._has_been_logged = True
    return response


class HealthCheckMiddleware:
    """Answers GET/HEAD /healthz before anything else (no host check, no HTTPS redirect, no session)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == PATH and request.method in ("GET", "HEAD"):
            return healthz(request)
        return self.get_response(request)
