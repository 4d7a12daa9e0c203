"""Expressions of Interest: an organisation's application to set up a Regional Skills Partnership.

The status follows DESIGN §3; the allowed transitions are data (``EOI_TRANSITIONS``) and every change
goes through one service in ``services.py``, which writes an ``EoiEvent`` (the audit timeline).
"""

import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
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


# --- Knowledge for partnerships: resources -------------------------------------------------------------


class ResourceKind(models.TextChoices):
    HANDBOOK = "handbook", _("Handbook")
    TEMPLATE = "template", _("Template")
    KPI_EXAMPLE = "kpi_example", _("KPI example")
    MONITORING_FRAMEWORK = "monitoring_framework", _("Monitoring framework")
    GOOD_PRACTICE = "good_practice", _("Good practice")
    TRAINING_MATERIAL = "training_material", _("Training material")
    FUNDING_OPPORTUNITY = "funding_opportunity", _("Funding opportunity")


class FundingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


# The 24 official languages of the EU, in which a resource's versions may be published.
RESOURCE_LANGUAGES = [
    ("bg", _("Bulgarian")),
    ("cs", _("Czech")),
    ("da", _("Danish")),
    ("de", _("German")),
    ("el", _("Greek")),
    ("en", _("English")),
    ("es", _("Spanish")),
    ("et", _("Estonian")),
    ("fi", _("Finnish")),
    ("fr", _("French")),
    ("ga", _("Irish")),
    ("hr", _("Croatian")),
    ("hu", _("Hungarian")),
    ("it", _("Italian")),
    ("lt", _("Lithuanian")),
    ("lv", _("Latvian")),
    ("mt", _("Maltese")),
    ("nl", _("Dutch")),
    ("pl", _("Polish")),
    ("pt", _("Portuguese")),
    ("ro", _("Romanian")),
    ("sk", _("Slovak")),
    ("sl", _("Slovenian")),
    ("sv", _("Swedish")),
]
RESOURCE_LANGUAGE_CODES = [code for code, _label in RESOURCE_LANGUAGES]


class Resource(models.Model):
    """A piece of knowledge for partnerships; its language versions each carry a file or a link."""

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("summary"), blank=True)
    kind = models.CharField(_("kind"), max_length=24, choices=ResourceKind.choices)
    ecosystems = models.ManyToManyField(
        Ecosystem,
        verbose_name=_("industrial ecosystems"),
        related_name="resources",
        blank=True,
        help_text=_("Leave empty when the resource serves every ecosystem."),
    )
    deadline = models.DateField(
        _("deadline"),
        null=True,
        blank=True,
        help_text=_("Funding opportunities only: the last day to apply."),
    )
    is_published = models.BooleanField(_("published"), default=False)
    is_demo = models.BooleanField(
        _("demo data"), default=False, help_text=_("Invented for the demonstration registry.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ResourceKind.values), name="resource_kind_valid"),
            models.CheckConstraint(
                condition=Q(kind=ResourceKind.FUNDING_OPPORTUNITY, deadline__isnull=False)
                | (~Q(kind=ResourceKind.FUNDING_OPPORTUNITY) & Q(deadline__isnull=True)),
                name="resource_deadline_only_for_funding",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="resource_title_not_empty"),
        ]
        indexes = [models.Index(fields=["is_published", "kind"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("support_services:resource_detail", kwargs={"slug": self.slug})

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.slug == "kpis":
            raise ValidationError(
                {"slug": _("“kpis” is the address of the KPI repository; choose another slug.")}
            )
        if self.kind == ResourceKind.FUNDING_OPPORTUNITY and self.deadline is None:
            raise ValidationError({"deadline": _("A funding opportunity needs its deadline.")})
        if self.kind != ResourceKind.FUNDING_OPPORTUNITY and self.deadline is not None:
            raise ValidationError({"deadline": _("Only a funding opportunity has a deadline.")})

    @property
    def stages_in_order(self):
        """Its stage links in lifecycle order (design, set-up, delivery), from the prefetched rows."""
        order = [s.value for s in SUPPORT_STAGES]
        return sorted(self.stage_links.all(), key=lambda link: order.index(link.stage))

    @property
    def is_funding(self):
        return self.kind == ResourceKind.FUNDING_OPPORTUNITY

    @property
    def funding_status(self):
        """Open until the end of the deadline day (portal time zone), closed after; None for other kinds."""
        from django.utils import timezone

        if self.deadline is None:
            return None
        return FundingStatus.OPEN if self.deadline >= timezone.localdate() else FundingStatus.CLOSED


class ResourceStage(models.Model):
    """A lifecycle stage a resource is meant for (design, set-up, delivery)."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="stage_links")
    stage = models.CharField(_("stage"), max_length=10, choices=[(s.value, s.label) for s in SUPPORT_STAGES])

    class Meta:
        ordering = ["resource", "stage"]
        verbose_name = _("resource stage")
        verbose_name_plural = _("resource stages")
        constraints = [
            models.UniqueConstraint(fields=["resource", "stage"], name="resourcestage_unique"),
            models.CheckConstraint(
                condition=Q(stage__in=[s.value for s in SUPPORT_STAGES]), name="resourcestage_stage_valid"
            ),
        ]

    def __str__(self):
        return f"{self.resource}: {Stage(self.stage).label}"


def resource_file_path(version, filename):
    # The name is ours (slug, language, the extension of the type found in the content), never the uploader's.
    from .resources import extension_for_content_type

    extension = extension_for_content_type(version.content_type)
    return f"resources/{version.resource.slug}-{version.language}{extension}"


class ResourceVersion(models.Model):
    """One language version of a resource: an uploaded file (checked by content) or an external link."""

    resource = models.ForeignKey(
        Resource, verbose_name=_("resource"), on_delete=models.CASCADE, related_name="versions"
    )
    language = models.CharField(_("language"), max_length=2, choices=RESOURCE_LANGUAGES)
    title = models.CharField(
        _("title in this language"), max_length=255, blank=True, help_text=_("Empty: the resource's title.")
    )
    file = models.FileField(_("file"), upload_to=resource_file_path, blank=True, max_length=255)
    content_type = models.CharField(_("content type"), max_length=100, blank=True, editable=False)
    file_size = models.PositiveBigIntegerField(_("file size"), null=True, blank=True, editable=False)
    external_url = models.URLField(_("external link"), blank=True, max_length=500)

    class Meta:
        ordering = ["resource", "language"]
        verbose_name = _("language version")
        verbose_name_plural = _("language versions")
        constraints = [
            models.UniqueConstraint(fields=["resource", "language"], name="resourceversion_one_per_language"),
            models.CheckConstraint(
                condition=Q(language__in=RESOURCE_LANGUAGE_CODES), name="resourceversion_language_valid"
            ),
            # Exactly one of an uploaded file or an external link.
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(external_url="")) | (~Q(file="") & Q(external_url="")),
                name="resourceversion_file_or_link",
            ),
        ]

    def __str__(self):
        return f"{self.resource} ({self.language})"

    @property
    def display_title(self):
        return self.title or self.resource.title

    @property
    def file_label(self):
        from .resources import label_for_content_type

        return label_for_content_type(self.content_type)

    def get_download_url(self):
        return reverse(
            "support_services:resource_download",
            kwargs={"slug": self.resource.slug, "language": self.language},
        )


# --- Events: Peer Learning Activities, webinars, working-group meetings ----------------------------


class EventKind(models.TextChoices):
    PEER_LEARNING = "peer_learning", _("Peer Learning Activity")
    WEBINAR = "webinar", _("Webinar")
    WORKING_GROUP = "working_group", _("Working-group meeting")
    CONFERENCE = "conference", _("Conference")
    OTHER = "other", _("Other event")


class EventAttendance(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("In person and online")
    NOT_STATED = "not_stated", _("Not stated")


class Event(models.Model):
    """A public event of the Pact's support services; times are stored in UTC and shown in Brussels time."""

    uid = models.UUIDField(_("calendar identifier"), default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=255)
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    all_day = models.BooleanField(
        _("whole day"),
        default=False,
        help_text=_("Only the dates are known or relevant: the times are not shown."),
    )
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=EventAttendance.choices, default=EventAttendance.IN_PERSON
    )
    location = models.CharField(_("place"), max_length=255, blank=True)
    online_url = models.URLField(_("link to join online"), blank=True)
    theme = models.CharField(_("theme"), max_length=120, blank=True)
    ecosystems = models.ManyToManyField(
        Ecosystem, verbose_name=_("industrial ecosystems"), blank=True, related_name="events"
    )
    partnerships = models.ManyToManyField(
        Partnership, verbose_name=_("partnerships involved"), blank=True, related_name="events"
    )
    description = models.TextField(_("description"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="event_kind_valid"),
            models.CheckConstraint(
                condition=Q(attendance__in=EventAttendance.values), name="event_attendance_valid"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="event_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["ends_at", "starts_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:detail", kwargs={"slug": self.slug})

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = _("An event cannot end before it starts.")
        if self.attendance in (EventAttendance.ONLINE, EventAttendance.HYBRID) and not self.online_url:
            errors["online_url"] = _("Give the link to join an online event.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_online(self):
        return self.attendance in (EventAttendance.ONLINE, EventAttendance.HYBRID)

    @property
    def is_in_person(self):
        return self.attendance in (EventAttendance.IN_PERSON, EventAttendance.HYBRID)


MATERIAL_MAX_BYTES = 10 * 1024 * 1024


def validate_material_file(upload):
    """A PDF, PowerPoint or Word file, at most 10 MB: its type is read from its content (the resource
    library's check, which looks inside Office containers), and its name and declared type must agree."""
    from .resources import DOCX, PDF, PPTX, detect_type

    if upload.size > MATERIAL_MAX_BYTES:
        raise ValidationError(_("The file is larger than 10 MB."))
    upload.seek(0)
    file_type = detect_type(upload.read())
    upload.seek(0)
    declared = getattr(upload, "content_type", None)
    if (
        file_type not in (PDF, PPTX, DOCX)
        or not upload.name.lower().endswith(file_type.extension)
        or declared not in (None, file_type.content_type)
    ):
        raise ValidationError(_("Upload a PDF, PowerPoint (.pptx) or Word (.docx) file."))


class EventMaterial(models.Model):
    """Slides, minutes or a recording of an event: a link, an uploaded file, or both."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="materials"
    )
    title = models.CharField(_("title"), max_length=255)
    url = models.URLField(_("link"), blank=True)
    file = models.FileField(
        _("file"), upload_to="events/materials/%Y/", blank=True, validators=[validate_material_file]
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["event", "order", "id"]
        verbose_name = _("event material")
        verbose_name_plural = _("event materials")
        constraints = [
            models.CheckConstraint(condition=~Q(url="") | ~Q(file=""), name="eventmaterial_link_or_file")
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if not self.url and not self.file:
            raise ValidationError(_("Give a link or upload a file."))

    @property
    def href(self):
        if self.file:
            return reverse("events:material", kwargs={"slug": self.event.slug, "pk": self.pk})
        return self.url

    @property
    def content_type(self):
        """The type the upload was checked against (its content agreed with its extension)."""
        from .resources import ACCEPTED

        name = self.file.name.lower()
        return next(
            (t.content_type for t in ACCEPTED if name.endswith(t.extension)), "application/octet-stream"
        )


# --- Newsletter: double opt-in subscriptions ------------------------------------------------------------


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
            models.CheckConstraint(
                condition=Q(status__in=SubscriptionStatus.values), name="newsletter_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=SubscriptionStatus.CONFIRMED) | Q(confirmed_at__isnull=False),
                name="newsletter_confirmed_with_consent",
            ),
        ]

    def __str__(self):
        return self.email

    def get_unsubscribe_url(self):
        return reverse("newsletter:unsubscribe", kwargs={"token": self.token})
