"""Filters of the knowledge pages (resources, KPI repository).

Invalid values become form errors, never a 500."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commitments.models import KPI
from pact_portal.lists import slug_filter
from pact_portal.search import search_terms, search_text
from partnerships.models import Ecosystem, Partnership, PledgedTarget, Stage

from ..models.knowledge import (
    RESOURCE_LANGUAGES,
    FundingStatus,
    Resource,
    ResourceKind,
    ResourceStage,
    ResourceVersion,
)
from ..models.lifecycle import SUPPORT_STAGES

EcosystemLink = Partnership.ecosystems.through


def ecosystem_filter(**options):
    return slug_filter(
        Ecosystem.objects.all(), label=_("Industrial ecosystem"), empty_label=_("Any ecosystem"), **options
    )


class ResourceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q", max_length=200)
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=ResourceKind.choices, empty_label=_("Any kind")
    )
    stage = django_filters.ChoiceFilter(
        label=_("Lifecycle stage"),
        choices=[(s.value, s.label) for s in SUPPORT_STAGES],
        method="filter_stage",
        empty_label=_("Any stage"),
    )
    ecosystem = ecosystem_filter(method="filter_ecosystem")
    language = django_filters.ChoiceFilter(
        label=_("Language"),
        choices=RESOURCE_LANGUAGES,
        method="filter_language",
        empty_label=_("Any language"),
    )
    funding = django_filters.ChoiceFilter(
        label=_("Funding calls"),
        choices=FundingStatus.choices,
        method="filter_funding",
        empty_label=_("Any"),
    )

    class Meta:
        model = Resource
        fields = []

    def filter_q(self, queryset, name, value):
        if not search_terms(value):
            return queryset
        # The title of any language version counts too.
        in_versions = search_text(ResourceVersion.objects.all(), value, ["title"]).filter(
            resource_id=OuterRef("pk")
        )
        direct = search_text(Resource.objects.all(), value, ["title", "summary"]).values("pk")
        return queryset.filter(Q(pk__in=direct) | Exists(in_versions))

    def filter_stage(self, queryset, name, value):
        return queryset.filter(Exists(ResourceStage.objects.filter(resource_id=OuterRef("pk"), stage=value)))

    def filter_ecosystem(self, queryset, name, value):
        if not value:
            return queryset
        through = Resource.ecosystems.through
        return queryset.filter(Exists(through.objects.filter(resource_id=OuterRef("pk"), ecosystem=value)))

    def filter_language(self, queryset, name, value):
        return queryset.filter(
            Exists(ResourceVersion.objects.filter(resource_id=OuterRef("pk"), language=value))
        )

    def filter_funding(self, queryset, name, value):
        today = timezone.localdate()
        queryset = queryset.filter(kind=ResourceKind.FUNDING_OPPORTUNITY)
        if value == FundingStatus.OPEN:
            return queryset.filter(deadline__gte=today)
        return queryset.filter(deadline__lt=today)


class KpiFilter(django_filters.FilterSet):
    """One filter form over both sources of the KPI repository: declared KPIs and pledged targets.

    Each method reaches the partnership by the source's own path (``filter_source``).
    """

    q = django_filters.CharFilter(label=_("Search"), method="filter_q", max_length=200)
    ecosystem = ecosystem_filter(method="filter_ecosystem")
    stage = django_filters.ChoiceFilter(
        label=_("Lifecycle stage"), choices=Stage.choices, method="filter_stage", empty_label=_("Any stage")
    )
    unit = django_filters.ChoiceFilter(
        label=_("Unit"), choices=[], method="filter_unit", empty_label=_("Any unit")
    )

    class Meta:
        model = KPI
        fields = []

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(unit, unit) for unit in units]
        self.filters["unit"].extra["choices"] = choices
        self.form.fields["unit"].choices = choices  # the field adds its "Any unit" line itself

    @staticmethod
    def _partnership(queryset):
        return "partnership" if queryset.model is PledgedTarget else "declaration__partnership"

    def filter_source(self, queryset):
        """Apply the valid filters to a queryset of either source."""
        for name, value in self.form.cleaned_data.items():
            if value not in (None, ""):
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def filter_q(self, queryset, name, value):
        path = self._partnership(queryset)
        return search_text(queryset, value, ["indicator", "unit", f"{path}__name"])

    def filter_ecosystem(self, queryset, name, value):
        if not value:
            return queryset
        links = EcosystemLink.objects.filter(
            ecosystem=value, partnership_id=OuterRef(self._partnership(queryset))
        )
        return queryset.filter(Exists(links))

    def filter_stage(self, queryset, name, value):
        return queryset.filter(**{f"{self._partnership(queryset)}__stage": value})

    def filter_unit(self, queryset, name, value):
        return queryset.filter(unit=value)
