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


def freeze_context(context):
    """A template context that a Celery message can carry: model instances become (app label, model, pk)."""
    from django.db.models import Model

    frozen = {}
    for key, value in context.items():
        if isinstance(value, Model):
            frozen[key] = {"__model__": [value._meta.app_label, value._meta.model_name], "pk": value.pk}
        else:
            frozen[key] = value
    return frozen


def thaw_context(frozen):
    """The context back, with each model instance read again (as it stands when the e-mail goes out)."""
    from django.apps import apps

    context = {}
    for key, value in frozen.items():
        if isinstance(value, dict) and "__model__" in value:
            model = apps.get_model(*value["__model__"])
            context[key] = model._default_manager.filter(pk=value["pk"]).first()
        else:
            context[key] = value
    return context
