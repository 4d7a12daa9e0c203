"""Filters of the public lists. Invalid values become form errors and are ignored, never a 500."""

from collections import defaultdict

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from pact_portal.search import search_terms

from .models import (
    EU_MEMBER_STATES,
    Ecosystem,
    GeographicScope,
    Organisation,
    Partnership,
    PartnershipKind,
    Region,
    Stage,
    StakeholderType,
)
from .search import apply_search

RegionLink = Partnership.regions.through
EcosystemLink = Partnership.ecosystems.through

SORT_CHOICES = [
    ("relevance", _("Relevance")),
    ("name", _("Name (A–Z)")),
    ("newest", _("Newest first")),
    ("members", _("Most members")),
]


def region_matches(code):
    """Links to ``code``, to its sub-regions, or to a wider region that contains it (e.g. a country)."""
    ancestors = [code[:n] for n in range(2, len(code))]
    return Q(region__code__startswith=code) | Q(region_id__in=ancestors)


def filter_by_region(queryset, code):
    return queryset.filter(
        Exists(RegionLink.objects.filter(region_matches(code), partnership_id=OuterRef("pk")))
    )


class RegionCodeField(forms.CharField):
    """A NUTS code that exists in the reference data."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        value = value.strip().upper()
        if not Region.objects.filter(code=value).exists():
            raise forms.ValidationError(
                _("“%(code)s” is not a NUTS region code."), params={"code": value[:10]}
            )
        return value


class RegionCodeFilter(django_filters.CharFilter):
    field_class = RegionCodeField


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField  # a year is whole: "2020.5" is refused, not read as 2020


class PartnershipFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q", max_length=200)
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=PartnershipKind.choices, empty_label=_("Any kind")
    )
    scope = django_filters.ChoiceFilter(
        label=_("Geographic scope"), choices=GeographicScope.choices, empty_label=_("Any scope")
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"), choices=[], method="filter_region", empty_label=_("Any country")
    )
    region = RegionCodeFilter(label=_("NUTS region"), method="filter_region", max_length=5)
    ecosystem = django_filters.ModelChoiceFilter(
        label=_("Industrial ecosystem"),
        queryset=Ecosystem.objects.all(),
        to_field_name="slug",
        field_name="ecosystems",
        method="filter_ecosystem",
        empty_label=_("Any ecosystem"),
    )
    stage = django_filters.ChoiceFilter(
        label=_("Lifecycle stage"), choices=Stage.choices, empty_label=_("Any stage")
    )
    year = YearFilter(
        label=_("Launch year"),
        field_name="launch_date",
        lookup_expr="year",
        min_value=2000,
        max_value=2100,
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SORT_CHOICES, method="filter_sort", empty_label=None
    )

    class Meta:
        model = Partnership
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        countries = Region.objects.filter(level=0, code__in=EU_MEMBER_STATES).order_by("name")
        self.filters["country"].extra["choices"] = [(c.code, c.name) for c in countries]
        self.form.fields["country"].choices = [("", _("Any country"))] + [(c.code, c.name) for c in countries]
        self.form.fields["sort"].required = False
        self.form.fields["year"].widget.attrs.update({"inputmode": "numeric"})

    # Search and sort are applied after the other filters so relevance can rank the filtered set.
    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        for name in ("kind", "scope", "country", "region", "ecosystem", "stage", "year"):
            if name in data:
                queryset = self.filters[name].filter(queryset, data[name])
        queryset = apply_search(queryset, data.get("q", ""))
        return self.filter_sort(queryset, "sort", data.get("sort") or "")

    def filter_q(self, queryset, name, value):
        return queryset  # applied in filter_queryset

    def filter_region(self, queryset, name, value):
        return filter_by_region(queryset, value) if value else queryset

    def filter_ecosystem(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            Exists(EcosystemLink.objects.filter(ecosystem=value, partnership_id=OuterRef("pk")))
        )

    def filter_sort(self, queryset, name, value):
        searching = bool((self.form.cleaned_data or {}).get("q"))
        if not value:
            value = "relevance" if searching else "name"
        if value == "relevance" and searching:
            return queryset.order_by("-rank", "name", "pk")
        if value == "newest":
            return queryset.order_by(F("launch_date").desc(nulls_last=True), "name", "pk")
        if value == "members":
            return queryset.order_by("-member_count", "name", "pk")
        return queryset.order_by("name", "pk")


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q", max_length=200)
    stakeholder_type = django_filters.ChoiceFilter(
        label=_("Stakeholder type"), choices=StakeholderType.choices, empty_label=_("Any type")
    )
    country = django_filters.ChoiceFilter(label=_("Country"), choices=[], empty_label=_("Any country"))
    sme = django_filters.BooleanFilter(
        label=_("SMEs only"),
        field_name="is_sme",
        widget=forms.Select(
            choices=[("", _("All organisations")), ("true", _("SMEs only")), ("false", _("Not SMEs"))]
        ),
    )

    class Meta:
        model = Organisation
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        countries = Region.objects.filter(level=0).order_by("name")
        choices = [(c.code, c.name) for c in countries]
        self.filters["country"].extra["choices"] = choices
        self.form.fields["country"].choices = [("", _("Any country"))] + choices
        for name in ("stakeholder_type", "country", "sme"):
            self.form.fields[name].widget.attrs["class"] = "form-select"

    def filter_q(self, queryset, name, value):
        for term in search_terms(value):  # normalised_name is folded the same way
            queryset = queryset.filter(normalised_name__contains=term)
        return queryset


def partnership_facet_options(filterset, facets):
    """What the filter form shows: for each facet its values with labels, result counts and selection."""
    data = (
        filterset.form.cleaned_data if filterset.is_bound and hasattr(filterset.form, "cleaned_data") else {}
    )

    def options(name, choices):
        selected = str(data.get(name) or "")
        return [
            {
                "value": str(value),
                "label": label,
                "count": facets[name].get(value, 0),
                "selected": str(value) == selected,
            }
            for value, label in choices
            if facets[name].get(value, 0) or str(value) == selected
        ]

    ecosystem = data.get("ecosystem")
    countries = dict(Region.objects.filter(level=0).values_list("code", "name"))
    region_codes = sorted(set(facets["region"]) | ({data["region"]} if data.get("region") else set()))
    region_names = dict(Region.objects.filter(code__in=region_codes).values_list("code", "name"))
    region_groups = defaultdict(list)
    for code in region_codes:
        region_groups[countries.get(code[:2], code[:2])].append(
            {
                "value": code,
                "label": f"{region_names.get(code, code)} ({code})",
                "count": facets["region"].get(code, 0),
                "selected": code == data.get("region"),
                "level": len(code) - 2,
            }
        )
    years = sorted((y for y in facets["year"]), reverse=True)
    if data.get("year") and int(data["year"]) not in facets["year"]:
        years.append(int(data["year"]))
    return {
        "kind": options("kind", PartnershipKind.choices),
        "scope": options("scope", GeographicScope.choices),
        "stage": options("stage", Stage.choices),
        "country": options("country", filterset.filters["country"].extra["choices"]),
        "ecosystem": [
            {
                "value": e.slug,
                "label": e.label,
                "count": facets["ecosystem"].get(e.slug, 0),
                "selected": ecosystem is not None and e.pk == ecosystem.pk,
            }
            for e in Ecosystem.by_label(Ecosystem.objects.all())
            if facets["ecosystem"].get(e.slug, 0) or (ecosystem is not None and e.pk == ecosystem.pk)
        ],
        "region_groups": sorted(region_groups.items()),
        "year": [
            {
                "value": str(y),
                "label": str(y),
                "count": facets["year"].get(y, 0),
                "selected": y == data.get("year"),
            }
            for y in years
        ],
    }
