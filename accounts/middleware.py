"""Session rules: an idle session ends; a password chosen by an administrator is changed at first login."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

# The last activity is written at most this often (seconds): a session is not saved on every request.
TOUCH_EVERY = 60


class IdleTimeoutMiddleware:
    """Logs out a session left idle longer than SESSION_IDLE_TIMEOUT seconds (0: never)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timeout = settings.SESSION_IDLE_TIMEOUT
        if timeout and request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get("last_seen")
            if last is not None and now - last > timeout:
                logout(request)
                messages.info(
                    request,
                    _("Phiên làm việc đã hết hạn sau %(minutes)d phút không thao tác. Vui lòng đăng nhập lại.")
                    % {"minutes": timeout // 60},
                )
                return redirect_to_login(request.get_full_path())
            if last is None or now - last >= TOUCH_EVERY:
                request.session["last_seen"] = now
        return self.get_response(request)


class MustChangePasswordMiddleware:
    """Someone whose password was set by an administrator goes to "change password" before anything else."""

    ALLOWED = ("password_change", "password_change_done", "logout", "set_language")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.must_change_password:
            match = request.resolver_match or _resolve(request.path_info)
            if match is None or match.url_name not in self.ALLOWED:
                if not request.path_info.startswith(settings.STATIC_URL):
                    messages.warning(request, _("Mật khẩu của đồng chí do quản trị viên đặt: vui lòng đổi mật khẩu."))
                    return redirect(reverse("password_change"))
        return self.get_response(request)


def _resolve(path):
    from django.urls import Resolver404, resolve

    try:
        return resolve(path)
    except Resolver404:
        return None
