from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from simple_history.admin import SimpleHistoryAdmin

from plans.admin import PlanAdmin

from .models import Deadline, RenderedReport, ReportingRule, Submission, SubmissionRow
from .services import save_reporting_rule


class ReportingRuleFormSet(BaseInlineFormSet):
    def save(self, commit=True):
        rules = super().save(commit)
        if commit:
            for rule in rules:  # created or changed: its deadlines follow, as from the portal's form
                save_reporting_rule(rule)
        return rules


class ReportingRuleInline(admin.TabularInline):
    model = ReportingRule
    formset = ReportingRuleFormSet
    fields = ["kind", "title", "day", "month", "from_children_of", "to_unit"]
    extra = 0
    show_change_link = True


# A plan's page in the admin lists its reporting rules; plans sits below reporting and cannot name them itself.
PlanAdmin.inlines = [*PlanAdmin.inlines, ReportingRuleInline]


@admin.register(ReportingRule)
class ReportingRuleAdmin(SimpleHistoryAdmin):
    list_display = ["title", "plan", "kind", "day", "month", "to_unit"]
    list_filter = ["kind", "plan"]
    search_fields = ["title", "text", "plan__number"]
    autocomplete_fields = ["plan", "from_children_of", "to_unit"]
    filter_horizontal = ["from_units"]

    def save_related(self, request, form, formsets, change):
        """Once the units (many-to-many) are saved, the same service as the portal's form moves the deadlines
        still to come and lets them follow the rule's units (reporting.services.save_reporting_rule)."""
        super().save_related(request, form, formsets, change)
        save_reporting_rule(form.instance)


@admin.register(Deadline)
class DeadlineAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "rule", "year", "due_date", "period_start", "period_end"]
    list_filter = ["year", "rule__kind", "rule__plan"]
    search_fields = ["rule__title", "rule__plan__number"]
    date_hierarchy = "due_date"


class SubmissionRowInline(admin.TabularInline):
    model = SubmissionRow
    extra = 0
    raw_id_fields = ["task"]


@admin.register(Submission)
class SubmissionAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "deadline", "status", "submitted_at", "submitted_by"]
    list_filter = ["status", "deadline__year", "deadline__rule__plan"]
    search_fields = ["unit__name", "summary"]
    autocomplete_fields = ["unit", "deadline"]
    inlines = [SubmissionRowInline]

    def has_delete_permission(self, request, obj=None):
        return False  # a unit's report is a record: returned or accepted, never deleted


@admin.register(RenderedReport)
class RenderedReportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "submission", "format", "version", "status", "progress", "created_at", "created_by"]
    list_filter = ["format", "status"]
    raw_id_fields = ["deadline", "submission", "created_by"]
