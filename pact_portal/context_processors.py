from django.conf import settings


def portal(request):
    """Values every page's layout needs."""
    return {"SUPPORT_SERVICES_EMAIL": settings.SUPPORT_SERVICES_EMAIL}
