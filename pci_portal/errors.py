"""Server errors: what the person sees (500 page) and what the administrators receive (e-mail via Celery)."""

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


class QueuedAdminEmailHandler(AdminEmailHandler):
    """Django's AdminEmailHandler, but the e-mail is sent by a Celery worker, not inside the failing request.

    If the broker cannot take the message either, the error still is in the log (the console handler);
    the failure to queue is written to stderr rather than raised from inside logging.
    """

    def send_mail(self, subject, message, *args, **kwargs):
        if not settings.ADMINS:
            return
        from notifications.tasks import mail_admins_task

        try:
            mail_admins_task.apply_async(args=[subject, message], retry=False)
        except Exception as exc:  # noqa: BLE001 - logging must never raise
            print(f"mail_admins: could not queue the error e-mail: {type(exc).__name__}: {exc}", file=sys.stderr)
