"""Declarations of commitment: versioned per partnership, reviewed, signed, frozen as a stored signed PDF."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pact_portal.modelbits import (
    Positioned,
    TimeStamped,
    choice_check,
    choice_is,
    implies,
    optional_fk,
    user_fk,
)
from partnerships.models import Organisation, Partnership


class DeclarationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved, collecting signatures")
    SIGNED = "signed", _("Signed")
    SUPERSEDED = "superseded", _("Superseded")
    WITHDRAWN = "withdrawn", _("Withdrawn")


S = DeclarationStatus
# The transitions between these statuses are declared in commitments/workflows.py.
EDITABLE_STATUSES = {S.DRAFT, S.CHANGES_REQUESTED}
PUBLIC_STATUSES = {S.SIGNED, S.SUPERSEDED}

# The four principles of the Pact for Skills Charter (partnerships/data/pact/partnerships.json).
CHARTER_PRINCIPLES = [
    ("principle_lifelong_learning", _("Promote a culture of lifelong learning for all")),
    ("principle_partnerships", _("Build strong skills partnerships")),
    ("principle_anticipation", _("Monitor skills supply and demand and anticipate skills needs")),
    ("principle_equality", _("Work against discrimination and for gender equality and equal opportunities")),
]


def signed_pdf_path(declaration, filename):
    return f"declarations/{declaration.partnership.slug}/v{declaration.version}-{declaration.verification_code}.pdf"


class DeclarationQuerySet(models.QuerySet):
    def public(self):
        """Signed versions and the signed versions they replaced: the ones with a public page and PDF."""
        return self.filter(status__in=PUBLIC_STATUSES)

    def signed(self):
        """Signed versions in force (signing a newer version supersedes the older one)."""
        return self.filter(status=DeclarationStatus.SIGNED)


class Declaration(TimeStamped):
    partnership = models.ForeignKey(
        Partnership, verbose_name=_("partnership"), on_delete=models.PROTECT, related_name="declarations"
    )
    version = models.PositiveSmallIntegerField(_("version"), validators=[MinValueValidator(1)])
    status = models.CharField(
        _("status"), max_length=20, choices=DeclarationStatus.choices, default=DeclarationStatus.DRAFT
    )
    challenge = models.TextField(_("skills challenge"), blank=True)
    ambition = models.TextField(_("ambition"), blank=True)
    principle_lifelong_learning = models.BooleanField(CHARTER_PRINCIPLES[0][1], default=False)
    principle_partnerships = models.BooleanField(CHARTER_PRINCIPLES[1][1], default=False)
    principle_anticipation = models.BooleanField(CHARTER_PRINCIPLES[2][1], default=False)
    principle_equality = models.BooleanField(CHARTER_PRINCIPLES[3][1], default=False)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    # The content fingerprint fixed at approval: what every signatory signs.
    approved_fingerprint = models.CharField(_("approved content fingerprint"), max_length=64, blank=True)
    countersigned_by = user_fk(_("countersigned by"))
    verification_code = models.CharField(_("verification code"), max_length=14, blank=True)
    pdf = models.FileField(_("signed PDF"), upload_to=signed_pdf_path, blank=True)
    pdf_sha256 = models.CharField(_("SHA-256 of the signed PDF"), max_length=64, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    # The interface language the version was drafted in: its PDF's labels and its signatories' e-mails are
    # in it; the text itself stays as written.
    language = models.CharField(
        _("language of the labels"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_(
            "The language the version was drafted in: its PDF's headings and its signatories' e-mails."
        ),
    )

    objects = DeclarationQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "-version"]
        verbose_name = _("declaration of commitment")
        verbose_name_plural = _("declarations of commitment")
        constraints = [
            models.UniqueConstraint(fields=["partnership", "version"], name="declaration_unique_version"),
            choice_check("status", DeclarationStatus.values, name="declaration_status_valid"),
            models.UniqueConstraint(
                fields=["verification_code"],
                condition=~Q(verification_code=""),
                name="declaration_unique_verification_code",
            ),
            # A signed (or superseded) declaration always has its stored PDF and fingerprint.
            models.CheckConstraint(
                condition=~Q(status__in=PUBLIC_STATUSES)
                | (~Q(pdf="") & ~Q(pdf_sha256="") & ~Q(verification_code="")),
                name="declaration_signed_has_pdf",
            ),
        ]
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self):
        return _("%(partnership)s – declaration v%(version)s") % {
            "partnership": self.partnership.name,
            "version": self.version,
        }

    def get_absolute_url(self):
        return reverse(
            "commitments:declaration", kwargs={"slug": self.partnership.slug, "version": self.version}
        )

    def get_pdf_url(self):
        return reverse(
            "commitments:declaration_pdf", kwargs={"slug": self.partnership.slug, "version": self.version}
        )

    is_editable = choice_is("status", *EDITABLE_STATUSES)
    is_public = choice_is("status", *PUBLIC_STATUSES)
    is_approved = choice_is("status", S.APPROVED)
    is_signed = choice_is("status", S.SIGNED)
    is_superseded = choice_is("status", S.SUPERSEDED)

    @property
    def short_name(self):
        """The partnership's acronym (or name) and the version, as breadcrumbs and lists show it."""
        return f"{self.partnership.acronym or self.partnership.name} v{self.version}"

    def principles(self):
        return [(label, getattr(self, field)) for field, label in CHARTER_PRINCIPLES]


class Objective(Positioned):
    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="objectives")
    text = models.TextField(_("objective"))

    class Meta:
        ordering = ["declaration", "position", "id"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")

    def __str__(self):
        return self.text[:80]


class Action(Positioned):
    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="actions")
    what = models.TextField(_("action"))
    lead_organisation = optional_fk(Organisation, _("lead organisation"), on_delete=models.PROTECT)
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)

    class Meta:
        ordering = ["declaration", "position", "id"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            models.CheckConstraint(
                condition=Q(start__isnull=True) | Q(end__isnull=True) | Q(end__gte=F("start")),
                name="action_ends_after_start",
            )
        ]

    def __str__(self):
        return self.what[:80]


class KPI(Positioned):
    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="kpis")
    indicator = models.CharField(_("indicator"), max_length=255)
    unit = models.CharField(_("unit"), max_length=40)
    baseline = models.DecimalField(_("baseline"), max_digits=16, decimal_places=2, default=0)
    target = models.DecimalField(_("target"), max_digits=16, decimal_places=2)
    target_year = models.PositiveSmallIntegerField(
        _("target year"), validators=[MinValueValidator(2020), MaxValueValidator(2100)]
    )

    class Meta:
        ordering = ["declaration", "position", "id"]
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        constraints = [
            models.CheckConstraint(condition=Q(target__gte=0), name="kpi_target_not_negative"),
            models.CheckConstraint(condition=Q(baseline__gte=0), name="kpi_baseline_not_negative"),
            models.CheckConstraint(
                condition=Q(target_year__gte=2020, target_year__lte=2100), name="kpi_year_range"
            ),
        ]

    def __str__(self):
        return f"{self.indicator}: {self.target} {self.unit} ({self.target_year})"


class KPIProgress(models.Model):
    """A value reported for a KPI on a date: delivery against the pledge."""

    kpi = models.ForeignKey(KPI, verbose_name=_("KPI"), on_delete=models.CASCADE, related_name="progress")
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2)
    reported_on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    reported_by = user_fk()
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["kpi", "reported_on", "id"]
        verbose_name = _("KPI progress report")
        verbose_name_plural = _("KPI progress reports")
        constraints = [models.CheckConstraint(condition=Q(value__gte=0), name="kpiprogress_not_negative")]

    def __str__(self):
        return f"{self.kpi.indicator}: {self.value} ({self.reported_on})"


class Signatory(models.Model):
    """A required signature: one person's e-mail per member organisation, with a personal signing link."""

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="signatories")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    email = models.EmailField(_("e-mail"), blank=True)
    # Only a hash of the link's token is stored: a database leak does not leak working links.
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    link_fingerprint = models.CharField(_("fingerprint the link was issued for"), max_length=64, blank=True)
    link_sent_at = models.DateTimeField(_("link sent"), null=True, blank=True)
    link_expires_at = models.DateTimeField(_("link expires"), null=True, blank=True)
    link_used_at = models.DateTimeField(_("link used"), null=True, blank=True)

    class Meta:
        ordering = ["declaration", "organisation__name"]
        verbose_name = _("required signatory")
        verbose_name_plural = _("required signatories")
        constraints = [
            models.UniqueConstraint(
                fields=["declaration", "organisation"], name="signatory_one_per_organisation"
            )
        ]

    def __str__(self):
        return f"{self.organisation} ({self.email})"


class SignatureMethod(models.TextChoices):
    ONLINE = "online", _("Signed online")
    PAPER = "paper", _("Recorded by staff from a paper original")
    DEMO = "demo", _("Demo signature (invented)")


class Signature(models.Model):
    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="signatures")
    signatory = models.OneToOneField(
        Signatory, on_delete=models.PROTECT, null=True, blank=True, related_name="signature"
    )
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title or position"), max_length=200)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(_("signed"))
    fingerprint = models.CharField(_("content fingerprint signed"), max_length=64)
    method = models.CharField(_("how"), max_length=10, choices=SignatureMethod.choices)
    scan = models.FileField(_("scanned paper original"), upload_to="signature-scans/", blank=True)
    recorded_by = user_fk()

    class Meta:
        ordering = ["declaration", "signed_at", "id"]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        constraints = [
            choice_check("method", SignatureMethod.values, name="signature_method_valid"),
            implies(Q(method=SignatureMethod.PAPER), ~Q(scan=""), name="signature_paper_has_scan"),
        ]

    def __str__(self):
        return f"{self.name}, {self.organisation}"


class ReviewEvent(models.Model):
    """The audit trail of a declaration: who did what, when, with which comment."""

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="events")
    actor = user_fk(_("by"))
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    action = models.CharField(_("action"), max_length=40)
    from_status = models.CharField(_("from"), max_length=20, choices=DeclarationStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=DeclarationStatus.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    # Declared by the transition or the comment form: an internal entry is never shown to the coordinators.
    internal = models.BooleanField(_("internal (support services only)"), default=False)

    class Meta:
        ordering = ["declaration", "created_at", "id"]
        verbose_name = _("review event")
        verbose_name_plural = _("review events")

    def __str__(self):
        return f"{self.declaration}: {self.action} ({self.created_at:%Y-%m-%d %H:%M})"


class DeclarationToReview(Declaration):
    """The review queue in the support-services workspace (submitted declarations, oldest first)."""

    class Meta:
        proxy = True
        verbose_name = _("declaration to review")
        verbose_name_plural = _("review queue: declarations to review")


class DeclarationSubmission(models.Model):
    """What a declaration held each time it was submitted for review (the first time, and after each round of
    "changes requested"): the versions a reviewer compares."""

    declaration = models.ForeignKey(
        Declaration, verbose_name=_("declaration"), on_delete=models.CASCADE, related_name="submissions"
    )
    number = models.PositiveSmallIntegerField(_("submission"), validators=[MinValueValidator(1)])
    submitted_at = models.DateTimeField(_("submitted"))
    submitted_by = user_fk(_("by"))
    # services.content.declaration_content() as it was: the content signatories would have signed.
    content = models.JSONField(_("content"))

    class Meta:
        ordering = ["declaration", "number"]
        verbose_name = _("declaration submission")
        verbose_name_plural = _("declaration submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["declaration", "number"], name="declarationsubmission_unique_number"
            )
        ]

    def __str__(self):
        return f"{self.declaration} #{self.number}"
