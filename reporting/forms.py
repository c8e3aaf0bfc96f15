from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from pci_portal.forms import PortalFormMixin
from pci_portal.versioning import VersionCheckMixin
from plans.forms import units_of

from .models import Deadline, RenderedReport, ReportingRule, Submission, SubmissionRow


class SubmissionForm(PortalFormMixin, forms.ModelForm):
    """The report's free text, with the version it was read at (0 before the first save)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = Submission
        fields = ["summary", "difficulties", "proposals"]
        labels = {
            "summary": _("Tóm tắt kết quả thực hiện"),
            "difficulties": _("Khó khăn, vướng mắc chung"),
            "proposals": _("Đề xuất, kiến nghị chung"),
        }
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields}


class SubmissionRowForm(PortalFormMixin, forms.ModelForm):
    """One task's row; it names its task, so a row not yet saved (prefilled on the page) is saved by task."""

    task = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = SubmissionRow
        fields = ["status", "progress", "results", "difficulties", "proposals"]
        widgets = {
            "results": forms.Textarea(attrs={"rows": 3}),
            "difficulties": forms.Textarea(attrs={"rows": 2}),
            "proposals": forms.Textarea(attrs={"rows": 2}),
            "progress": forms.NumberInput(attrs={"min": 0, "max": 100}),
        }

    def clean_progress(self):
        progress = self.cleaned_data.get("progress")
        if progress is not None and not 0 <= progress <= 100:
            raise forms.ValidationError(_("Tiến độ phải từ 0 đến 100%."))
        return progress


SubmissionRowFormSet = forms.formset_factory(SubmissionRowForm, extra=0, max_num=1000)


def row_formset(rows, data=None):
    """The rows (saved or proposed) as a formset keyed by task, prefix "rows"."""
    initial = [{"task": r.task_id, **{f: getattr(r, f) for f in SubmissionRowForm.Meta.fields}} for r in rows]
    return SubmissionRowFormSet(data, initial=initial, prefix="rows")


class ReturnForm(PortalFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Lý do trả lại"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Vui lòng nêu lý do trả lại báo cáo.")},
    )


class DeadlineReportForm(PortalFormMixin, forms.ModelForm):
    class Meta:
        model = Deadline
        fields = [
            "report_number",
            "report_date",
            "recipients",
            "signer",
            "signer_form",
            "signer_authority",
            "signer_title",
        ]
        help_texts = {"report_date": _("Dạng dd/mm/yyyy; để trống thì lấy ngày tạo báo cáo.")}
        error_messages = {"report_date": {"invalid": _("Ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy.")}}
        widgets = {
            "report_date": forms.DateInput(
                attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}, format="%d/%m/%Y"
            ),
            "recipients": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from accounts.models import Person

        # The signer is one of the issuing agency's people (a leader, the head of its office).
        plan = self.instance.rule.plan
        agency = plan.issuer
        self.fields["signer"].queryset = Person.objects.filter(unit__path__startswith=agency.path).select_related(
            "unit"
        )
        self.fields["signer"].empty_label = _("— Người ký kế hoạch —")
        self.fields["signer_form"].choices = [("", _("Ký trực tiếp"))] + list(self.fields["signer_form"].choices)[1:]


class RenderForm(PortalFormMixin, forms.Form):
    format = forms.ChoiceField(label=_("Định dạng"), choices=RenderedReport.Format.choices)


class ReportingRuleForm(PortalFormMixin, VersionCheckMixin, forms.ModelForm):
    class Meta:
        model = ReportingRule
        fields = ["kind", "title", "day", "month", "from_children_of", "from_units", "to_unit", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2}), "from_units": forms.SelectMultiple(attrs={"size": 6})}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        units = units_of(plan)
        for name in ("from_children_of", "from_units", "to_unit"):
            self.fields[name].queryset = units
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Lưu")))

    def clean(self):
        import datetime

        data = super().clean()
        day, month = data.get("day"), data.get("month")
        if day and month:
            try:
                datetime.date(2024, month, day)  # a leap year accepts 29/02
            except ValueError:
                self.add_error("day", _("Ngày %(day)s/%(month)s không tồn tại.") % {"day": day, "month": month})
        return data
