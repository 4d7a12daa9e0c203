"""The registry: ecosystems, NUTS regions, organisations, partnerships, memberships and stage history.

Hard invariants live in the database as constraints; rules that span rows live in ``clean()`` and
are enforced by the services in ``services.py``, which are the only writers.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length, Substr
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# The 27 Member States, by NUTS country code (Greece is EL in NUTS).
EU_MEMBER_STATES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "EL",
        "ES",
        "FI",
        "FR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    ]
)


class Ecosystem(models.Model):
    """One of the 14 EU industrial ecosystems, or cross-sectoral."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("industrial ecosystem")
        verbose_name_plural = _("industrial ecosystems")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("partnerships:ecosystem", kwargs={"slug": self.slug})


class Region(models.Model):
    """A NUTS 2024 region. The code is the key; its prefix is the parent's code (ITC4 → ITC → IT)."""

    code = models.CharField(_("NUTS code"), max_length=5, primary_key=True)
    name = models.CharField(_("name"), max_length=200)
    level = models.PositiveSmallIntegerField(
        _("NUTS level"), validators=[MinValueValidator(0), MaxValueValidator(3)]
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        indexes = [models.Index(fields=["level", "code"])]
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=0, level__lte=3), name="region_level_0_to_3"),
            # A level-n code has n + 2 characters.
            models.CheckConstraint(
                condition=Q(level=Length("code") - 2), name="region_code_length_matches_level"
            ),
            # Countries have no parent; every other region's parent is its code minus the last character.
            models.CheckConstraint(
                condition=(
                    Q(level=0, parent__isnull=True)
                    | Q(level__gt=0, parent_id=Substr("code", 1, Length("code") - 1))
                ),
                name="region_parent_is_code_prefix",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def get_absolute_url(self):
        return reverse("partnerships:region", kwargs={"code": self.code})

    @property
    def country_code(self):
        return self.code[:2]

    @property
    def is_eu(self):
        return self.country_code in EU_MEMBER_STATES


class RegionBoundary(models.Model):
    """A region's boundary as GeoJSON geometry in EPSG:3035 metres, kept apart so lists never load it."""

    region = models.OneToOneField(Region, on_delete=models.CASCADE, primary_key=True, related_name="boundary")
    geometry = models.JSONField(_("geometry"))

    class Meta:
        verbose_name = _("region boundary")
        verbose_name_plural = _("region boundaries")

    def __str__(self):
        return str(self.region_id)


class StakeholderType(models.TextChoices):
    NATIONAL_AUTHORITY = "national_authority", _("National public authority")
    REGIONAL_AUTHORITY = "regional_authority", _("Regional public authority")
    LOCAL_AUTHORITY = "local_authority", _("Local public authority")
    COMPANY = "company", _("Company")
    BUSINESS_ASSOCIATION = "business_association", _("Business association or cluster")
    CHAMBER = "chamber_of_commerce", _("Chamber of commerce")
    EMPLOYERS_ORGANISATION = "employers_organisation", _("Social partner: employers' organisation")
    TRADE_UNION = "trade_union", _("Social partner: trade union")
    VET_PROVIDER = "vet_provider", _("Education and training provider: VET")
    HIGHER_EDUCATION = "higher_education", _("Education and training provider: higher education")
    RESEARCH = "research_organisation", _("Research organisation")
    EMPLOYMENT_SERVICE = "employment_service", _("Employment service")
    NGO = "ngo", _("NGO or civil society")
    OTHER = "other", _("Other")

    @classmethod
    def public_authorities(cls):
        return [cls.NATIONAL_AUTHORITY, cls.REGIONAL_AUTHORITY, cls.LOCAL_AUTHORITY]


class Organisation(models.Model):
    """One record per real-world organisation, shared by all the partnerships it belongs to."""

    name = models.CharField(_("name"), max_length=255)
    normalised_name = models.CharField(
        _("normalised name"),
        max_length=255,
        editable=False,
        help_text=_("Lower case, without accents, punctuation or repeated spaces; used to find duplicates."),
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    stakeholder_type = models.CharField(_("stakeholder type"), max_length=32, choices=StakeholderType.choices)
    is_sme = models.BooleanField(
        _("SME"),
        null=True,
        blank=True,
        help_text=_("For companies only: a small or medium-sized enterprise (fewer than 250 staff)."),
    )
    country = models.ForeignKey(
        Region,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": 0},
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
    )
    website = models.URLField(_("website"), blank=True)
    pact_member_since = models.DateField(_("Pact member since"), null=True, blank=True)
    is_demo = models.BooleanField(
        _("demo data"), default=False, help_text=_("Invented for the demonstration registry.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["normalised_name", "country"], name="organisation_unique_name_per_country"
            ),
            models.CheckConstraint(
                condition=Q(stakeholder_type="company") | Q(is_sme__isnull=True),
                name="organisation_sme_flag_only_for_companies",
            ),
            models.CheckConstraint(
                condition=~Q(stakeholder_type="company") | Q(is_sme__isnull=False),
                name="organisation_company_states_sme",
            ),
            models.CheckConstraint(
                condition=Q(region__isnull=True) | Q(country_id=Substr("region_id", 1, 2)),
                name="organisation_region_in_country",
            ),
            models.CheckConstraint(condition=~Q(normalised_name=""), name="organisation_name_not_empty"),
            models.CheckConstraint(
                condition=Q(stakeholder_type__in=StakeholderType.values),
                name="organisation_stakeholder_type_valid",
            ),
        ]
        indexes = [models.Index(fields=["stakeholder_type", "country"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("partnerships:organisation", kwargs={"slug": self.slug})


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


class Partnership(models.Model):
    kind = models.CharField(_("kind"), max_length=3, choices=PartnershipKind.choices)
    scope = models.CharField(_("geographic scope"), max_length=20, choices=GeographicScope.choices)
    name = models.CharField(_("name"), max_length=255)
    acronym = models.CharField(_("acronym"), max_length=60, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    challenge = models.TextField(_("skills challenge"), blank=True)
    ambition = models.TextField(_("ambition"), blank=True)
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
    parent = models.ForeignKey(
        "self",
        verbose_name=_("umbrella Large-Scale Partnership"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="regional_partnerships",
        limit_choices_to={"kind": PartnershipKind.LSP},
    )
    website = models.URLField(_("website"), blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    note = models.TextField(
        _("note"), blank=True, help_text=_("Public remarks on the record, such as facts not yet confirmed.")
    )
    is_published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # PostgreSQL only (GIN-indexed there); written by partnerships.search.search_index_refresh.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=PartnershipKind.values), name="partnership_kind_valid"
            ),
            models.CheckConstraint(condition=Q(stage__in=Stage.values), name="partnership_stage_valid"),
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
            models.CheckConstraint(
                condition=Q(launch_date_precision__in=DatePrecision.values),
                name="partnership_launch_precision_valid",
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
    def launch_date_display(self):
        """The launch date at the precision it is known (a month, a year, or a day)."""
        from django.utils.formats import date_format

        if self.launch_date is None:
            return ""
        if self.launch_date_precision == DatePrecision.YEAR:
            return str(self.launch_date.year)
        if self.launch_date_precision == DatePrecision.MONTH:
            return date_format(self.launch_date, "YEAR_MONTH_FORMAT")
        return date_format(self.launch_date, "DATE_FORMAT")


class MembershipRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    MEMBER = "member", _("Member")
    ASSOCIATE = "associate", _("Associate")


class Membership(models.Model):
    """An organisation's place in a partnership. Past memberships keep their row with a leaving date."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="memberships"
    )
    partnership = models.ForeignKey(
        Partnership, verbose_name=_("partnership"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        _("role"), max_length=12, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    is_lead = models.BooleanField(
        _("leading organisation"),
        default=False,
        help_text=_("Among the organisations that lead the partnership (a coordinator always does)."),
    )
    joined_on = models.DateField(_("joined"), null=True, blank=True)
    left_on = models.DateField(_("left"), null=True, blank=True)
    is_confirmed = models.BooleanField(
        _("confirmed"),
        default=True,
        help_text=_("Unticked when the membership comes from a single weak source."),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["partnership", "-is_lead", "organisation__name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "partnership"],
                condition=Q(left_on__isnull=True),
                name="membership_one_current_per_pair",
            ),
            models.CheckConstraint(condition=Q(role__in=MembershipRole.values), name="membership_role_valid"),
            models.CheckConstraint(
                condition=~Q(role=MembershipRole.COORDINATOR) | Q(is_lead=True),
                name="membership_coordinator_leads",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True)
                | Q(joined_on__isnull=True)
                | Q(left_on__gte=F("joined_on")),
                name="membership_left_after_joined",
            ),
        ]
        indexes = [
            models.Index(fields=["partnership", "role"]),
            # Member counts of a page of partnerships read only current memberships.
            models.Index(
                fields=["partnership"], condition=Q(left_on__isnull=True), name="membership_current_by_p"
            ),
        ]

    def __str__(self):
        return f"{self.organisation} – {self.partnership} ({self.get_role_display()})"

    @property
    def is_current(self):
        return self.left_on is None


class StageChange(models.Model):
    """One entry of a partnership's lifecycle history: dated, attributed, never edited."""

    partnership = models.ForeignKey(
        Partnership, verbose_name=_("partnership"), on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.CharField(_("from stage"), max_length=10, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to stage"), max_length=10, choices=Stage.choices)
    changed_on = models.DateField(_("date"))
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["partnership", "changed_on", "recorded_at"]
        get_latest_by = "recorded_at"
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        constraints = [
            models.CheckConstraint(condition=Q(to_stage__in=Stage.values), name="stagechange_to_valid"),
            models.CheckConstraint(
                condition=Q(from_stage="") | Q(from_stage__in=Stage.values), name="stagechange_from_valid"
            ),
            models.CheckConstraint(condition=~Q(from_stage=F("to_stage")), name="stagechange_is_a_change"),
        ]

    def __str__(self):
        return f"{self.partnership}: {self.from_stage or '—'} → {self.to_stage} ({self.changed_on})"

    @property
    def is_step_back(self):
        return bool(self.from_stage) and STAGE_ORDER.index(self.to_stage) < STAGE_ORDER.index(self.from_stage)


class PledgedCommitment(models.Model):
    """A commitment a partnership announced in public. The declarations of commitment take these over."""

    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership"),
        on_delete=models.CASCADE,
        related_name="pledged_commitments",
    )
    text = models.TextField(_("commitment"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["partnership", "position", "id"]
        verbose_name = _("pledged commitment")
        verbose_name_plural = _("pledged commitments")

    def __str__(self):
        return self.text[:80]


class PledgedTarget(models.Model):
    """A KPI target a partnership announced (indicator, unit, target value, target year)."""

    partnership = models.ForeignKey(
        Partnership, verbose_name=_("partnership"), on_delete=models.CASCADE, related_name="pledged_targets"
    )
    indicator = models.CharField(_("indicator"), max_length=255)
    unit = models.CharField(_("unit"), max_length=40)
    target = models.DecimalField(_("target"), max_digits=16, decimal_places=2)
    target_year = models.PositiveSmallIntegerField(
        _("target year"), validators=[MinValueValidator(2020), MaxValueValidator(2100)]
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["partnership", "position", "id"]
        verbose_name = _("pledged target")
        verbose_name_plural = _("pledged targets")
        constraints = [
            models.CheckConstraint(condition=Q(target__gte=0), name="pledgedtarget_target_not_negative"),
            models.CheckConstraint(
                condition=Q(target_year__gte=2020, target_year__lte=2100), name="pledgedtarget_year_range"
            ),
        ]
        indexes = [models.Index(fields=["unit"])]

    def __str__(self):
        return f"{self.indicator}: {self.target} {self.unit} by {self.target_year}"


class CoordinatorAccess(models.Model):
    """A user account that may manage a partnership in the coordinator area (object-level permission)."""

    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership"),
        on_delete=models.CASCADE,
        related_name="coordinator_access",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="coordinator_access",
    )
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["partnership", "user"]
        verbose_name = _("coordinator access")
        verbose_name_plural = _("coordinator access")
        constraints = [
            models.UniqueConstraint(fields=["partnership", "user"], name="coordinatoraccess_unique_pair")
        ]

    def __str__(self):
        return f"{self.user} → {self.partnership}"
