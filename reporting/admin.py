from django.contrib import admin

from .models import Deadline, ReportingRule, Submission


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


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["unit", "deadline", "status", "submitted_at", "submitted_by"]
    list_filter = ["status", "deadline__year", "deadline__rule__plan"]
    search_fields = ["unit__name", "summary"]
    autocomplete_fields = ["unit", "deadline"]
