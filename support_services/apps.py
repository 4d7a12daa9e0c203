from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportServicesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "support_services"
    verbose_name = _("Support services")

    def ready(self):
        from pact_portal.cache import watch

        from .models import Event, EventMaterial

        # Events are public pages (and appear on partnership profiles).
        watch(Event, EventMaterial)
