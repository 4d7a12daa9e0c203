"""Organisations: one record each across all partnerships, with its stakeholder type."""

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pact_portal.modelbits import TimeStamped, choice_check, implies, optional_fk

from .reference import Region


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


class OrganisationQuerySet(models.QuerySet):
    def current_members(self):
        """Organisations with a current membership of a published partnership."""
        return self.filter(
            Exists(_memberships().current().of_published().filter(organisation=OuterRef("pk")))
        )

    def with_public_page(self):
        """Organisations that are or were members of a published partnership: they have a public page."""
        return self.filter(Exists(_memberships().of_published().filter(organisation=OuterRef("pk"))))


def _memberships():
    from .memberships import Membership  # memberships.py imports this module

    return Membership.objects


class Organisation(TimeStamped):
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
    region = optional_fk(Region, _("region"), on_delete=models.PROTECT, related_name="organisations")
    website = models.URLField(_("website"), blank=True)
    pact_member_since = models.DateField(_("Pact member since"), null=True, blank=True)
    is_demo = models.BooleanField(
        _("demo data"), default=False, help_text=_("Invented for the demonstration registry.")
    )

    objects = OrganisationQuerySet.as_manager()

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
            implies(
                Q(stakeholder_type="company"), Q(is_sme__isnull=False), name="organisation_company_states_sme"
            ),
            models.CheckConstraint(
                condition=Q(region__isnull=True) | Q(country_id=Substr("region_id", 1, 2)),
                name="organisation_region_in_country",
            ),
            models.CheckConstraint(condition=~Q(normalised_name=""), name="organisation_name_not_empty"),
            choice_check(
                "stakeholder_type", StakeholderType.values, name="organisation_stakeholder_type_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["stakeholder_type", "country"]),
            # The directory's order: a page of 50 is read from the index instead of sorting every member.
            models.Index(fields=["name", "id"], name="organisation_name_id"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("partnerships:organisation", kwargs={"slug": self.slug})
