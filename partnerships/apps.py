from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "partnerships"
    verbose_name = _("Registry")

    def ready(self):
        from pact_portal.cache import watch

        # Cache invalidation is plumbing, not a business rule: every write, whoever makes it, counts.
        # A request to join changes no public page until it is decided, and that writes a membership.
        watch(*(model for model in self.get_models() if model is not self.get_model("JoinRequest")))

        from django.db.models.signals import post_delete, post_save

        from .maps import forget_shapes

        for model in (self.get_model("Region"), self.get_model("RegionBoundary")):
            post_save.connect(forget_shapes, sender=model, dispatch_uid=f"map-shapes-save-{model.__name__}")
            post_delete.connect(
                forget_shapes, sender=model, dispatch_uid=f"map-shapes-delete-{model.__name__}"
            )
