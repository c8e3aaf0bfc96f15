import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from indicators.models import SubIndex

from .forms import DayMonthYearInput
from .models import Plan, Task, TaskOccurrence


class TaskFilter(django_filters.FilterSet):
    """Filters of "Việc của tôi"; the queryset given is already limited to what the user may see."""

    q = django_filters.CharFilter(label=_("Tìm kiếm"), method="search")
    plan = django_filters.ModelChoiceFilter(label=_("Kế hoạch"), queryset=Plan.objects.none(), empty_label=_("Tất cả"))
    subindex = django_filters.ModelChoiceFilter(
        label=_("Chỉ số thành phần"),
        field_name="subindices",
        queryset=SubIndex.objects.filter(index__code="PCI").select_related("index"),
        empty_label=_("Tất cả"),
    )
    status = django_filters.ChoiceFilter(label=_("Trạng thái"), choices=Task.Status.choices, empty_label=_("Tất cả"))
    due_before = django_filters.DateFilter(
        label=_("Hạn trước ngày"),
        method="due_by",
        widget=DayMonthYearInput(),
    )
    overdue = django_filters.BooleanFilter(
        label=_("Chỉ việc quá hạn"), method="only_overdue", widget=forms.CheckboxInput
    )
    o = django_filters.OrderingFilter(
        label=_("Sắp xếp"),
        fields=(
            ("title", "title"),
            ("plan__period_start", "plan"),
            ("lead_unit__name", "lead"),
            ("current_due", "due"),
            ("status", "status"),
            ("progress", "progress"),
            ("updated_at", "updated"),
        ),
        field_labels={
            "title": _("Tên nhiệm vụ"),
            "plan": _("Kế hoạch"),
            "lead": _("Đơn vị chủ trì"),
            "due": _("Hạn"),
            "status": _("Trạng thái"),
            "progress": _("Tiến độ"),
            "updated": _("Cập nhật"),
        },
    )

    class Meta:
        model = Task
        fields = []

    def __init__(self, *args, plans=None, **kwargs):
        super().__init__(*args, **kwargs)
        if plans is not None:
            self.filters["plan"].queryset = plans

    def options(self, name):
        """[(value, label, selected)] of a drop-down, for plain markup: rendering the filter form field by field
        through crispy and Django's widget templates was half of the list's CPU time."""
        current = self.form[name].value()
        current = "" if current is None else str(current)
        return [(str(value), label, str(value) == current) for value, label in self.form.fields[name].choices]

    def search(self, queryset, name, value):
        words = value.split()
        for word in words:
            queryset = queryset.filter(
                Q(title__icontains=word) | Q(description__icontains=word) | Q(result_note__icontains=word)
            )
        return queryset

    def due_by(self, queryset, name, value):
        """Tasks with an open round (plans.schedule) due on or before the date."""
        if not value:
            return queryset
        return queryset.filter(pk__in=TaskOccurrence.objects.open().filter(due_date__lte=value).values("task_id"))

    def only_overdue(self, queryset, name, value):
        return queryset.overdue(on=timezone.localdate()) if value else queryset
