"""Knowledge for partnerships: resources and their language versions."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pact_portal.modelbits import TimeStamped, choice_check, choice_is
from partnerships.models import Ecosystem, Stage

from .lifecycle import SUPPORT_STAGES


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


# The 24 official languages of the EU, in which a resource's versions may be published, by code.
RESOURCE_LANGUAGES = sorted(settings.LANGUAGES)
RESOURCE_LANGUAGE_CODES = [code for code, _label in RESOURCE_LANGUAGES]


class ResourceQuerySet(models.QuerySet):
    def published(self):
        """The resources the public pages show."""
        return self.filter(is_published=True)


class Resource(TimeStamped):
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

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        constraints = [
            choice_check("kind", ResourceKind.values, name="resource_kind_valid"),
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

    is_funding = choice_is("kind", ResourceKind.FUNDING_OPPORTUNITY)

    @property
    def funding_status(self):
        """Open until the end of the deadline day (portal time zone), closed after; None for other kinds."""

        if self.deadline is None:
            return None
        return FundingStatus.OPEN if self.deadline >= timezone.localdate() else FundingStatus.CLOSED

    @property
    def is_funding_open(self):
        return self.funding_status == FundingStatus.OPEN


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
            choice_check("stage", [s.value for s in SUPPORT_STAGES], name="resourcestage_stage_valid"),
        ]

    def __str__(self):
        return f"{self.resource}: {Stage(self.stage).label}"


def resource_file_path(version, filename):
    # The name is ours (slug, language, the extension of the type found in the content), never the uploader's.
    from ..uploads import extension_for_content_type

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
            choice_check("language", RESOURCE_LANGUAGE_CODES, name="resourceversion_language_valid"),
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
        from ..uploads import label_for_content_type

        return label_for_content_type(self.content_type)

    def get_download_url(self):
        return reverse(
            "support_services:resource_download",
            kwargs={"slug": self.resource.slug, "language": self.language},
        )
