"""The account e-mails (invitation, password reset), built in a Celery worker, never inside a request.

Each comes from a triad of templates `emails/<name>-subject.txt`, `-body.txt`, `-body.html`, rendered in the
recipient's language. The link is made in the worker: a token is only good for the person it is sent to.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import User
from .tokens import invitation_token_generator, reset_token_generator, uid_of

KINDS = {
    # name: (token generator, URL name, lifetime setting)
    "invitation": (invitation_token_generator, "invitation_accept", "INVITATION_TIMEOUT"),
    "password-reset": (reset_token_generator, "password_reset_confirm", "PASSWORD_RESET_TIMEOUT"),
}


def account_link(kind, user):
    generator, url_name, _timeout = KINDS[kind]
    path = reverse(url_name, kwargs={"uidb64": uid_of(user), "token": generator.make_token(user)})
    return settings.SITE_URL + path


def build_account_email(kind, user, invited_by=None):
    _generator, _url_name, timeout = KINDS[kind]
    context = {
        "user": user,
        "link": account_link(kind, user),
        "hours": getattr(settings, timeout) // 3600,
        "days": getattr(settings, timeout) // 86400,
        "invited_by": invited_by,
        "SITE_URL": settings.SITE_URL,
        "PORTAL_NAME": settings.PORTAL_NAME,
    }
    with translation.override(user.language or "vi"):
        subject = " ".join(render_to_string(f"emails/{kind}-subject.txt", context).split())
        text = render_to_string(f"emails/{kind}-body.txt", context)
        html = render_to_string(f"emails/{kind}-body.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [user.email])
    message.attach_alternative(html, "text/html")
    return message


def send_account_email(kind, user_id, invited_by_id=None):
    user = User.objects.select_related("unit").get(pk=user_id)
    if not user.is_active or not user.email:
        return 0
    invited_by = User.objects.filter(pk=invited_by_id).first() if invited_by_id else None
    return build_account_email(kind, user, invited_by).send()
