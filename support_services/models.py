"""Expressions of Interest: an organisation's application to set up a Regional Skills Partnership.

The status follows DESIGN §3; the allowed transitions are data (``EOI_TRANSITIONS``) and every change
goes through one service in ``services.py``, which writes an ``EoiEvent`` (the audit timeline).
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerships.models import Ecosystem, GeographicScope, Organisation, Partnership, Region, Stage


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

# DESIGN §3: draft → submitted → under_assessment ⇄ information_requested → accepted | declined;
# withdrawn from any open state.
EOI_TRANSITIONS = {
    EoiStatus.DRAFT: {EoiStatus.SUBMITTED, EoiStatus.WITHDRAWN},
    EoiStatus.SUBMITTED: {EoiStatus.UNDER_ASSESSMENT, EoiStatus.WITHDRAWN},
    EoiStatus.UNDER_ASSESSMENT: {
        EoiStatus.INFORMATION_REQUESTED,
        EoiStatus.ACCEPTED,
        EoiStatus.DECLINED,
        EoiStatus.WITHDRAWN,
    },
    EoiStatus.INFORMATION_REQUESTED: {EoiStatus.UNDER_ASSESSMENT, EoiStatus.WITHDRAWN},
    EoiStatus.ACCEPTED: set(),
    EoiStatus.DECLINED: set(),
    EoiStatus.WITHDRAWN: set(),
}

RSP_SCOPES = [
    GeographicScope.SINGLE_REGION,
    GeographicScope.MACRO_REGION,
    GeographicScope.NETWORK_OF_REGIONS,
]
SUPPORT_STAGES = [Stage.DESIGN, Stage.SET_UP, Stage.DELIVERY]


class ExpressionOfInterest(models.Model):
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
    organisation_country = models.ForeignKey(
        Region, verbose_name=_("country"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation_region = models.ForeignKey(
        Region,
        verbose_name=_("NUTS region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
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
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_expressions_of_interest",
        limit_choices_to={"is_staff": True},
    )
    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expressions_of_interest",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("registered organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expressions_of_interest",
    )
    last_step = models.PositiveSmallIntegerField(_("last completed step"), default=0)
    resume_link_sent_to = models.EmailField(_("resume link sent to"), blank=True, editable=False)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    expires_at = models.DateTimeField(_("draft expires"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("closed"), null=True, blank=True)
    purged_at = models.DateTimeField(_("personal data purged"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-created_at"]
        verbose_name = _("expression of interest")
        verbose_name_plural = _("expressions of interest")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=EoiStatus.values), name="eoi_status_valid"),
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
            models.CheckConstraint(
                condition=~Q(status=EoiStatus.ACCEPTED) | Q(partnership__isnull=False),
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

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES


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
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    by_applicant = models.BooleanField(_("by the applicant"), default=False)
    text = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["eoi", "created_at", "id"]
        verbose_name = _("EoI timeline entry")
        verbose_name_plural = _("EoI timeline entries")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EoiEventKind.values), name="eoievent_kind_valid"),
            models.CheckConstraint(
                condition=~Q(kind=EoiEventKind.STATUS) | ~Q(to_status=""), name="eoievent_status_has_target"
            ),
        ]

    def __str__(self):
        return f"{self.eoi}: {self.get_kind_display()} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def visible_to_applicant(self):
        return self.kind != EoiEventKind.NOTE and self.kind != EoiEventKind.ASSIGNMENT


class EoiReferenceCounter(models.Model):
    """The last reference number handed out in a year; locked and bumped inside the submit transaction."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("EoI reference counter")
        verbose_name_plural = _("EoI reference counters")

    def __str__(self):
        return f"{self.year}: {self.last_number}"


# --- Lifecycle support: stage checklists, support log, staff assignment -----------------------------


class ChecklistItem(models.Model):
    """One support activity a partnership should have covered in a stage; data, edited by staff."""

    stage = models.CharField(_("stage"), max_length=10, choices=[(s.value, s.label) for s in SUPPORT_STAGES])
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Inactive items are kept for the record but no longer checked."),
    )

    class Meta:
        ordering = ["stage", "order", "id"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        constraints = [
            models.CheckConstraint(
                condition=Q(stage__in=[s.value for s in SUPPORT_STAGES]), name="checklistitem_stage_valid"
            ),
            models.UniqueConstraint(fields=["stage", "title"], name="checklistitem_unique_title_per_stage"),
        ]

    def __str__(self):
        return f"{Stage(self.stage).label}: {self.title}"


class ChecklistStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


# Statuses that close an item; an item without a status row is open.
CHECKLIST_CLOSED = (ChecklistStatus.DONE, ChecklistStatus.NOT_APPLICABLE)


class PartnershipChecklistItem(models.Model):
    """Where one partnership stands on one checklist item."""

    partnership = models.ForeignKey(
        Partnership, verbose_name=_("partnership"), on_delete=models.CASCADE, related_name="checklist"
    )
    item = models.ForeignKey(
        ChecklistItem, verbose_name=_("checklist item"), on_delete=models.PROTECT, related_name="statuses"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ChecklistStatus.choices, default=ChecklistStatus.OPEN
    )
    date = models.DateField(_("date"), null=True, blank=True)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["partnership", "item"]
        verbose_name = _("partnership checklist status")
        verbose_name_plural = _("partnership checklist statuses")
        constraints = [
            models.UniqueConstraint(fields=["partnership", "item"], name="partnershipchecklist_unique_pair"),
            models.CheckConstraint(
                condition=Q(status__in=ChecklistStatus.values), name="partnershipchecklist_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.partnership}: {self.item.title} ({self.get_status_display()})"

    def is_overdue(self, today=None):
        """Past its due date and neither done nor marked not applicable."""
        return (
            self.due_on is not None
            and self.status not in CHECKLIST_CLOSED
            and self.due_on < (today or timezone.localdate())
        )


class SupportActivityKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    WORKSHOP = "workshop", _("Workshop")
    GUIDANCE = "guidance", _("Guidance")
    FUNDING_ADVICE = "funding_advice", _("Funding advice")
    MATCHMAKING = "matchmaking", _("Matchmaking")
    VISIBILITY = "visibility", _("Visibility action")


class SupportActivity(models.Model):
    """What the support services did for a partnership. Never shown to the public; the partnership's
    coordinators see the summary, and nobody but staff sees the internal notes."""

    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership"),
        on_delete=models.CASCADE,
        related_name="support_activities",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=SupportActivityKind.choices)
    date = models.DateField(_("date"))
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_activities",
        limit_choices_to={"is_staff": True},
    )
    participants = models.TextField(_("participants"), blank=True)
    summary = models.TextField(
        _("summary for the coordinators"),
        blank=True,
        help_text=_("Shown to the partnership's coordinators in their area; never public."),
    )
    internal_notes = models.TextField(
        _("internal notes"),
        blank=True,
        help_text=_("For the support services only: never shown to coordinators or the public."),
    )
    follow_up_on = models.DateField(_("follow-up date"), null=True, blank=True)
    follow_up_done = models.BooleanField(_("follow-up done"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("support activity")
        verbose_name_plural = _("support activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SupportActivityKind.values), name="supportactivity_kind_valid"
            ),
            models.CheckConstraint(condition=Q(stage__in=Stage.values), name="supportactivity_stage_valid"),
        ]
        indexes = [
            models.Index(
                fields=["follow_up_on"], condition=Q(follow_up_done=False), name="supportactivity_follow_up"
            )
        ]

    def __str__(self):
        return f"{self.partnership}: {self.get_kind_display()} ({self.date})"


class StaffAssignment(models.Model):
    """A support-services staff member who accompanies a partnership."""

    partnership = models.ForeignKey(
        Partnership, verbose_name=_("partnership"), on_delete=models.CASCADE, related_name="staff_assignments"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="partnership_assignments",
        limit_choices_to={"is_staff": True},
    )
    is_lead = models.BooleanField(_("lead contact"), default=False)
    assigned_on = models.DateField(_("assigned on"), auto_now_add=True)

    class Meta:
        ordering = ["partnership", "-is_lead", "staff"]
        verbose_name = _("staff assignment")
        verbose_name_plural = _("staff assignments")
        constraints = [
            models.UniqueConstraint(fields=["partnership", "staff"], name="staffassignment_unique_pair")
        ]

    def __str__(self):
        return f"{self.staff} → {self.partnership}"


class SupportTopic(models.TextChoices):
    DESIGN_GUIDANCE = "design_guidance", _("Design guidance")
    GOVERNANCE = "governance", _("Set-up and governance")
    FUNDING = "funding", _("Funding advice")
    MATCHMAKING = "matchmaking", _("Matchmaking and new members")
    VISIBILITY = "visibility", _("Visibility")
    MONITORING = "monitoring", _("KPIs and monitoring")
    OTHER = "other", _("Other")


class SupportRequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


# Staff may answer again (a correction, a second answer) until the request is closed.
SUPPORT_REQUEST_TRANSITIONS = {
    SupportRequestStatus.OPEN: {SupportRequestStatus.ANSWERED, SupportRequestStatus.CLOSED},
    SupportRequestStatus.ANSWERED: {SupportRequestStatus.ANSWERED, SupportRequestStatus.CLOSED},
    SupportRequestStatus.CLOSED: set(),
}


class SupportRequest(models.Model):
    """A coordinator's request for help from the support services, answered in the admin."""

    partnership = models.ForeignKey(
        Partnership, verbose_name=_("partnership"), on_delete=models.CASCADE, related_name="support_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="support_requests",
    )
    language = models.CharField(_("language"), max_length=10, default="en")
    topic = models.CharField(_("topic"), max_length=20, choices=SupportTopic.choices)
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    message = models.TextField(_("message"))
    status = models.CharField(
        _("status"), max_length=10, choices=SupportRequestStatus.choices, default=SupportRequestStatus.OPEN
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_support_requests",
        limit_choices_to={"is_staff": True},
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    activity = models.ForeignKey(
        SupportActivity,
        verbose_name=_("logged as support activity"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_requests",
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True, db_index=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("support request")
        verbose_name_plural = _("support requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=SupportRequestStatus.values), name="supportrequest_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(topic__in=SupportTopic.values), name="supportrequest_topic_valid"
            ),
            models.CheckConstraint(condition=Q(stage__in=Stage.values), name="supportrequest_stage_valid"),
            models.CheckConstraint(
                condition=~Q(status=SupportRequestStatus.ANSWERED) | ~Q(answer=""),
                name="supportrequest_answered_has_answer",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return _("%(partnership)s: %(topic)s (%(date)s)") % {
            "partnership": self.partnership,
            "topic": self.get_topic_display(),
            "date": f"{self.created_at:%Y-%m-%d}" if self.created_at else "…",
        }


class PartnershipSupport(Partnership):
    """A partnership as the support services see it: checklist, stage moves, log, assigned staff."""

    class Meta:
        proxy = True
        verbose_name = _("partnership support record")
        verbose_name_plural = _("partnership support records")


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
