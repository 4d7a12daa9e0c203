from django.conf import settings
from django.utils.functional import SimpleLazyObject


def portal(request):
    """Values every page's layout needs."""
    return {
        "SUPPORT_SERVICES_EMAIL": settings.SUPPORT_SERVICES_EMAIL,
        # Whether to link the coordinator area: asked of the database only when a page shows it to a
        # signed-in user, so anonymous (and cached) pages run no query for it.
        "has_coordinator_area": SimpleLazyObject(lambda: _has_coordinator_area(request)),
    }


def _has_coordinator_area(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    return user.coordinator_access.exists()
