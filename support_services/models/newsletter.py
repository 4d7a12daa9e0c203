"""Newsletter: double opt-in subscriptions."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pact_portal.modelbits import choice_check, choice_is, implies
from partnerships.models import Ecosystem

from .applications import new_token


class SubscriptionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Subscribed")
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")


class NewsletterSubscription(models.Model):
    """One address; active only once its owner followed the confirmation link (double opt-in)."""

    email = models.EmailField(_("e-mail"), unique=True)
    token = models.CharField(
        _("unsubscribe token"), max_length=64, unique=True, default=new_token, editable=False
    )
    status = models.CharField(
        _("status"), max_length=12, choices=SubscriptionStatus.choices, default=SubscriptionStatus.PENDING
    )
    language = models.CharField(_("language"), max_length=10, default="en")
    ecosystems = models.ManyToManyField(
        Ecosystem, verbose_name=_("interested in ecosystems"), blank=True, related_name="+"
    )
    stages = models.JSONField(_("interested in stages"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_mailed_at = models.DateTimeField(_("last e-mailed"), null=True, blank=True, editable=False)
    # Consent record (GDPR): when, which notice, and a keyed hash of the address it came from, nothing more.
    confirmed_at = models.DateTimeField(_("consent given"), null=True, blank=True, editable=False)
    consent_ip_hash = models.CharField(
        _("consent address (hashed)"), max_length=64, blank=True, editable=False
    )
    privacy_notice_version = models.CharField(_("privacy notice version"), max_length=20, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("newsletter subscription")
        verbose_name_plural = _("newsletter subscriptions")
        constraints = [
            choice_check("status", SubscriptionStatus.values, name="newsletter_status_valid"),
            implies(
                Q(status=SubscriptionStatus.CONFIRMED),
                Q(confirmed_at__isnull=False),
                name="newsletter_confirmed_with_consent",
            ),
        ]

    def __str__(self):
        return self.email

    is_confirmed = choice_is("status", SubscriptionStatus.CONFIRMED)
    is_unsubscribed = choice_is("status", SubscriptionStatus.UNSUBSCRIBED)

    def get_unsubscribe_url(self):
        return reverse("newsletter:unsubscribe", kwargs={"token": self.token})
