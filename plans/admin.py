from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from pci_portal.admin import AppendOnlyAdminMixin

from .models import (
    Document,
    Evidence,
    Goal,
    Plan,
    PlanImport,
    Section,
    Target,
    TargetMember,
    Task,
    TaskOccurrence,
    TaskUpdate,
)


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["number", "kind", "date", "issuer_name"]
    list_filter = ["kind"]
    search_fields = ["number", "title", "issuer_name"]


class SectionInline(admin.TabularInline):
    model = Section
    fields = ["number", "title", "parent", "order"]
    extra = 0
    show_change_link = True


class TargetInline(admin.TabularInline):
    model = Target
    fields = ["index", "subindex", "indicator", "year", "baseline_year", "baseline_rank", "baseline_score", "text"]
    extra = 0
    show_change_link = True


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["number_display", "title", "issuer", "period", "tracked", "is_public"]
    list_filter = ["tracked", "kind", "period_start", "issuer__agency"]
    search_fields = ["number", "title", "issuer__name"]
    autocomplete_fields = ["issuer", "parent", "focal_unit", "signer"]
    filter_horizontal = ["relies_on", "legal_basis"]
    inlines = [TargetInline, SectionInline]  # reporting.admin adds the plan's reporting rules

    @admin.display(description=_("Số, ký hiệu"), ordering="number")
    def number_display(self, obj):
        return obj.display_number

    @admin.display(description=_("Giai đoạn"), ordering="period_start")
    def period(self, obj):
        return obj.period_label

    def has_delete_permission(self, request, obj=None):
        return False  # deleting a plan would take its tasks' history and evidence with it; untrack it instead


@admin.register(Section)
class SectionAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "plan", "order"]
    list_filter = ["plan"]
    search_fields = ["title", "number"]
    filter_horizontal = ["subindices", "indicators"]


class TaskUpdateInline(admin.TabularInline):
    model = TaskUpdate
    fields = ["created_at", "author", "kind", "status", "progress", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class TaskOccurrenceInline(admin.TabularInline):
    """The rounds come from plans.schedule: shown, not typed."""

    model = TaskOccurrence
    extra = 0
    can_delete = False
    fields = ["period_start", "period_end", "due_date", "lapses_on", "status", "progress"]
    readonly_fields = ["period_start", "period_end", "due_date", "lapses_on"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Task)
class TaskAdmin(SimpleHistoryAdmin):
    list_display = ["title", "plan_number", "lead_unit", "leader", "timeframe", "due_date", "status", "progress"]
    list_select_related = ["plan", "lead_unit", "leader"]
    list_filter = ["status", "timeframe", "plan", "lead_unit__agency", "lead_unit", "subindices"]
    search_fields = ["title", "description", "lead_unit__name", "leader__full_name"]
    autocomplete_fields = ["plan", "section", "lead_unit", "leader"]
    filter_horizontal = ["coordinating_units", "assignees", "subindices", "indicators"]
    date_hierarchy = "due_date"
    inlines = [TaskOccurrenceInline, TaskUpdateInline]

    @admin.display(description=_("Kế hoạch"), ordering="plan__number")
    def plan_number(self, obj):
        return obj.plan.display_number

    def has_delete_permission(self, request, obj=None):
        return False  # a task is never hard-deleted: set it to "Hủy bỏ" (its history and evidence stay)


class EvidenceInline(admin.TabularInline):
    model = Evidence
    fields = ["original_name", "content_type", "size", "uploaded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(TaskUpdate)
class TaskUpdateAdmin(AppendOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["task", "author", "kind", "status", "progress", "created_at"]
    list_filter = ["kind", "status"]
    search_fields = ["task__title", "note", "author__full_name"]
    readonly_fields = ["task", "author", "kind", "status", "progress", "note", "created_at"]
    inlines = [EvidenceInline]


@admin.register(Evidence)
class EvidenceAdmin(AppendOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["original_name", "update", "content_type", "size", "uploaded_at"]
    search_fields = ["original_name"]
    readonly_fields = ["update", "file", "original_name", "content_type", "size", "sha256", "uploaded_at"]


@admin.register(PlanImport)
class PlanImportAdmin(admin.ModelAdmin):
    list_display = ["original_name", "status", "progress", "created_by", "created_at", "plan"]
    list_filter = ["status"]
    search_fields = ["original_name"]
    readonly_fields = ["file", "original_name", "content_type", "size", "sha256", "draft", "plan", "created_by"]


class MemberInline(admin.TabularInline):
    model = TargetMember
    extra = 0
    autocomplete_fields = ["subindex"]


class GoalInline(admin.TabularInline):
    model = Goal
    extra = 1


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "plan", "year", "baseline_year", "baseline_rank", "baseline_score"]
    list_filter = ["year", "index", "subindex", "plan"]
    search_fields = ["text", "plan__number", "plan__title"]
    autocomplete_fields = ["plan", "subindex", "indicator", "province"]
    inlines = [MemberInline, GoalInline]
