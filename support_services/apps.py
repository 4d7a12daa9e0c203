from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportServicesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "support_services"
    verbose_name = _("Support services")

    def ready(self):
        from pact_portal.cache import watch

        # The resource library is public and cached whole: any change to it invalidates the pages.
        watch(self.get_model("Resource"), self.get_model("ResourceStage"), self.get_model("ResourceVersion"))

        from partnerships.exports import SITEMAPS

        from .sitemaps import register

        register(SITEMAPS)

        from . import workflows  # noqa: F401  (registers the stage and support-request workflows)

        # Events are public pages (and appear on partnership profiles).
        watch(self.get_model("Event"), self.get_model("EventMaterial"))
