from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from pci_portal.forms import PortalFormMixin

from .models import NotificationPreference


class PreferenceForm(PortalFormMixin, forms.ModelForm):
    """Optional e-mails, the digest hour and the language; report reminders are mandatory (shown disabled)."""

    report_reminders = forms.BooleanField(
        label=_("Nhắc hạn nộp báo cáo định kỳ"),
        required=False,
        initial=True,
        disabled=True,
        help_text=_("Bắt buộc: đơn vị chưa nộp báo cáo luôn được nhắc trước hạn và khi quá hạn."),
    )
    language = forms.ChoiceField(
        label=_("Ngôn ngữ của thư và giao diện"), choices=User._meta.get_field("language").choices
    )

    class Meta:
        model = NotificationPreference
        fields = ["report_reminders", "task_reminders", "returned_report_notices", "digest_hour", "language"]
        help_texts = {
            "task_reminders": _("Thư nhắc trước hạn và khi quá hạn các nhiệm vụ được giao cho đồng chí hoặc đơn vị."),
            "returned_report_notices": _("Thư báo khi báo cáo của đơn vị bị đơn vị đầu mối trả lại."),
            "digest_hour": _("Mọi việc cần nhắc trong ngày được gộp vào một thư, gửi vào giờ này (giờ Việt Nam)."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["language"].initial = user.language
        self.helper = FormHelper()
        self.helper.form_tag = False

    def save(self, commit=True):
        preference = super().save(commit=False)
        preference.user = self.user
        self.user.language = self.cleaned_data["language"]
        if commit:
            preference.save()
            self.user.save(update_fields=["language"])
        return preference
