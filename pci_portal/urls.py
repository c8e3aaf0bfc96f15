from django.conf import settings
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from notifications.views import calendar_feed, profile

from .audit import audit_log

handler500 = "pci_portal.errors.server_error"

admin.site.site_header = _("Cổng PCI – Quản trị")
admin.site.site_title = _("Cổng PCI")
admin.site.index_title = _("Quản trị hệ thống")


class FaviconView(RedirectView):
    """Browsers and crawlers ask /favicon.ico whatever the page links: send them to the static icon."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        return static("img/favicon.ico")


urlpatterns = [
    path("favicon.ico", FaviconView.as_view(), name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Targets moved from indicators to plans (issue 14): their admin pages, bookmarked before, still open.
    re_path(
        r"^admin/indicators/target/(?P<rest>.*)$",
        RedirectView.as_view(url="/admin/plans/target/%(rest)s", permanent=True, query_string=True),
    ),
    path("admin/", admin.site.urls),
    path("audit/", audit_log, name="audit_log"),
    path("", include("accounts.urls")),
    path("", include("plans.urls")),
    path("reports/", include("reporting.urls")),
    path("notifications/", include("notifications.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("indicators/", include("indicators.urls")),
    path("calendar/<str:token>.ics", calendar_feed, name="calendar_feed"),
    path("people/", include("accounts.people_urls")),
    path("profile/", profile, name="profile"),
    path("public/", include("dashboard.public_urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
