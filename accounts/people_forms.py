"""Forms of the people pages (units and users of a province or an agency)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from pci_portal.forms import PortalFormMixin

from .models import Unit


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        depth = unit.path.strip("/").count("/")
        return "\u2003" * depth + unit.name


def _province_label(province):
    if province.valid_from:
        return _("%(name)s (từ %(date)s)") % {"name": province.name, "date": f"{province.valid_from:%d/%m/%Y}"}
    if province.valid_to:
        return _("%(name)s (đến %(date)s)") % {"name": province.name, "date": f"{province.valid_to:%d/%m/%Y}"}
    return province.name


class UnitForm(PortalFormMixin, forms.ModelForm):
    """Create or rename a unit; its code is generated, never typed."""

    class Meta:
        model = Unit
        fields = ["name", "short_name", "abbreviation", "kind", "parent", "province", "email", "place", "order"]
        help_texts = {
            "short_name": _('Tên hiển thị trong bảng, ví dụ "Sở Công Thương".'),
            "abbreviation": _('Ký hiệu trên số văn bản, ví dụ SCT trong "15/KH-SCT".'),
            "place": _("Địa danh ở dòng ngày tháng của văn bản; để trống thì lấy của đơn vị cấp trên."),
        }

    def __init__(self, *args, managed, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["parent"]  # moving has its own page, which recomputes the subtree
        else:
            self.fields["parent"] = UnitChoiceField(
                label=_("Đơn vị cấp trên"),
                queryset=managed.filter(is_active=True).order_by("path"),
                required=not user.is_admin_role,
                help_text=_("Để trống: đơn vị gốc của một tỉnh mới (UBND tỉnh)."),
            )
        if not user.is_admin_role or (self.instance.pk and self.instance.parent_id):
            del self.fields["province"]  # a province belongs to the root of its tree, set by the portal administrator
        else:
            # accounts and indicators sit side by side: reach the model through the field, not an import.
            province_model = Unit._meta.get_field("province").related_model
            self.fields["province"].queryset = province_model.objects.order_by("name", "valid_from")
            self.fields["province"].label_from_instance = _province_label

    def clean(self):
        data = super().clean()
        if "province" in self.fields and not data.get("parent") and not data.get("province") and not self.instance.pk:
            self.add_error("province", _("Đơn vị gốc (UBND tỉnh) cần chọn tỉnh."))
        return data


class MoveUnitForm(PortalFormMixin, forms.Form):
    parent = UnitChoiceField(label=_("Chuyển về trực thuộc"), queryset=Unit.objects.none())

    def __init__(self, *args, unit, managed, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = (
            managed.filter(is_active=True)
            .exclude(path__startswith=unit.path)
            .exclude(pk=unit.parent_id)
            .order_by("path")
        )


class MergeUnitForm(PortalFormMixin, forms.Form):
    successor = UnitChoiceField(
        label=_("Sáp nhập vào đơn vị"),
        queryset=Unit.objects.none(),
        help_text=_(
            "Người dùng, đơn vị cấp dưới, nhiệm vụ, kế hoạch và báo cáo của đơn vị này chuyển sang đơn vị được chọn; "
            "đơn vị này vẫn còn (ngừng hoạt động, ghi là đã sáp nhập) để tra cứu lịch sử."
        ),
    )

    def __init__(self, *args, unit, managed, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["successor"].queryset = (
            managed.filter(is_active=True).exclude(path__startswith=unit.path).order_by("path")
        )


class UserForm(PortalFormMixin, forms.Form):
    """Create or change a login: name, contact, unit and role within the administrator's reach."""

    full_name = forms.CharField(label=_("Họ và tên"), max_length=120)
    email = forms.EmailField(label=_("E-mail"), help_text=_("Thư mời, nhắc việc và đặt lại mật khẩu gửi về đây."))
    unit = UnitChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none(), required=False)
    role = forms.ChoiceField(label=_("Vai trò"))
    title = forms.CharField(label=_("Chức vụ"), max_length=120, required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=30, required=False)

    def __init__(self, *args, managed, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = managed.filter(is_active=True).order_by("path")
        self.fields["role"].choices = [(r.value, r.label) for r in roles]

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class UserImportForm(PortalFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Tệp Excel (.xlsx) theo mẫu"),
        help_text=_("Cột: Họ và tên, E-mail, Đơn vị, Vai trò, Chức vụ, Điện thoại. Tối đa 3.000 dòng."),
    )
