from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "commitments"
    verbose_name = _("Declarations of commitment")

    def ready(self):
        from pact_portal.cache import watch

        # The partnership profile shows the signed declaration and KPI progress: any change invalidates pages.
        watch(*self.get_models())

        from . import workflows  # noqa: F401  (registers the declaration workflow with pact_portal.workflow)
