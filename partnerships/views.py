from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from pact_portal.cache import public_page

from . import maps, selectors
from .filters import partnership_facet_options
from .models import Ecosystem, Organisation, Partnership, Region, Stage

PAGE_SIZE = 20


def paginate(request, queryset, per_page=PAGE_SIZE):
    """A page of ``queryset``; a page number that is not a number or out of range gets a message, not a 404."""
    paginator = Paginator(queryset, per_page)
    raw = request.GET.get("page", "1")
    page = paginator.get_page(raw)
    page.elided_range = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    if raw != "1" and str(page.number) != raw:
        messages.info(
            request,
            _("There is no page “%(page)s”; showing page %(number)s.")
            % {
                "page": raw[:20],
                "number": page.number,
            },
        )
    return page


def filter_errors(request, filterset):
    """Tell the visitor which parameters were not understood (they are ignored)."""
    if filterset.is_bound and not filterset.is_valid():
        for field, errors in filterset.errors.items():
            label = filterset.form.fields[field].label if field in filterset.form.fields else field
            for error in errors:
                messages.warning(
                    request,
                    _("%(label)s: %(error)s This filter was ignored.")
                    % {
                        "label": label,
                        "error": error,
                    },
                )


def querystring_without(params, *names):
    query = params.copy()
    for name in (*names, "page"):
        query.pop(name, None)
    return query.urlencode()


def active_filters(request, filterset):
    """The filters in force, each with a link that removes it."""
    active = []
    for name, value in getattr(filterset.form, "cleaned_data", {}).items():
        if value in (None, "") or name == "sort":
            continue
        field = filterset.form.fields[name]
        choices = dict(getattr(field, "choices", []) or [])
        if name == "year":
            value = int(value)
        active.append(
            {
                "label": field.label,
                "value": choices.get(value, choices.get(str(value), value))
                if not hasattr(value, "pk")
                else value,
                "remove": querystring_without(request.GET, name),
            }
        )
    return active


@public_page
def home(request):
    return render(
        request,
        "partnerships/home.html",
        {
            "figures": selectors.home_figures(),
            "newest": selectors.partnership_rows(selectors.partnership_newest())[:6],
            "ecosystems": Ecosystem.objects.all(),
        },
    )


@public_page
def partnership_list(request):
    filterset = selectors.partnership_search(request.GET)
    filter_errors(request, filterset)
    results = filterset.qs
    page = paginate(request, selectors.partnership_rows(results))
    facets = selectors.partnership_facets(results)
    active = active_filters(request, filterset)
    return render(
        request,
        "partnerships/partnership_list.html",
        {
            "filterset": filterset,
            "page_obj": page,
            "options": partnership_facet_options(filterset, facets),
            "active_filters": active,
            "query": querystring_without(request.GET),
            "export_query": querystring_without(request.GET, "sort"),
        },
    )


@public_page
def partnership_detail(request, slug):
    try:
        partnership = selectors.partnership_detail_public(slug=slug)
    except Partnership.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "partnerships/partnership_detail.html",
        {
            "partnership": partnership,
            "member_groups": selectors.group_members_by_type(partnership.current_memberships),
            "locator": maps.locator_for(partnership.regions.all()),
            "stages": Stage.choices,
        },
    )


@public_page
def organisation_detail(request, slug):
    try:
        organisation = selectors.organisation_detail_public(slug=slug)
    except Organisation.DoesNotExist:
        raise Http404 from None
    return render(request, "partnerships/organisation_detail.html", {"organisation": organisation})


@public_page
def organisation_list(request):
    filterset = selectors.organisation_search(request.GET)
    filter_errors(request, filterset)
    page = paginate(request, filterset.qs, per_page=50)
    return render(
        request,
        "partnerships/organisation_list.html",
        {
            "filterset": filterset,
            "page_obj": page,
            "query": querystring_without(request.GET),
            "active_filters": active_filters(request, filterset),
        },
    )


@public_page
def region_detail(request, code):
    try:
        region = selectors.region_detail(code=code.upper())
    except Region.DoesNotExist:
        raise Http404 from None
    if region.code != code:
        return redirect(region, permanent=True)
    partnerships = paginate(
        request, selectors.partnership_rows(selectors.partnerships_in_region(region.code))
    )
    members = selectors.members_located_in(region.code)
    return render(
        request,
        "partnerships/region_detail.html",
        {
            "region": region,
            "page_obj": partnerships,
            "members": members[:100],
            "member_count": members.count(),
        },
    )


@public_page
def ecosystem_detail(request, slug):
    ecosystem = get_object_or_404(Ecosystem, slug=slug)
    page = paginate(request, selectors.partnership_rows(selectors.partnerships_in_ecosystem(ecosystem)))
    return render(request, "partnerships/ecosystem_detail.html", {"ecosystem": ecosystem, "page_obj": page})


@public_page
def partnership_map(request):
    shapes = maps.shapes(level=2)
    counts = selectors.region_partnership_counts(selectors.published_region_pairs(), shapes)
    choropleth = maps.choropleth(counts)
    table = sorted(
        (region for region in choropleth["regions"] if region["count"]),
        key=lambda r: (-r["count"], r["name"]),
    )
    return render(request, "partnerships/partnership_map.html", {"map": choropleth, "table": table})


@public_page
def statistics(request):
    return render(request, "partnerships/statistics.html", {"stats": selectors.registry_statistics()})
