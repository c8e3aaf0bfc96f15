from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import SetPasswordForm
from .models import User
from .tokens import invitation_token_generator


@login_required
def home(request):
    """Each role lands where its work is: officials and unit heads on their tasks, the focal office on the
    plans it keeps, leadership and administrators on the list of plans (the dashboard lives at /dashboard/),
    province and agency administrators on their units."""
    user = request.user
    if user.is_admin_role or user.role == User.Role.LEADER:
        return redirect("plans:plan_list")
    if user.role == User.Role.FOCAL:
        return redirect(reverse("plans:plan_list") + "?mine=1")
    if user.role in (User.Role.PROVINCE_ADMIN, User.Role.AGENCY_ADMIN):
        return redirect("people:unit_list")
    return redirect("plans:my_tasks")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The link of the reset e-mail; a spent or expired link says so (410) and offers a new one."""

    form_class = SetPasswordForm

    def render_to_response(self, context, **kwargs):
        if not context.get("validlink"):
            kwargs["status"] = 410
        return super().render_to_response(context, **kwargs)


class InvitationAcceptView(PasswordResetConfirmView):
    """The link of the invitation e-mail: the new user chooses a password, then logs in."""

    token_generator = invitation_token_generator
    template_name = "registration/invitation_accept.html"
    success_url = reverse_lazy("login")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(
            self.request,
            _("Đã đặt mật khẩu cho tài khoản %(username)s. Mời đồng chí đăng nhập.") % {"username": form.user.username},
        )
        return response


@login_required
@require_POST
def logout_other_sessions(request):
    from .services import end_sessions

    count = end_sessions(request.user, keep=request.session.session_key)
    messages.success(request, _("Đã đăng xuất %(n)d phiên khác.") % {"n": count})
    return redirect("profile")
