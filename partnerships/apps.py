from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "partnerships"
    verbose_name = _("Registry")

    def ready(self):
        from django.db.backends.signals import connection_created

        from .search import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="partnerships-sqlite-fold")

        from pact_portal.cache import watch

        # Cache invalidation is plumbing, not a business rule: every write, whoever makes it, counts.
        watch(*self.get_models())
