from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "pact_portal"
    verbose_name = "Pact for Skills portal"

    def ready(self):
        from . import checks  # noqa: F401  (registers the portal's system checks)
