from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .models import CalendarFeed, Notification, NotificationPreference, ReminderLog, ReminderPolicy


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "user", "created_at", "read_at"]
    list_filter = ["read_at", "created_at"]
    search_fields = ["title", "body", "user__username", "user__full_name"]
    date_hierarchy = "created_at"


@admin.register(ReminderPolicy)
class ReminderPolicyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "days_before", "on_due_day", "overdue_every_days", "escalate_after_days"]
    autocomplete_fields = []
    raw_id_fields = ["plan"]


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "item_id", "title", "due_date", "step", "status", "attempts"]
    list_filter = ["status", "kind", "step", "run_date"]
    search_fields = ["title", "recipient__username", "recipient__email", "error"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in ReminderLog._meta.fields]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Gửi lại ở lần chạy sau (đánh dấu gửi lỗi)"))
    def send_again(self, request, queryset):
        # A reminder stuck "sending" (its worker died) is re-sent only when an administrator asks:
        # the e-mail may have gone out before the worker died.
        count = queryset.exclude(status=ReminderLog.Status.SENT).update(status=ReminderLog.Status.FAILED)
        self.message_user(request, _("%(n)s nhắc việc sẽ được gửi lại ở lần chạy sau.") % {"n": count}, messages.INFO)


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "task_reminders", "returned_report_notices", "digest_hour"]
    search_fields = ["user__username", "user__full_name"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    search_fields = ["user__username", "user__full_name"]
    exclude = ["token"]
