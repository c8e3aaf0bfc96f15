from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from pci_portal import uploads
from pci_portal.forms import PortalFormMixin

from .importing import looks_utf16
from .models import Result, tier_scale


class ResultImportForm(PortalFormMixin, forms.Form):
    """The file of published results and the edition it belongs to."""

    file = forms.FileField(
        label=_("Tệp kết quả (.xlsx hoặc .csv)"),
        help_text=_("Mỗi dòng một tỉnh: Tỉnh/thành phố, điểm và hạng PCI, rồi điểm và hạng của CSTP 1 đến 10."),
    )
    index = forms.ChoiceField(
        label=_("Bộ chỉ số"),
        choices=[("PCI", "PCI"), ("PGI", "PGI"), ("PAPI", "PAPI"), ("SIPAS", "SIPAS"), ("PAR_INDEX", "PAR INDEX")],
        initial="PCI",
        required=False,
    )
    year = forms.IntegerField(label=_("Năm của kết quả (năm PCI)"), min_value=2005, max_value=2100)
    out_of = forms.IntegerField(
        label=_("Số tỉnh, thành phố được xếp hạng"),
        min_value=1,
        max_value=100,
        required=False,
        help_text=_("Theo năm: 63 đến năm 2024; 34 từ năm 2025. Để trống để lấy theo năm; ghi khác sẽ bị từ chối."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("preview", _("Xem trước"), css_class="btn-primary"))

    def clean_file(self):
        f = self.cleaned_data["file"]
        # A CSV may be UTF-16 (NUL bytes) or Windows-1258: only its size is checked here, its text when read.
        if uploads.extension(f.name) in ("csv", "tsv", "txt"):
            f.name = uploads.safe_file_name(f.name)
            uploads.check_size(f, settings.IMPORT_MAX_BYTES)
            f.seek(0)
            if not looks_utf16(f.read(4096)):
                uploads.check_text(f, uploads.extension(f.name))  # NUL bytes in a UTF-8/1258 text: refused
            f.seek(0)
            return f
        # Size, a real .xlsx package (no zip bomb, no macro): pci_portal.uploads.
        return uploads.check_upload(f, allowed=["xlsx", "csv"], max_bytes=settings.IMPORT_MAX_BYTES)


class ResultForm(PortalFormMixin, forms.ModelForm):
    """Hand entry of a result's score, rank and tier (what the publisher's table left out)."""

    class Meta:
        model = Result
        fields = ["score", "rank", "out_of", "tier", "source", "illustrative"]
        localized_fields = ["score"]  # "73,10" with a decimal comma in Vietnamese

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _order, names = tier_scale(self.instance.index_id, self.instance.year)
        self.fields["tier"] = forms.ChoiceField(
            label=_("Nhóm xếp loại"),
            choices=[("", "---------"), *names.items()],
            required=False,
            initial=self.instance.tier,
        )
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Lưu"), css_class="btn-primary"))

    def clean(self):
        data = super().clean()
        rank, out_of = data.get("rank"), data.get("out_of")
        if rank is not None and out_of and rank > out_of:
            self.add_error("rank", _("Hạng không được lớn hơn số tỉnh được xếp hạng."))
        return data
