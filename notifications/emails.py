"""E-mails from a triad of templates, rendered in the recipient's language.

`templates/emails/<name>-subject.txt`, `<name>-body.txt`, `<name>-body.html`
(healthchecks' hc/lib/emails.py does the same).
"""

import secrets

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import get_template
from django.utils import translation


class PortalMessage(EmailMultiAlternatives):
    """A text and HTML e-mail whose MIME boundary is drawn here (128 random bits), not by the e-mail package:
    that one compiles a new regular expression for every message to check its boundary, which fills Python's
    cache of compiled expressions and makes every other expression of the process compile again — the most
    expensive step of sending thousands of digests."""

    def message(self):
        msg = super().message()
        if msg.is_multipart() and msg.get_boundary() is None:
            msg.set_boundary(f"==pci-{secrets.token_hex(16)}==")
        return msg


class EmailTemplates:
    """The triad of one e-mail, loaded and compiled once: a run that sends thousands of digests only renders."""

    def __init__(self, name):
        self.subject, self.text, self.html = (
            get_template(f"emails/{name}-{part}") for part in ("subject.txt", "body.txt", "body.html")
        )

    def render(self, context, language="vi"):
        """(subject, text, html) in `language`."""
        context = {"SITE_URL": settings.SITE_URL, **context}
        with translation.override(language):
            subject = " ".join(self.subject.render(context).split())
            return subject, self.text.render(context), self.html.render(context)

    def build(self, context, to, language="vi"):
        subject, text, html = self.render(context, language)
        message = PortalMessage(subject, text, settings.DEFAULT_FROM_EMAIL, to)
        message.attach_alternative(html, "text/html")
        return message


def render_email(name, context, language="vi"):
    """(subject, text, html) of the named e-mail."""
    return EmailTemplates(name).render(context, language)


def build_email(name, context, to, language="vi"):
    return EmailTemplates(name).build(context, to, language)


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
