from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from pact_portal.cache import public_page
from pact_portal.lists import list_context, paginate, querystring_without

from . import maps, selectors
from .filters import OrganisationFilter, PartnershipFilter, partnership_facet_options
from .models import Ecosystem, Organisation, Partnership, Region, Stage


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


@public_page(vary_on=[PartnershipFilter, "page"])
def partnership_list(request):
    filterset = selectors.partnership_search(request.GET)
    context = list_context(request, filterset, selectors.partnership_rows(filterset.qs))
    facets = selectors.partnership_facets(filterset.qs)
    return render(
        request,
        "partnerships/partnership_list.html",
        {
            **context,
            "options": partnership_facet_options(filterset, facets),
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
            "sources": selectors.partnership_sources(partnership),
        },
    )


@public_page
def organisation_detail(request, slug):
    try:
        organisation = selectors.organisation_detail_public(slug=slug)
    except Organisation.DoesNotExist:
        raise Http404 from None
    return render(request, "partnerships/organisation_detail.html", {"organisation": organisation})


@public_page(vary_on=[OrganisationFilter, "page"])
def organisation_list(request):
    filterset = selectors.organisation_search(request.GET)
    context = list_context(request, filterset, per_page=50)
    return render(request, "partnerships/organisation_list.html", context)


@public_page(vary_on=["page"])
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


@public_page(vary_on=["page"])
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
