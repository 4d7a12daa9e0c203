"""Reads for the knowledge pages: resources and the KPI repository."""

from django.db.models import Exists, F, OuterRef, Prefetch, Subquery

from partnerships.models import Partnership, published_q


def resource_search(data):
    """The resource list's FilterSet over published resources, newest changes last, title order."""
    from ..filters.knowledge import ResourceFilter
    from ..models.knowledge import Resource

    return ResourceFilter(data or None, queryset=Resource.objects.published().order_by("title", "pk"))


def resource_rows(queryset):
    """A page of resources with their ecosystems, stages and languages (three more queries)."""
    from ..models.knowledge import ResourceVersion

    return queryset.prefetch_related(
        "ecosystems",
        "stage_links",
        Prefetch("versions", queryset=ResourceVersion.objects.order_by("language")),
    )


def resource_detail_public(*, slug):
    from ..models.knowledge import Resource

    return resource_rows(Resource.objects.published().filter(slug=slug)).get()


def resource_version_public(*, slug, language):
    from ..models.knowledge import ResourceVersion

    return ResourceVersion.objects.select_related("resource").get(
        resource__slug=slug, resource__is_published=True, language=language
    )


def repository_kpis():
    from commitments.models import KPI, DeclarationStatus

    return KPI.objects.filter(
        published_q("declaration__partnership"), declaration__status=DeclarationStatus.SIGNED
    )


def repository_targets():
    """Announced targets of partnerships whose signed declaration has not (yet) taken them over."""
    from commitments.models import Declaration
    from partnerships.models import PledgedTarget

    signed = Declaration.objects.signed().filter(partnership_id=OuterRef("partnership_id"))
    return PledgedTarget.objects.filter(published_q("partnership")).exclude(Exists(signed))


def kpi_units():
    """Every unit used in the repository, sorted (one query)."""
    units = (
        repository_kpis()
        .order_by()
        .values_list("unit", flat=True)
        .union(repository_targets().order_by().values_list("unit", flat=True))
    )
    return sorted(set(units), key=str.casefold)


KPI_ROW_FIELDS = [
    "source",
    "row_id",
    "row_indicator",
    "row_unit",
    "row_baseline",
    "row_target",
    "row_target_year",
    "partnership_id_",
    "partnership_name",
    "partnership_slug",
    "declaration_version",
    "latest_value",
    "latest_on",
]


def kpi_repository(data):
    """(filterset, rows): declared KPIs and pledged targets as one sortable, countable union of dicts."""
    from django.db.models import DateField, DecimalField, IntegerField, Value

    from commitments.models import KPIProgress

    from ..filters.knowledge import KpiFilter

    filterset = KpiFilter(data or None, queryset=repository_kpis(), units=kpi_units())
    if filterset.is_bound and not filterset.is_valid():
        # Invalid values are reported and ignored: filter by the valid ones only.
        for name in list(filterset.form.errors):
            filterset.form.cleaned_data.pop(name, None)
    cleaned = getattr(filterset.form, "cleaned_data", None)
    if cleaned is None:
        filterset.form.cleaned_data = {}
    latest = KPIProgress.objects.filter(kpi_id=OuterRef("pk")).order_by("-reported_on", "-id")
    decimal = DecimalField(max_digits=16, decimal_places=2)
    declared = filterset.filter_source(repository_kpis()).annotate(
        source=Value("declaration"),
        row_id=F("pk"),
        row_indicator=F("indicator"),
        row_unit=F("unit"),
        row_baseline=F("baseline"),
        row_target=F("target"),
        row_target_year=F("target_year"),
        partnership_id_=F("declaration__partnership_id"),
        partnership_name=F("declaration__partnership__name"),
        partnership_slug=F("declaration__partnership__slug"),
        declaration_version=F("declaration__version"),
        latest_value=Subquery(latest.values("value")[:1], output_field=decimal),
        latest_on=Subquery(latest.values("reported_on")[:1], output_field=DateField()),
    )
    pledged = filterset.filter_source(repository_targets()).annotate(
        source=Value("pledge"),
        row_id=F("pk"),
        row_indicator=F("indicator"),
        row_unit=F("unit"),
        row_baseline=Value(None, output_field=decimal),
        row_target=F("target"),
        row_target_year=F("target_year"),
        partnership_id_=F("partnership_id"),
        partnership_name=F("partnership__name"),
        partnership_slug=F("partnership__slug"),
        declaration_version=Value(None, output_field=IntegerField()),
        latest_value=Value(None, output_field=decimal),
        latest_on=Value(None, output_field=DateField()),
    )
    rows = (
        declared.order_by()
        .values(*KPI_ROW_FIELDS)
        .union(pledged.order_by().values(*KPI_ROW_FIELDS), all=True)
        .order_by("row_indicator", "partnership_name", "source", "row_id")
    )
    return filterset, rows


def kpi_rows_with_context(rows):
    """A page of repository rows, with each partnership's ecosystems and stage (one query), each row saying
    whether it comes from a signed declaration (``is_declared``) or an announced target."""

    rows = list(rows)
    partnerships = {
        p.pk: p
        for p in Partnership.objects.filter(pk__in={r["partnership_id_"] for r in rows})
        .only("pk", "slug", "name", "stage")
        .prefetch_related("ecosystems")
    }
    for row in rows:
        row["partnership"] = partnerships.get(row["partnership_id_"])
        row["is_declared"] = row["source"] == "declaration"
    return rows


def coordinator_editable_declarations(*, user):
    """The declarations this user may add KPIs to: drafts (or sent back) of partnerships they coordinate."""
    from commitments.models import EDITABLE_STATUSES, Declaration
    from partnerships.models import CoordinatorAccess

    if not user.is_authenticated:
        return []
    return list(
        Declaration.objects.filter(
            status__in=EDITABLE_STATUSES,
            partnership_id__in=CoordinatorAccess.objects.filter(user=user).values("partnership_id"),
        )
        .select_related("partnership")
        .order_by("partnership__name", "version")
    )
