from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
    verbose_name = _("Nhắc việc và thông báo")

    def ready(self):
        # The apps below call accounts.notices.notify; this app answers it.
        from accounts.notices import notice_requested

        from .services import notify

        def record(sender, user, title, body, url, email, **kwargs):
            return notify(user, title, body=body, url=url, email=email)

        notice_requested.connect(record, dispatch_uid="notifications.notify", weak=False)
