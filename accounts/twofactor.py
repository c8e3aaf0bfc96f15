"""Optional two-step sign-in (TOTP, django-otp) for administrators.

An administrator (portal, province or agency) turns it on from the profile page: a QR code for an authenticator
app (Google Authenticator, Microsoft Authenticator, FreeOTP…), then one code to confirm. From then on the login
form asks for the password and, on a second page, the six-digit code; django-otp throttles wrong codes.
"""

import time

from django import forms
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from pci_portal.forms import PortalFormMixin

from .forms import LoginForm
from .models import User

PENDING = "_otp_pending"  # session: {"user": id, "backend": path, "next": url, "at": epoch seconds}
PENDING_SECONDS = 300
TWO_FACTOR_ROLES = {User.Role.ADMIN, User.Role.PROVINCE_ADMIN, User.Role.AGENCY_ADMIN}


def may_use_two_factor(user):
    return user.is_authenticated and (user.is_admin_role or user.role in TWO_FACTOR_ROLES)


def confirmed_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


class TokenForm(PortalFormMixin, forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Mã xác thực (6 chữ số)"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class PortalLoginView(auth_views.LoginView):
    """The login form; an account with two-step sign-in goes on to the code page instead of logging in."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if confirmed_device(user) is None:
            return super().form_valid(form)
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,
            "next": self.get_success_url(),
            "at": int(time.time()),
        }
        return redirect("login_otp")


def login_otp(request):
    """Second step: the code of the authenticator app."""
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        messages.info(request, _("Vui lòng đăng nhập lại."))
        return redirect("login")
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    device = confirmed_device(user) if user else None
    if device is None:
        request.session.pop(PENDING, None)
        return redirect("login")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _data = device.verify_is_allowed()
        if allowed and device.verify_token(form.cleaned_data["token"]):
            del request.session[PENDING]
            auth_login(request, user, backend=pending["backend"])
            target = pending["next"]
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                target = "/"
            return redirect(target)
        form.add_error(
            "token",
            _("Mã không đúng hoặc đã hết hạn. Chờ mã mới trên ứng dụng rồi nhập lại.")
            if allowed
            else _("Nhập sai nhiều lần: vui lòng chờ ít phút rồi thử lại."),
        )
    return render(request, "registration/login_otp.html", {"form": form, "username": user.username})


def _qr_svg(url):
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


@login_required
def two_factor(request):
    """Turn two-step sign-in on (scan, confirm with a code) or off (with a current code)."""
    from base64 import b32encode

    if not may_use_two_factor(request.user):
        raise PermissionDenied(_("Xác thực hai bước dành cho tài khoản quản trị."))
    device = TOTPDevice.objects.filter(user=request.user).order_by("-confirmed", "-id").first()
    form = TokenForm(request.POST or None)
    if request.method == "POST" and device is not None and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            with transaction.atomic():
                if device.confirmed:  # turning it off
                    TOTPDevice.objects.filter(user=request.user).delete()
                    messages.success(request, _("Đã tắt xác thực hai bước."))
                else:
                    device.confirmed = True
                    device.save(update_fields=["confirmed"])
                    messages.success(request, _("Đã bật xác thực hai bước: lần đăng nhập sau cổng sẽ hỏi mã."))
            return redirect("profile")
        form.add_error("token", _("Mã không đúng hoặc đã hết hạn. Chờ mã mới trên ứng dụng rồi nhập lại."))
    context = {"device": device, "form": form}
    if device is not None and not device.confirmed:
        context["qr"] = _qr_svg(device.config_url)
        context["secret"] = b32encode(device.bin_key).decode()
    return render(request, "accounts/two_factor.html", context)


@login_required
@require_POST
def two_factor_start(request):
    """Make a fresh, unconfirmed key (a GET never writes), then show it."""
    if not may_use_two_factor(request.user):
        raise PermissionDenied(_("Xác thực hai bước dành cho tài khoản quản trị."))
    with transaction.atomic():
        if confirmed_device(request.user) is None:
            TOTPDevice.objects.filter(user=request.user).delete()
            TOTPDevice.objects.create(user=request.user, name=_("Ứng dụng xác thực"), confirmed=False)
    return redirect("two_factor")
