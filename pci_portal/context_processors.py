from django.conf import settings


def portal(request):
    """Site-wide names for the base template."""
    return {"PORTAL_NAME": settings.PORTAL_NAME}
