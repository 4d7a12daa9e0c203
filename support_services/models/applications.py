"""Expressions of Interest: an organisation's application to set up a Regional Skills Partnership.

The status follows DESIGN §3; the machine is declared as data in ``workflows/applications.py`` and run by
``pact_portal.workflow``: every change writes an ``EoiEvent`` (the audit timeline).
"""

import secrets

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pact_portal.modelbits import (
    TimeStamped,
    choice_check,
    choice_is,
    implies,
    optional_fk,
    staff_fk,
    user_fk,
)
from partnerships.models import Ecosystem, GeographicScope, Organisation, Partnership, Region


def new_token():
    """256 bits of randomness, URL-safe (43 characters): the applicant's only key to the application."""
    return secrets.token_urlsafe(32)


class EoiStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_ASSESSMENT = "under_assessment", _("Under assessment")
    INFORMATION_REQUESTED = "information_requested", _("Information requested")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATUSES = (
    EoiStatus.DRAFT,
    EoiStatus.SUBMITTED,
    EoiStatus.UNDER_ASSESSMENT,
    EoiStatus.INFORMATION_REQUESTED,
)

RSP_SCOPES = [
    GeographicScope.SINGLE_REGION,
    GeographicScope.MACRO_REGION,
    GeographicScope.NETWORK_OF_REGIONS,
]


class ExpressionOfInterest(TimeStamped):
    token = models.CharField(
        _("secret link token"), max_length=64, unique=True, default=new_token, editable=False
    )
    idempotency_key = models.CharField(
        _("idempotency key"), max_length=64, unique=True, null=True, blank=True, editable=False
    )
    reference = models.CharField(_("reference"), max_length=20, unique=True, null=True, blank=True)
    status = models.CharField(_("status"), max_length=24, choices=EoiStatus.choices, default=EoiStatus.DRAFT)
    language = models.CharField(_("language"), max_length=10, default="en")

    # (1) The applying organisation.
    organisation_name = models.CharField(_("organisation name"), max_length=255, blank=True)
    organisation_type = models.CharField(
        _("stakeholder type"),
        max_length=32,
        blank=True,
        choices=Organisation._meta.get_field("stakeholder_type").choices,
    )
    organisation_is_sme = models.BooleanField(_("SME"), null=True, blank=True)
    organisation_country = optional_fk(Region, _("country"), on_delete=models.PROTECT)
    organisation_region = optional_fk(Region, _("NUTS region"), on_delete=models.PROTECT)
    organisation_website = models.URLField(_("website"), blank=True)
    is_pact_member = models.BooleanField(_("already a Pact member"), null=True, blank=True)

    # (2) The contact person.
    contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    contact_role = models.CharField(_("role"), max_length=200, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    contact_phone = models.CharField(_("phone"), max_length=40, blank=True)

    # (3) The proposed partnership.
    partnership_name = models.CharField(_("working name"), max_length=255, blank=True)
    scope = models.CharField(
        _("geographic scope"), max_length=20, blank=True, choices=GeographicScope.choices
    )
    regions = models.ManyToManyField(Region, verbose_name=_("regions"), blank=True, related_name="+")
    ecosystems = models.ManyToManyField(
        Ecosystem, verbose_name=_("industrial ecosystems"), blank=True, related_name="expressions_of_interest"
    )
    challenge = models.TextField(_("skills challenge"), blank=True)
    objectives = models.TextField(_("objectives"), blank=True)
    potential_partners = models.TextField(_("potential partners"), blank=True)
    partner_types = models.JSONField(_("types of potential partners"), default=list, blank=True)
    support_stages = models.JSONField(_("support wanted in stages"), default=list, blank=True)
    support_wanted = models.TextField(_("support wanted"), blank=True)

    # (4) Consent.
    privacy_notice_version = models.CharField(_("privacy notice version"), max_length=20, blank=True)
    consent_at = models.DateTimeField(_("consent given"), null=True, blank=True)

    # Workflow.
    assigned_to = staff_fk(_("assigned to"), related_name="assigned_expressions_of_interest")
    partnership = optional_fk(Partnership, _("partnership"), related_name="expressions_of_interest")
    organisation = optional_fk(
        Organisation, _("registered organisation"), related_name="expressions_of_interest"
    )
    last_step = models.PositiveSmallIntegerField(_("last completed step"), default=0)
    resume_link_sent_to = models.EmailField(_("resume link sent to"), blank=True, editable=False)
    is_demo = models.BooleanField(_("demo data"), default=False)
    expires_at = models.DateTimeField(_("draft expires"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("closed"), null=True, blank=True)
    purged_at = models.DateTimeField(_("personal data purged"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-created_at"]
        verbose_name = _("expression of interest")
        verbose_name_plural = _("expressions of interest")
        constraints = [
            choice_check("status", EoiStatus.values, name="eoi_status_valid"),
            # A reference exactly when the application has been submitted.
            models.CheckConstraint(
                condition=Q(status=EoiStatus.DRAFT, reference__isnull=True)
                | Q(status=EoiStatus.WITHDRAWN)
                | (~Q(status__in=[EoiStatus.DRAFT, EoiStatus.WITHDRAWN]) & Q(reference__isnull=False)),
                name="eoi_reference_when_submitted",
            ),
            models.CheckConstraint(
                condition=Q(reference__isnull=True) | Q(consent_at__isnull=False),
                name="eoi_submitted_with_consent",
            ),
            implies(
                Q(status=EoiStatus.ACCEPTED),
                Q(partnership__isnull=False),
                name="eoi_accepted_has_partnership",
            ),
            models.CheckConstraint(
                condition=Q(scope="") | Q(scope__in=[s.value for s in RSP_SCOPES]),
                name="eoi_scope_is_regional",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "submitted_at"]),
            models.Index(fields=["contact_email"]),
        ]

    def __str__(self):
        return self.reference or _("Draft: %(name)s") % {
            "name": self.partnership_name or self.organisation_name or "…"
        }

    def get_absolute_url(self):
        return reverse("support_services:eoi_detail", kwargs={"token": self.token})

    is_open = choice_is("status", *OPEN_STATUSES)
    is_accepted = choice_is("status", EoiStatus.ACCEPTED)


class EoiEventKind(models.TextChoices):
    STATUS = "status", _("Status change")
    MESSAGE = "message", _("Message to the applicant")
    REPLY = "reply", _("Reply from the applicant")
    NOTE = "note", _("Internal note")
    ASSIGNMENT = "assignment", _("Assignment")


class EoiEvent(models.Model):
    """One entry of an application's timeline: who, when, from which status to which, and a note."""

    eoi = models.ForeignKey(
        ExpressionOfInterest,
        verbose_name=_("expression of interest"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EoiEventKind.choices)
    from_status = models.CharField(_("from"), max_length=24, choices=EoiStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=24, choices=EoiStatus.choices, blank=True)
    actor = user_fk(_("by"))
    by_applicant = models.BooleanField(_("by the applicant"), default=False)
    text = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["eoi", "created_at", "id"]
        verbose_name = _("EoI timeline entry")
        verbose_name_plural = _("EoI timeline entries")
        constraints = [
            choice_check("kind", EoiEventKind.values, name="eoievent_kind_valid"),
            implies(Q(kind=EoiEventKind.STATUS), ~Q(to_status=""), name="eoievent_status_has_target"),
        ]

    def __str__(self):
        return f"{self.eoi}: {self.get_kind_display()} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def visible_to_applicant(self):
        return self.kind != EoiEventKind.NOTE and self.kind != EoiEventKind.ASSIGNMENT

    is_status_change = choice_is("kind", EoiEventKind.STATUS)
    is_message = choice_is("kind", EoiEventKind.MESSAGE)
    is_reply = choice_is("kind", EoiEventKind.REPLY)


class EoiReferenceCounter(models.Model):
    """The last reference number handed out in a year; locked and bumped inside the submit transaction."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("EoI reference counter")
        verbose_name_plural = _("EoI reference counters")

    def __str__(self):
        return f"{self.year}: {self.last_number}"


# Fields each step of the applicant's form writes (regions and ecosystems are many-to-many, step 3).
STEP_FIELDS = {
    1: [
        "organisation_name",
        "organisation_type",
        "organisation_is_sme",
        "organisation_country",
        "organisation_region",
        "organisation_website",
        "is_pact_member",
    ],
    2: ["contact_name", "contact_role", "contact_email", "contact_phone"],
    3: [
        "partnership_name",
        "scope",
        "challenge",
        "objectives",
        "potential_partners",
        "partner_types",
        "support_stages",
        "support_wanted",
    ],
}
