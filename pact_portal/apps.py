from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "pact_portal"
    verbose_name = "Pact for Skills portal"

    def ready(self):
        from django.db.backends.signals import connection_created

        from . import checks  # noqa: F401  (registers the portal's system checks)
        from .search import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="portal-sqlite-fold")
