from django.contrib import admin

from plans.admin import PlanAdmin

from .models import Deadline, RenderedReport, ReportingRule, Submission, SubmissionRow


class ReportingRuleInline(admin.TabularInline):
    model = ReportingRule
    fields = ["kind", "title", "day", "month", "from_children_of", "to_unit"]
    extra = 0
    show_change_link = True


# A plan's page in the admin lists its reporting rules; plans sits below reporting and cannot name them itself.
PlanAdmin.inlines = [*PlanAdmin.inlines, ReportingRuleInline]


@admin.register(ReportingRule)
class ReportingRuleAdmin(admin.ModelAdmin):
    list_display = ["title", "plan", "kind", "day", "month", "to_unit"]
    list_filter = ["kind", "plan"]
    search_fields = ["title", "text", "plan__number"]
    autocomplete_fields = ["plan", "from_children_of", "to_unit"]
    filter_horizontal = ["from_units"]


@admin.register(Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    list_display = ["__str__", "rule", "year", "due_date", "period_start", "period_end"]
    list_filter = ["year", "rule__kind", "rule__plan"]
    search_fields = ["rule__title", "rule__plan__number"]
    date_hierarchy = "due_date"


class SubmissionRowInline(admin.TabularInline):
    model = SubmissionRow
    extra = 0
    raw_id_fields = ["task"]


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["unit", "deadline", "status", "submitted_at", "submitted_by"]
    list_filter = ["status", "deadline__year", "deadline__rule__plan"]
    search_fields = ["unit__name", "summary"]
    autocomplete_fields = ["unit", "deadline"]
    inlines = [SubmissionRowInline]


@admin.register(RenderedReport)
class RenderedReportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "submission", "format", "version", "status", "progress", "created_at", "created_by"]
    list_filter = ["format", "status"]
    raw_id_fields = ["deadline", "submission", "created_by"]
