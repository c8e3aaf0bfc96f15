from functools import partial

from django import forms
from django.contrib.auth import forms as auth_forms
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pci_portal.forms import PortalFormMixin

from .models import User


class LoginForm(PortalFormMixin, auth_forms.AuthenticationForm):
    # Django's Vietnamese catalogue leaves these untranslated.
    error_messages = {
        "invalid_login": _(
            "Tên đăng nhập hoặc mật khẩu không đúng. Vui lòng nhập chính xác (phân biệt chữ hoa, chữ thường)."
        ),
        "inactive": _("Tài khoản này đã bị khóa."),
    }


class OwnPasswordMixin:
    """Choosing one's own password lifts "must change at first login"."""

    error_messages = {"password_mismatch": _("Hai lần nhập mật khẩu mới không giống nhau.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Mật khẩu mới")
        self.fields["new_password2"].label = _("Nhập lại mật khẩu mới")

    def save(self, commit=True):
        self.user.must_change_password = False
        return super().save(commit)


class SetPasswordForm(PortalFormMixin, OwnPasswordMixin, auth_forms.SetPasswordForm):
    pass


class PasswordChangeForm(PortalFormMixin, OwnPasswordMixin, auth_forms.PasswordChangeForm):
    error_messages = {
        **OwnPasswordMixin.error_messages,
        "password_incorrect": _("Mật khẩu hiện tại không đúng. Vui lòng nhập lại."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Mật khẩu hiện tại")


class PasswordResetForm(PortalFormMixin, auth_forms.PasswordResetForm):
    """Forgot password: the e-mail is built and sent by a Celery task after the request commits."""

    email = forms.EmailField(
        label=_("E-mail đăng ký với cổng"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def get_users(self, email):
        # Unlike Django, also someone invited who never set a password: the reset link sets their first one.
        return User.objects.filter(Q(email__iexact=email), is_active=True)

    def save(self, *args, **kwargs):
        from .tasks import send_account_email_task

        for user in self.get_users(self.cleaned_data["email"]):
            transaction.on_commit(partial(send_account_email_task.delay, "password-reset", user.pk))


class ProfileForm(PortalFormMixin, forms.ModelForm):
    """What a person keeps up to date about themselves (role and unit are the administrator's)."""

    class Meta:
        model = User
        fields = ["full_name", "title", "phone", "email"]
        labels = {"email": _("E-mail")}
        help_texts = {"email": _("Thư nhắc việc, thông báo và đặt lại mật khẩu gửi về địa chỉ này.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True
        self.fields["email"].required = True

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("E-mail này đã thuộc một tài khoản khác."))
        return email
