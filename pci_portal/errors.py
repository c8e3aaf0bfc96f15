"""Server errors: what the person sees (500 page) and what the administrators receive (e-mail via Celery)."""

import hashlib
import sys

from django.conf import settings
from django.http import HttpResponseServerError
from django.template import loader
from django.utils.log import AdminEmailHandler
from django.views.decorators.csrf import requires_csrf_token


@requires_csrf_token
def server_error(request):
    """The 500 page, saying only what is true: the error is in the server log, and e-mailed when ADMINS is set."""
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"admins_notified": bool(settings.ADMINS)}))


def error_kind(record):
    """What makes two errors "the same" for the administrators' mailbox: the logger, the exception's type and the
    line of our code (or the deepest line) it was raised from; for a record without an exception, its message
    template. Not the request path, the task id or the exception's text, which differ on every occurrence."""
    parts = [record.name]
    if record.exc_info and record.exc_info[0]:
        exc_type, tb = record.exc_info[0], record.exc_info[2]
        parts.append(f"{exc_type.__module__}.{exc_type.__qualname__}")
        where = None
        while tb is not None:
            code = tb.tb_frame.f_code
            if where is None or str(settings.BASE_DIR) in code.co_filename and "site-packages" not in code.co_filename:
                where = f"{code.co_filename}:{tb.tb_lineno}"
            tb = tb.tb_next
        parts.append(where or "")
    else:
        parts.append(str(record.msg))
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def first_of_its_kind(record):
    """True for the first error of its kind in ADMIN_ERROR_MAIL_PERIOD seconds (0: every error), across every web
    and worker process that shares the cache (Redis in production). A cache that does not answer lets it through."""
    period = getattr(settings, "ADMIN_ERROR_MAIL_PERIOD", 0)
    if not period:
        return True
    from django.core.cache import cache

    try:
        return cache.add(f"admin-error-mail:{error_kind(record)}", 1, timeout=period)
    except Exception:  # noqa: BLE001 - Redis down: better a second e-mail than none
        return True


class QueuedAdminEmailHandler(AdminEmailHandler):
    """Django's AdminEmailHandler, but the e-mail is sent by a Celery worker, not inside the failing request, and
    only for the first error of each kind in ADMIN_ERROR_MAIL_PERIOD (a broken mail server or a report that fails
    every time must not send a hundred e-mails an hour; every occurrence is still in the log).

    If the broker cannot take the message either, the error still is in the log (the console handler);
    the failure to queue is written to stderr rather than raised from inside logging.
    """

    def emit(self, record):
        if settings.ADMINS and first_of_its_kind(record):
            super().emit(record)

    def send_mail(self, subject, message, *args, **kwargs):
        if not settings.ADMINS:
            return
        period = getattr(settings, "ADMIN_ERROR_MAIL_PERIOD", 0)
        if period:
            message += (
                f"\n\n-- \nCác lỗi cùng loại trong {period // 60} phút tới chỉ được ghi vào nhật ký máy chủ, không gửi "
                f"thư nữa. / Further errors of this kind in the next {period // 60} minutes are only logged."
            )
        from notifications.tasks import mail_admins_task

        try:
            mail_admins_task.apply_async(args=[subject, message], retry=False)
        except Exception as exc:  # noqa: BLE001 - logging must never raise
            print(f"mail_admins: could not queue the error e-mail: {type(exc).__name__}: {exc}", file=sys.stderr)
