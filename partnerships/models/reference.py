"""Reference data: the EU Member States, the industrial ecosystems, NUTS regions and their boundaries."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length, Substr
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pact_portal.modelbits import optional_fk
from pact_portal.search import fold_text

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
        return self.label

    def get_absolute_url(self):
        return reverse("partnerships:ecosystem", kwargs={"slug": self.slug})

    @property
    def label(self):
        """The name in the active language: the names are a fixed vocabulary (``partnerships/vocabulary.py``)
        kept in English in the data and the exports, and translated in the catalogues."""
        return gettext(self.name)

    @staticmethod
    def by_label(ecosystems):
        """``ecosystems`` in the alphabetical order of their names in the active language."""
        return sorted(ecosystems, key=lambda ecosystem: fold_text(ecosystem.label))


class Region(models.Model):
    """A NUTS 2024 region. The code is the key; its prefix is the parent's code (ITC4 → ITC → IT)."""

    code = models.CharField(_("NUTS code"), max_length=5, primary_key=True)
    name = models.CharField(_("name"), max_length=200)
    level = models.PositiveSmallIntegerField(
        _("NUTS level"), validators=[MinValueValidator(0), MaxValueValidator(3)]
    )
    parent = optional_fk("self", _("parent region"), on_delete=models.PROTECT, related_name="children")

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
