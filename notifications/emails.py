"""E-mails from a triad of templates, rendered in the recipient's language.

`templates/emails/<name>-subject.txt`, `<name>-body.txt`, `<name>-body.html`
(healthchecks' hc/lib/emails.py does the same).
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def render_email(name, context, language="vi"):
    """(subject, text, html) of the named e-mail."""
    context = {"SITE_URL": settings.SITE_URL, **context}
    with translation.override(language):
        subject = " ".join(render_to_string(f"emails/{name}-subject.txt", context).split())
        text = render_to_string(f"emails/{name}-body.txt", context)
        html = render_to_string(f"emails/{name}-body.html", context)
    return subject, text, html


def build_email(name, context, to, language="vi"):
    subject, text, html = render_email(name, context, language)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, to)
    message.attach_alternative(html, "text/html")
    return message


def send_email(name, context, to, language="vi"):
    """Send now; raises on SMTP failure so the caller can record and retry."""
    return build_email(name, context, to, language).send()
