from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from pci_portal.admin import RecordAdminMixin

from .lockout import unlock
from .models import Person, Unit, User, UserImport, UserSession


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "kind", "parent", "agency", "is_active", "merged_into"]
    list_filter = ["kind", "is_active", "agency"]
    search_fields = ["name", "short_name", "code", "abbreviation"]
    autocomplete_fields = ["parent", "province"]
    # Codes are generated; moving a unit (which recomputes its subtree) is done on the portal's units page.
    readonly_fields = ["code", "path", "agency", "merged_into"]

    def get_readonly_fields(self, request, obj=None):
        # Moving changes the paths and agency of a whole subtree: the portal's "Chuyển" does it in one transaction.
        return self.readonly_fields + (["parent"] if obj is not None else [])

    def save_model(self, request, obj, form, change):
        from django.db import transaction

        from .services import recompute_subtree

        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if change and "kind" in form.changed_data:
                recompute_subtree(obj)


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "title", "unit"]
    list_filter = ["unit__agency"]
    search_fields = ["full_name", "title", "unit__name"]
    autocomplete_fields = ["unit"]


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    list_display = ["username", "full_name", "email", "role", "unit", "is_active"]
    list_filter = ["role", "is_active", "unit__agency"]
    search_fields = ["username", "full_name", "email", "unit__name"]
    autocomplete_fields = ["unit", "person"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (
            _("Đơn vị và vai trò"),
            {"fields": ["full_name", "title", "phone", "unit", "role", "person", "language", "must_change_password"]},
        ),
    )
    actions = ["unlock_login"]

    @admin.action(description=_("Mở khóa đăng nhập (xóa các lần đăng nhập sai)"))
    def unlock_login(self, request, queryset):
        for user in queryset:
            unlock(user.username)
        self.message_user(
            request, _("Đã mở khóa đăng nhập cho %(n)d tài khoản.") % {"n": queryset.count()}, messages.SUCCESS
        )

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302 and str(request.user.pk) != str(id):
            User.objects.filter(pk=id).update(must_change_password=True)
        return response

    def save_model(self, request, obj, form, change):
        # A password an administrator types for someone else must be changed at their first login.
        if obj.pk != request.user.pk and ("password1" in form.changed_data or not change):
            obj.must_change_password = True
        super().save_model(request, obj, form, change)

    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        (_("Đơn vị và vai trò"), {"fields": ["full_name", "email", "unit", "role"]}),
    )


@admin.register(UserSession)
class UserSessionAdmin(RecordAdminMixin, admin.ModelAdmin):
    list_display = ["user", "created_at", "ip_address", "user_agent"]
    search_fields = ["user__username", "user__full_name", "ip_address"]
    readonly_fields = ["user", "session_key", "created_at", "ip_address", "user_agent"]


@admin.register(UserImport)
class UserImportAdmin(RecordAdminMixin, admin.ModelAdmin):
    list_display = ["file_name", "created_by", "created_at", "status", "progress", "total"]
    list_filter = ["status"]
    search_fields = ["file_name", "created_by__username"]
    exclude = ["content"]
