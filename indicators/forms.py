from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from pci_portal import uploads

from .models import Result


class ResultImportForm(forms.Form):
    """The file of published results and the edition it belongs to."""

    file = forms.FileField(
        label=_("Tệp kết quả (.xlsx hoặc .csv)"),
        help_text=_("Mỗi dòng một tỉnh: Tỉnh/thành phố, điểm và hạng PCI, rồi điểm và hạng của CSTP 1 đến 10."),
    )
    year = forms.IntegerField(label=_("Năm công bố (năm PCI)"), min_value=2005, max_value=2100)
    out_of = forms.IntegerField(
        label=_("Số tỉnh, thành phố được xếp hạng"),
        min_value=1,
        max_value=100,
        initial=63,
        help_text=_("63 đến PCI 2024; 34 từ khi sắp xếp đơn vị hành chính năm 2025."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("preview", _("Xem trước"), css_class="btn-primary"))

    def clean_file(self):
        # Size, a real .xlsx package (no zip bomb, no macro), a CSV with no NUL: pci_portal.uploads.
        return uploads.check_upload(
            self.cleaned_data["file"], allowed=["xlsx", "csv"], max_bytes=settings.IMPORT_MAX_BYTES
        )


class ResultForm(forms.ModelForm):
    """Hand entry of a result's score and rank (ranks the publisher did not publish)."""

    class Meta:
        model = Result
        fields = ["score", "rank", "out_of", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Lưu"), css_class="btn-primary"))

    def clean(self):
        data = super().clean()
        rank, out_of = data.get("rank"), data.get("out_of")
        if rank is not None and out_of and rank > out_of:
            self.add_error("rank", _("Hạng không được lớn hơn số tỉnh được xếp hạng."))
        return data
