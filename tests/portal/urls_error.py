"""A URL that fails, for the 500 page and the error e-mail."""

from django.urls import path

from pci_portal.urls import handler500, urlpatterns  # noqa: F401 - the portal's handler500 and pages


def boom(request):
    raise RuntimeError("hỏng hóc thử nghiệm")


urlpatterns = [path("boom/", boom), *urlpatterns]
