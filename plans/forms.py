from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.db.models import Q
from django.forms import inlineformset_factory
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from accounts.models import Person, Unit, User
from indicators.models import Indicator, Region, SubIndex, TierLevel
from pci_portal import uploads
from pci_portal.forms import PortalFormMixin
from pci_portal.inputs import bound_year_fields
from pci_portal.versioning import VersionCheckMixin

from .models import Goal, Plan, Section, Target, Task

# What evidence may be; each file is checked on its content by pci_portal.uploads.
ALLOWED_EVIDENCE = ["pdf", "docx", "doc", "xlsx", "xls", "jpg", "jpeg", "png"]
ALLOWED_EVIDENCE_LABEL = _("PDF, Word (.docx, .doc), Excel (.xlsx, .xls), ảnh JPG, PNG")


class DayMonthYearInput(forms.DateInput):
    """A text date field in dd/mm/yyyy whatever the browser's locale (a native date picker follows the OS)."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off", **(attrs or {})},
            format="%d/%m/%Y",
        )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Zero or more evidence files, each checked for size, extension and real content."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs["accept"] = ",".join(f".{e}" for e in ALLOWED_EVIDENCE)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [check_evidence_file(super(EvidenceField, self).clean(f, initial)) for f in files]


def check_evidence_file(upload):
    return uploads.check_upload(
        upload,
        allowed=ALLOWED_EVIDENCE,
        max_bytes=settings.EVIDENCE_MAX_BYTES,
        allowed_label=ALLOWED_EVIDENCE_LABEL,
    )


class TaskUpdateForm(PortalFormMixin, forms.Form):
    """Status, progress, result and evidence; carries the version it was read at."""

    status = forms.ChoiceField(label=_("Trạng thái"), choices=Task.Status.choices)
    progress = forms.IntegerField(label=_("Tiến độ (%)"), min_value=0, max_value=100)
    note = forms.CharField(
        label=_("Kết quả thực hiện"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Nêu kết quả cụ thể: việc đã làm, số liệu, văn bản đã ban hành."),
    )
    files = EvidenceField(
        label=_("Tệp minh chứng"),
        help_text=_("PDF, Word, Excel, ảnh JPG/PNG; có thể chọn nhiều tệp."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, task=None, cancellable=True, user=None, **kwargs):
        self.task, self.user = task, user
        if task is not None and not kwargs.get("initial"):
            kwargs["initial"] = {"status": task.status, "progress": task.progress, "version": task.version}
        super().__init__(*args, **kwargs)
        if not cancellable and (task is None or task.status != Task.Status.CANCELLED):
            # Cancelling stops reminders and escalation: a decision for whoever keeps the plan.
            self.fields["status"].choices = [c for c in Task.Status.choices if c[0] != Task.Status.CANCELLED]
        self.fields["files"].help_text = _("PDF, Word, Excel, ảnh JPG/PNG; mỗi tệp tối đa %(max)s.") % {
            "max": filesizeformat(settings.EVIDENCE_MAX_BYTES)
        }
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean(self):
        data = super().clean()
        status, progress = data.get("status"), data.get("progress")
        if status == Task.Status.DONE and progress is not None and progress < 100:
            self.add_error("progress", _("Nhiệm vụ hoàn thành thì tiến độ phải là 100%."))
        if status == Task.Status.NOT_STARTED and progress:
            self.add_error("status", _("Đã có tiến độ thì trạng thái không thể là “Chưa thực hiện”."))
        files = data.get("files") or []
        if files:
            try:
                self.check_quotas(files)
            except forms.ValidationError as e:
                self.add_error("files", e)
        return data

    def check_quotas(self, files):
        """Evidence per task and per person is bounded (settings EVIDENCE_MAX_FILES, EVIDENCE_QUOTA_*); the
        quotas are checked here for the form's message, and again under row locks when saving
        (services.update_task), where two uploads at once cannot both slip under them."""
        from .services import check_evidence_quotas

        if len(files) > settings.EVIDENCE_MAX_FILES:
            raise forms.ValidationError(
                _("Mỗi lần cập nhật đính kèm tối đa %(n)d tệp."), params={"n": settings.EVIDENCE_MAX_FILES}
            )
        check_evidence_quotas(self.task, self.user, files)


class CommentForm(PortalFormMixin, forms.Form):
    note = forms.CharField(label=_("Ý kiến"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_comment_%s")  # the task page holds three forms with a "note"
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class AssignForm(PortalFormMixin, forms.Form):
    users = forms.ModelMultipleChoiceField(
        label=_("Giao cho"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )
    note = forms.CharField(label=_("Ghi chú phân công"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, task, **kwargs):
        kwargs.setdefault("initial", {"users": list(task.assignees.all())})
        kwargs.setdefault("auto_id", "id_assign_%s")  # the task page holds three forms with a "note"
        super().__init__(*args, **kwargs)
        self.fields["users"].queryset = User.objects.filter(unit=task.lead_unit, is_active=True).order_by("full_name")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


def _helper(another=False):
    helper = FormHelper()
    helper.add_input(Submit("save", _("Lưu")))
    if another:
        another = Submit("save_another", _("Lưu và thêm tiếp"))
        another.field_classes = "btn btn-outline-primary"
        helper.add_input(another)
    return helper


# Selects of units and people get a filter box (static/js/select-filter.js): type part of a name,
# with or without diacritics, and the list narrows. No CDN, no extra request.
FILTERED = {"data-filter": "1"}


def _filtered(*fields):
    for field in fields:
        field.widget.attrs.update(FILTERED)


def units_of(plan):
    """Units a plan's tasks may name: the tree the issuing agency belongs to."""
    return Unit.objects.filter(path__startswith="/" + plan.issuer.path.strip("/").split("/")[0] + "/")


class SectionForm(PortalFormMixin, VersionCheckMixin, forms.ModelForm):
    class Meta:
        model = Section
        fields = ["number", "title", "parent", "order", "subindices"]
        widgets = {"title": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = plan.sections.exclude(pk=self.instance.pk)
        self.fields["subindices"].queryset = SubIndex.objects.filter(index__code="PCI").select_related("index")
        self.helper = _helper(another=True)


class TaskForm(PortalFormMixin, VersionCheckMixin, forms.ModelForm):
    class Meta:
        model = Task
        fields = [
            "section",
            "order",
            "title",
            "description",
            "lead_unit",
            "coordinating_units",
            "coordinating_text",
            "leader",
            "timeframe",
            "timeframe_text",
            "due_date",
            "subindices",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "coordinating_text": forms.Textarea(attrs={"rows": 2}),
            "due_date": DayMonthYearInput(),
            "coordinating_units": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        units = units_of(plan)
        self.fields["section"].queryset = plan.sections.all()
        self.fields["lead_unit"].queryset = units
        self.fields["coordinating_units"].queryset = units
        self.fields["leader"].queryset = Person.objects.filter(unit__in=units)
        self.fields["subindices"].queryset = SubIndex.objects.filter(index__code="PCI").select_related("index")
        _filtered(self.fields["lead_unit"], self.fields["coordinating_units"], self.fields["leader"])
        self.helper = _helper(another=True)

    def clean(self):
        data = super().clean()
        if data.get("timeframe") == Task.Timeframe.ONCE and not data.get("due_date"):
            self.add_error("due_date", _("Nhiệm vụ thực hiện một lần cần có hạn hoàn thành."))
        return data


class TargetForm(PortalFormMixin, VersionCheckMixin, forms.ModelForm):
    class Meta:
        model = Target
        fields = [
            "index",
            "subindex",
            "indicator",
            "province",
            "year",
            "baseline_year",
            "baseline_rank",
            "baseline_score",
            "baseline_out_of",
            "text",
        ]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}
        localized_fields = ["baseline_score"]  # "5,52" with a decimal comma in Vietnamese

    members = forms.ModelMultipleChoiceField(
        label=_("Nhóm chỉ số thành phần"),
        queryset=SubIndex.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Cho mục tiêu áp dụng cho nhiều chỉ số (“3 trong 7 chỉ số này vào top 10”, “mỗi chỉ số tăng 10 bậc”): "
            "chọn các chỉ số và để trống ô “Chỉ số thành phần” ở trên."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        year = self.instance.year or 2024
        # Sub-indices under the names the methodology of the target's year uses (CSTP 8 before 2021…).
        subindices = SubIndex.objects.select_related("index").prefetch_related("names")
        self.fields["subindex"].queryset = subindices
        self.fields["subindex"].label_from_instance = lambda s: _subindex_choice(s, year)
        self.fields["members"].queryset = subindices
        self.fields["members"].label_from_instance = lambda s: _subindex_choice(s, year)
        if self.instance.pk:
            self.fields["members"].initial = [s.pk for s in self.instance.group()]
        self.fields["indicator"].queryset = Indicator.objects.select_related("subindex")
        self.fields["province"].label_from_instance = lambda p: p.label
        bound_year_fields(self, "year", "baseline_year")
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        data = super().clean()
        members = list(data.get("members") or [])
        index = data.get("index")
        if members:
            if data.get("subindex") or data.get("indicator"):
                self.add_error(
                    "members", _("Chọn một chỉ số thành phần, một chỉ tiêu hoặc một nhóm, không chọn cả hai.")
                )
            elif len(members) < 2:
                self.add_error("members", _("Một nhóm cần ít nhất hai chỉ số thành phần."))
            elif index is not None and any(s.index_id != index.pk for s in members):
                self.add_error("members", _("Các chỉ số của nhóm phải thuộc bộ chỉ số đã chọn."))
        return data


def _subindex_choice(subindex, year):
    name = subindex.name_for(year)
    return (
        f"CSTP {subindex.number}: {name}"
        if subindex.index.code == "PCI"
        else f"{subindex.index} {subindex.number}. {name}"
    )


class BaseGoalFormSet(forms.BaseInlineFormSet):
    """The goals of a target; `group_size` (members chosen in the target form) bounds "N of these M"."""

    group_size = None

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.instance._group_size = self.group_size
        form.instance._target = self.instance  # filled from the target form before the goals are validated
        return form

    def clean(self):
        super().clean()
        if self.group_size is None:
            return
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            n = data.get("min_count")
            if n is None or data.get("DELETE"):
                continue
            if not self.group_size:
                form.add_error("min_count", _("Chỉ dùng cho mục tiêu áp dụng cho một nhóm chỉ số thành phần."))
            elif n > self.group_size:
                form.add_error("min_count", _("Số chỉ số cần đạt phải từ 1 đến %s.") % self.group_size)


class GoalForm(PortalFormMixin, forms.ModelForm):
    """One condition; the reference lists (regions of both periods, tiers of every index) are drop-downs."""

    class Meta:
        model = Goal
        fields = ["kind", "value", "low", "high", "out_of", "region", "tier", "min_count"]
        localized_fields = ["value"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.prefetch_related("provinces")
        tiers = TierLevel.objects.select_related("index").order_by("index_id", "position")
        choices = [("", "---------")]
        for t in tiers:
            if (t.code, f"{t.index}: {t.name}") not in choices:
                choices.append((t.code, f"{t.index}: {t.name}"))
        self.fields["tier"] = forms.ChoiceField(
            label=_("Nhóm xếp loại"), choices=choices, required=False, initial=self.instance.tier
        )


GoalFormSet = inlineformset_factory(Target, Goal, form=GoalForm, formset=BaseGoalFormSet, extra=2, can_delete=True)


# One list of a plan's fields for both forms; what differs is stated in each form (see PlanFormBase).
PLAN_FIELDS = [
    "kind",
    "issuer",
    "focal_unit",
    "number",
    "number_suffix",
    "date",
    "place",
    "title",
    "period_start",
    "period_end",
    "parent",
    "relies_on",
    "follows",
    "legal_basis",
    "tracked",
    "signer",
    "signer_title",
    "recipients",
    "preamble",
    "objectives",
    "closing",
    "task_due_day",
    "task_due_month",
    "is_public",
]
PLAN_WIDGETS = {
    "date": DayMonthYearInput(),
    "title": forms.Textarea(attrs={"rows": 2}),
    "recipients": forms.Textarea(attrs={"rows": 3}),
    "preamble": forms.Textarea(attrs={"rows": 3}),
    "objectives": forms.Textarea(attrs={"rows": 4}),
    "closing": forms.Textarea(attrs={"rows": 2}),
}


def _tree_of(units):
    """Every unit of the trees (provinces) the given units belong to."""
    tops = {u.path.strip("/").split("/")[0] for u in units.only("path")[:500]}
    if not tops:
        return Unit.objects.none()
    return Unit.objects.filter(Q(*[Q(path__startswith=f"/{t}/") for t in tops], _connector=Q.OR))


class PlanFormBase(PortalFormMixin, forms.ModelForm):
    """The fields of a plan, offered within what `user` may name: issuers from `access.issuers_for(user)`,
    focal unit and signer from those issuers' trees, linked plans among the plans the user reads.

    Checks live in `Plan.clean` (period, focal unit within the issuer, yearly due day); the forms add none.
    """

    class Meta:
        model = Plan
        fields = PLAN_FIELDS
        widgets = PLAN_WIDGETS

    def __init__(self, *args, user, **kwargs):
        from . import access

        super().__init__(*args, **kwargs)
        issuers = access.issuers_for(user)
        if self.instance.issuer_id:
            # An existing plan keeps its issuer even if the user could not name it for a new plan.
            issuers = Unit.objects.filter(Q(pk__in=issuers.values("pk")) | Q(pk=self.instance.issuer_id))
        self.fields["issuer"].queryset = issuers
        tree = _tree_of(issuers)
        self.fields["focal_unit"].queryset = tree
        self.fields["signer"].queryset = Person.objects.filter(unit__in=tree).select_related("unit")
        # Only plans the user may read (and the links already set), so no other agency's plan is listed.
        linked = []
        if self.instance.pk:
            linked = [
                self.instance.parent_id,
                self.instance.follows_id,
                *self.instance.relies_on.values_list("pk", flat=True),
            ]
        readable = Plan.objects.filter(Q(pk__in=Plan.objects.visible_to(user).values("pk")) | Q(pk__in=linked))
        others = readable.exclude(pk=self.instance.pk).select_related("issuer")
        for name in ("parent", "relies_on", "follows"):
            self.fields[name].queryset = others
        bound_year_fields(self, "period_start", "period_end")
        _filtered(
            self.fields["issuer"],
            self.fields["focal_unit"],
            self.fields["signer"],
            self.fields["parent"],
            self.fields["relies_on"],
            self.fields["legal_basis"],
        )
        self.helper = _helper()


class PlanCreateForm(PlanFormBase):
    """A new plan. Differs from editing only in its starting values: the issuer when the user may name only
    one, the focal office's own unit as focal unit, and no period until one is typed."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        issuers = self.fields["issuer"].queryset
        if issuers.count() == 1:
            self.fields["issuer"].initial = issuers.first().pk
        if user.role == User.Role.FOCAL and user.unit_id:
            self.fields["focal_unit"].initial = user.unit_id
        self.fields["period_start"].initial = self.fields["period_end"].initial = None


class PlanForm(VersionCheckMixin, PlanFormBase):
    """Editing a plan: the same fields as creating it, and a version check against a concurrent save."""


class PasteTasksForm(PortalFormMixin, forms.Form):
    """Many tasks at once: one per line, with what they share (lead unit, coordinating units, leader, time)."""

    lines = forms.CharField(
        label=_("Các nhiệm vụ (mỗi dòng một nhiệm vụ)"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Dán từ văn bản; dấu “-”, “+”, “*” hay số thứ tự đầu dòng được bỏ đi, dòng trống được bỏ qua."),
    )
    lead_unit = forms.ModelChoiceField(label=_("Đơn vị chủ trì"), queryset=Unit.objects.none())
    coordinating_units = forms.ModelMultipleChoiceField(
        label=_("Đơn vị phối hợp"), queryset=Unit.objects.none(), required=False
    )
    leader = forms.ModelChoiceField(label=_("Lãnh đạo phụ trách"), queryset=Person.objects.none(), required=False)
    timeframe = forms.ChoiceField(label=_("Thời gian thực hiện"), choices=Task.Timeframe.choices)
    timeframe_text = forms.CharField(label=_("Thời gian (nguyên văn)"), max_length=255, required=False)
    due_date = forms.DateField(label=_("Hạn hoàn thành"), required=False, widget=DayMonthYearInput())

    MAX_LINES = 200

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        units = units_of(plan)
        self.fields["lead_unit"].queryset = units
        self.fields["coordinating_units"].queryset = units
        self.fields["leader"].queryset = Person.objects.filter(unit__in=units)
        _filtered(self.fields["lead_unit"], self.fields["coordinating_units"], self.fields["leader"])
        self.helper = _helper()

    def clean_lines(self):
        import re

        items = []
        for raw in self.cleaned_data["lines"].splitlines():
            text = re.sub(r"^\s*(?:[-+*•–]|\d+(?:\.\d+)*[.)]|[a-zđ]\))\s*", "", raw).strip()
            if text:
                items.append(text)
        if not items:
            raise forms.ValidationError(_("Chưa có nhiệm vụ nào: hãy dán ít nhất một dòng có nội dung."))
        if len(items) > self.MAX_LINES:
            raise forms.ValidationError(
                _("Mỗi lần dán tối đa %(max)s nhiệm vụ; hãy chia thành nhiều lần."), params={"max": self.MAX_LINES}
            )
        return items

    def clean(self):
        data = super().clean()
        if data.get("timeframe") == Task.Timeframe.ONCE and not data.get("due_date"):
            self.add_error("due_date", _("Nhiệm vụ thực hiện một lần cần có hạn hoàn thành."))
        return data


class PlanImportForm(PortalFormMixin, forms.Form):
    """The plan's own document, or its Excel appendix of tasks."""

    ALLOWED = ["docx", "pdf", "txt", "xlsx", "doc"]

    file = forms.FileField(
        label=_("Văn bản kế hoạch"),
        help_text=_("Word (.docx), PDF có lớp văn bản, .txt, hoặc phụ lục nhiệm vụ Excel (.xlsx)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.pdf,.txt,.xlsx,.doc"}),
    )

    def clean_file(self):
        from pci_portal.uploads import check_upload

        return check_upload(
            self.cleaned_data["file"],
            allowed=self.ALLOWED,
            max_bytes=settings.IMPORT_MAX_BYTES,
            allowed_label=".docx, .pdf, .txt, .xlsx",
        )
