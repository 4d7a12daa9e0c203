"""Partnerships, their lifecycle stage history and the commitments and targets they pledged in public.

Hard invariants live in the database as constraints; rules that span rows live in ``clean()`` and
are enforced by the services in ``services.py``, which are the only writers.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pact_portal.modelbits import Positioned, TimeStamped, choice_check, optional_fk, user_fk

from .reference import Ecosystem, Region


class PartnershipKind(models.TextChoices):
    RSP = "rsp", _("Regional Skills Partnership")
    LSP = "lsp", _("Large-Scale Skills Partnership")


class GeographicScope(models.TextChoices):
    SINGLE_REGION = "single_region", _("Single region")
    MACRO_REGION = "macro_region", _("Macro-region")
    NETWORK_OF_REGIONS = "network_of_regions", _("Network of regions")
    EU_WIDE = "eu_wide", _("EU-wide")


class Stage(models.TextChoices):
    DESIGN = "design", _("Design")
    SET_UP = "set_up", _("Set-up")
    DELIVERY = "delivery", _("Delivery")
    CLOSED = "closed", _("Closed")


# Forward moves are free; any other move is a step back and needs a reason (DESIGN §3).
STAGE_ORDER = [Stage.DESIGN, Stage.SET_UP, Stage.DELIVERY, Stage.CLOSED]


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


def date_display(value, precision):
    """A date at the precision it is known (a day, a month or a year), in the interface language's style."""
    from django.utils.formats import date_format

    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.MONTH:
        return date_format(value, "YEAR_MONTH_FORMAT")
    return date_format(value, "DATE_FORMAT")


def date_iso(value, precision):
    """The machine-readable form of a date known to a day, a month or a year (HTML's <time datetime>)."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def published_q(via=""):
    """The publication rule as a ``Q``, seen from ``via`` (a lookup path to a partnership, or none):
    ``published_q("partnership")`` is ``Q(partnership__is_published=True)``."""
    return Q(**{f"{via}__is_published" if via else "is_published": True})


class PartnershipQuerySet(models.QuerySet):
    def published(self):
        """The partnerships the public pages show."""
        return self.filter(published_q())


# The official languages of the EU (the portal speaks them all), by code.
TEXT_LANGUAGES = sorted(settings.LANGUAGES)


class Partnership(TimeStamped):
    kind = models.CharField(_("kind"), max_length=3, choices=PartnershipKind.choices)
    scope = models.CharField(_("geographic scope"), max_length=20, choices=GeographicScope.choices)
    name = models.CharField(_("name"), max_length=255)
    acronym = models.CharField(_("acronym"), max_length=60, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    challenge = models.TextField(_("skills challenge"), blank=True)
    ambition = models.TextField(_("ambition"), blank=True)
    # The texts stay in the language they were written in; pages in another language mark them with it.
    text_language = models.CharField(
        _("language of the texts"),
        max_length=2,
        choices=TEXT_LANGUAGES,
        default="en",
        help_text=_("The language the summary, challenge, ambition, commitments and targets are written in."),
    )
    ecosystems = models.ManyToManyField(
        Ecosystem, verbose_name=_("industrial ecosystems"), related_name="partnerships", blank=True
    )
    regions = models.ManyToManyField(
        Region, verbose_name=_("regions"), related_name="partnerships", blank=True
    )
    regions_confirmed = models.BooleanField(
        _("regions confirmed"),
        default=True,
        help_text=_("Unticked when the list of regions comes from a single weak source."),
    )
    stage = models.CharField(_("lifecycle stage"), max_length=10, choices=Stage.choices, default=Stage.DESIGN)
    launch_date = models.DateField(_("launch date"), null=True, blank=True)
    launch_date_precision = models.CharField(
        _("launch date precision"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    # Where each public fact comes from (a page anyone can open), and whether that source states it fully.
    challenge_source = models.URLField(_("source of the challenge"), max_length=500, blank=True)
    challenge_confirmed = models.BooleanField(_("challenge confirmed"), default=True)
    ambition_source = models.URLField(_("source of the ambition"), max_length=500, blank=True)
    ambition_confirmed = models.BooleanField(_("ambition confirmed"), default=True)
    launch_date_source = models.URLField(_("source of the launch date"), max_length=500, blank=True)
    launch_date_confirmed = models.BooleanField(_("launch date confirmed"), default=True)
    parent = optional_fk(
        "self",
        _("umbrella Large-Scale Partnership"),
        related_name="regional_partnerships",
        limit_choices_to={"kind": PartnershipKind.LSP},
    )
    website = models.URLField(_("website"), blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    note = models.TextField(
        _("note"), blank=True, help_text=_("Public remarks on the record, such as facts not yet confirmed.")
    )
    is_published = models.BooleanField(_("published"), default=False)
    # PostgreSQL only (GIN-indexed there); written by partnerships.search.search_index_refresh.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [
            choice_check("kind", PartnershipKind.values, name="partnership_kind_valid"),
            choice_check("stage", Stage.values, name="partnership_stage_valid"),
            # LSPs are organised by ecosystem across the EU; RSPs have a regional scope.
            models.CheckConstraint(
                condition=(
                    Q(kind=PartnershipKind.LSP, scope=GeographicScope.EU_WIDE)
                    | Q(
                        kind=PartnershipKind.RSP,
                        scope__in=[
                            GeographicScope.SINGLE_REGION,
                            GeographicScope.MACRO_REGION,
                            GeographicScope.NETWORK_OF_REGIONS,
                        ],
                    )
                ),
                name="partnership_scope_fits_kind",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | Q(kind=PartnershipKind.RSP),
                name="partnership_only_rsp_has_umbrella",
            ),
            choice_check(
                "launch_date_precision", DatePrecision.values, name="partnership_launch_precision_valid"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="partnership_name_not_empty"),
        ]
        indexes = [
            models.Index(fields=["is_published", "kind", "stage"]),
            models.Index(fields=["-launch_date"]),
            # The list's default order: lets a page of 20 be read without sorting the whole registry.
            models.Index(fields=["name", "id"], name="partnership_name_id"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("partnerships:detail", kwargs={"slug": self.slug})

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.parent_id is not None:
            if self.kind != PartnershipKind.RSP:
                raise ValidationError(
                    {"parent": _("Only a Regional Skills Partnership sits under an umbrella.")}
                )
            if self.parent.kind != PartnershipKind.LSP:
                raise ValidationError({"parent": _("The umbrella must be a Large-Scale Skills Partnership.")})
        if self.kind == PartnershipKind.LSP and self.scope != GeographicScope.EU_WIDE:
            raise ValidationError({"scope": _("A Large-Scale Skills Partnership is EU-wide.")})
        if self.kind == PartnershipKind.RSP and self.scope == GeographicScope.EU_WIDE:
            raise ValidationError({"scope": _("A Regional Skills Partnership needs a regional scope.")})

    @property
    def last_updated_display(self):
        """The day of the last update, or, when that day is a published fact's (the launch or a stage change
        known to the month or year only), that fact's date at the precision it is known."""
        from django.utils import timezone

        updated = timezone.localdate(self.updated_at)
        known = [(self.launch_date, self.launch_date_precision)] + [
            (change.changed_on, change.changed_on_precision) for change in self.stage_changes.all()
        ]
        precisions = {precision for day, precision in known if day == updated}
        for precision in (DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR):
            if precision in precisions:
                return date_display(updated, precision)
        return date_display(updated, DatePrecision.DAY)

    @property
    def launch_date_iso(self):
        return date_iso(self.launch_date, self.launch_date_precision)

    @property
    def launch_date_display(self):
        """The launch date at the precision it is known (a month, a year, or a day)."""
        return date_display(self.launch_date, self.launch_date_precision)


def partnership_fk(*, related_name):
    """The partnership a record is part of; the record goes with it."""
    return models.ForeignKey(
        Partnership, verbose_name=_("partnership"), on_delete=models.CASCADE, related_name=related_name
    )


class StageChange(models.Model):
    """One entry of a partnership's lifecycle history: dated, attributed, never edited."""

    partnership = partnership_fk(related_name="stage_changes")
    from_stage = models.CharField(_("from stage"), max_length=10, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to stage"), max_length=10, choices=Stage.choices)
    # Unknown for history taken from publications that give no date: the page then shows none.
    changed_on = models.DateField(_("date"), null=True, blank=True)
    changed_on_precision = models.CharField(
        _("date precision"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    is_confirmed = models.BooleanField(_("confirmed"), default=True)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    changed_by = user_fk(_("changed by"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        # The order the changes happened in, which is the order they were recorded (dates may be unknown).
        ordering = ["partnership", "recorded_at", "id"]
        get_latest_by = "recorded_at"
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        constraints = [
            choice_check("to_stage", Stage.values, name="stagechange_to_valid"),
            models.CheckConstraint(
                condition=Q(from_stage="") | Q(from_stage__in=Stage.values), name="stagechange_from_valid"
            ),
            models.CheckConstraint(condition=~Q(from_stage=F("to_stage")), name="stagechange_is_a_change"),
        ]

    def __str__(self):
        return f"{self.partnership}: {self.from_stage or '—'} → {self.to_stage} ({self.changed_on or '?'})"

    @property
    def changed_on_display(self):
        """The date at the precision it is known; empty when it is not known."""
        return date_display(self.changed_on, self.changed_on_precision)

    @property
    def changed_on_iso(self):
        return date_iso(self.changed_on, self.changed_on_precision)

    @property
    def is_step_back(self):
        return bool(self.from_stage) and STAGE_ORDER.index(self.to_stage) < STAGE_ORDER.index(self.from_stage)


class PledgedCommitment(Positioned):
    """A commitment a partnership announced in public. The declarations of commitment take these over."""

    partnership = partnership_fk(related_name="pledged_commitments")
    text = models.TextField(_("commitment"))
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    is_confirmed = models.BooleanField(_("confirmed"), default=True)

    class Meta:
        ordering = ["partnership", "position", "id"]
        verbose_name = _("pledged commitment")
        verbose_name_plural = _("pledged commitments")

    def __str__(self):
        return self.text[:80]


class PledgedTarget(Positioned):
    """A KPI target a partnership announced (indicator, unit, target value, target year)."""

    partnership = partnership_fk(related_name="pledged_targets")
    indicator = models.CharField(_("indicator"), max_length=255)
    unit = models.CharField(_("unit"), max_length=40)
    target = models.DecimalField(_("target"), max_digits=16, decimal_places=2)
    # Not every announced target names a year.
    target_year = models.PositiveSmallIntegerField(
        _("target year"), null=True, blank=True, validators=[MinValueValidator(2020), MaxValueValidator(2100)]
    )
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    is_confirmed = models.BooleanField(_("confirmed"), default=True)

    class Meta:
        ordering = ["partnership", "position", "id"]
        verbose_name = _("pledged target")
        verbose_name_plural = _("pledged targets")
        constraints = [
            models.CheckConstraint(condition=Q(target__gte=0), name="pledgedtarget_target_not_negative"),
            models.CheckConstraint(
                condition=Q(target_year__isnull=True) | Q(target_year__gte=2020, target_year__lte=2100),
                name="pledgedtarget_year_range_or_unknown",
            ),
        ]
        indexes = [models.Index(fields=["unit"])]

    def __str__(self):
        return f"{self.indicator}: {self.target} {self.unit} by {self.target_year or '?'}"


class PublishedLead(models.Model):
    """A leading organisation as the public sources name it, with its role there and the source.

    The registry's own memberships (``Membership.is_lead``) need a stakeholder type and a country; the
    sources often give neither, so what they say is kept as they say it."""

    partnership = models.ForeignKey(
        Partnership, verbose_name=_("partnership"), on_delete=models.CASCADE, related_name="published_leads"
    )
    name = models.CharField(_("name"), max_length=255)
    role = models.CharField(_("role"), max_length=255, blank=True)
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    is_confirmed = models.BooleanField(_("confirmed"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["partnership", "position", "id"]
        verbose_name = _("published leading organisation")
        verbose_name_plural = _("published leading organisations")

    def __str__(self):
        return self.name
