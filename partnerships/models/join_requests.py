"""Requests to join a partnership, sent by organisations from its public profile and decided by its coordinators.

submitted → accepted → joined, or submitted → declined; the transitions are declared in
``partnerships/workflows.py``. The requester follows the request through a secret link (``token``), as an
Expression of Interest's applicant does.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pact_portal.modelbits import choice_is, implies

from .memberships import Membership
from .organisations import Organisation, StakeholderType
from .partnerships import Partnership
from .reference import Region


def new_token():
    return secrets.token_urlsafe(32)


class JoinRequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for the coordinators")
    ACCEPTED = "accepted", _("Accepted, membership to be confirmed")
    JOINED = "joined", _("Joined")
    DECLINED = "declined", _("Declined")


class JoinRequestQuerySet(models.QuerySet):
    def pending(self):
        """Requests the coordinators still have to act on (decide, or confirm the membership)."""
        return self.filter(status__in=[JoinRequestStatus.SUBMITTED, JoinRequestStatus.ACCEPTED])


class JoinRequest(models.Model):
    """An organisation asks to join a published partnership."""

    token = models.CharField(
        _("secret link token"), max_length=64, unique=True, default=new_token, editable=False
    )
    idempotency_key = models.CharField(
        _("idempotency key"), max_length=64, unique=True, null=True, blank=True, editable=False
    )
    partnership = models.ForeignKey(
        Partnership, verbose_name=_("partnership"), on_delete=models.CASCADE, related_name="join_requests"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=JoinRequestStatus.choices, default=JoinRequestStatus.SUBMITTED
    )
    language = models.CharField(_("language"), max_length=10, default="en")

    # The organisation, as the requester names it; matched against the registry on acceptance.
    organisation_name = models.CharField(_("organisation name"), max_length=255)
    organisation_type = models.CharField(
        _("stakeholder type"), max_length=32, choices=StakeholderType.choices
    )
    organisation_is_sme = models.BooleanField(_("SME"), null=True, blank=True)
    organisation_country = models.ForeignKey(
        Region, verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    organisation_website = models.URLField(_("website"), blank=True)
    contribution = models.TextField(_("what the organisation would bring"))

    contact_name = models.CharField(_("contact name"), max_length=200)
    contact_email = models.EmailField(_("e-mail"))
    privacy_notice_version = models.CharField(_("privacy notice version"), max_length=20)
    consent_at = models.DateTimeField(_("consent given"))

    # The decision.
    message = models.TextField(_("message from the coordinators"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation in the registry"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="join_requests",
    )
    membership = models.OneToOneField(
        Membership,
        verbose_name=_("membership"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="join_request",
    )
    joined_at = models.DateTimeField(_("membership confirmed"), null=True, blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True, db_index=True)

    objects = JoinRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("request to join")
        verbose_name_plural = _("requests to join")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=JoinRequestStatus.values), name="joinrequest_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(organisation_type__in=StakeholderType.values), name="joinrequest_type_valid"
            ),
            implies(
                Q(status__in=[JoinRequestStatus.ACCEPTED, JoinRequestStatus.JOINED]),
                Q(organisation__isnull=False),
                name="joinrequest_accepted_names_organisation",
            ),
            implies(
                Q(status=JoinRequestStatus.DECLINED), ~Q(message=""), name="joinrequest_declined_has_message"
            ),
        ]
        indexes = [models.Index(fields=["partnership", "status"])]

    def __str__(self):
        return _("%(organisation)s → %(partnership)s") % {
            "organisation": self.organisation_name,
            "partnership": self.partnership,
        }

    def get_absolute_url(self):
        return reverse("partnerships:join_request_status", kwargs={"token": self.token})

    is_submitted = choice_is("status", JoinRequestStatus.SUBMITTED)
    is_accepted = choice_is("status", JoinRequestStatus.ACCEPTED)
    is_joined = choice_is("status", JoinRequestStatus.JOINED)

    @property
    def is_decided(self):
        return not self.is_submitted
