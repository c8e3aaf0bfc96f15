from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Person, Unit, User


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "kind", "parent", "agency"]
    list_filter = ["kind", "agency"]
    search_fields = ["name", "short_name", "code", "abbreviation"]
    autocomplete_fields = ["parent", "province"]
    readonly_fields = ["path", "agency"]


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
        (_("Đơn vị và vai trò"), {"fields": ["full_name", "title", "unit", "role", "person", "language"]}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        (_("Đơn vị và vai trò"), {"fields": ["full_name", "email", "unit", "role"]}),
    )
