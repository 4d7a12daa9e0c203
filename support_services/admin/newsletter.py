"""Newsletter subscriptions in the admin (read-only)."""

from django.contrib import admin

from partnerships.models import Stage

from ..models.newsletter import NewsletterSubscription
from .applications import choice_labels


@admin.register(NewsletterSubscription)
class NewsletterSubscriptionAdmin(admin.ModelAdmin):
    """Read-only: subscriptions change only by their owner's confirm and unsubscribe links."""

    list_display = ["email", "status", "language", "created_at", "confirmed_at", "unsubscribed_at"]
    list_filter = ["status", "language"]
    search_fields = ["email"]
    fields = [
        "email",
        "status",
        "language",
        "ecosystems",
        "stages_display",
        "created_at",
        "last_mailed_at",
        "confirmed_at",
        "consent_ip_hash",
        "privacy_notice_version",
        "unsubscribed_at",
    ]
    readonly_fields = fields

    @admin.display(description=NewsletterSubscription._meta.get_field("stages").verbose_name)
    def stages_display(self, obj):
        return choice_labels(obj.stages, Stage.choices)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
