from django.contrib.auth import views as auth_views
from django.urls import path

from . import twofactor, views
from .forms import PasswordChangeForm, PasswordResetForm

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", twofactor.PortalLoginView.as_view(), name="login"),
    path("login/otp/", twofactor.login_otp, name="login_otp"),
    path("profile/two-factor/", twofactor.two_factor, name="two_factor"),
    path("profile/two-factor/start/", twofactor.two_factor_start, name="two_factor_start"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password_change/",
        auth_views.PasswordChangeView.as_view(form_class=PasswordChangeForm),
        name="password_change",
    ),
    path("password_change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path(
        "password_reset/",
        auth_views.PasswordResetView.as_view(form_class=PasswordResetForm),
        name="password_reset",
    ),
    path("password_reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("invitation/<uidb64>/<token>/", views.InvitationAcceptView.as_view(), name="invitation_accept"),
    path("profile/sessions/logout-others/", views.logout_other_sessions, name="logout_other_sessions"),
]
