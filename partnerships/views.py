from django.shortcuts import get_object_or_404, redirect, render

from pact_portal.cache import public_page, registry_figures
from pact_portal.lists import list_context, paginate, querystring_without, selection_key
from pact_portal.views import found_or_404

from . import maps, selectors
from .filters import OrganisationFilter, PartnershipFilter, partnership_facet_options
from .models import Ecosystem, Stage


@public_page
def home(request):
    return render(
        request,
        "partnerships/home.html",
        {
            "figures": selectors.home_figures(),
            "newest": selectors.partnership_newest_rows(6),
            "ecosystems": selectors.ecosystems_by_label(),
        },
    )


@public_page(vary_on=[PartnershipFilter, "page"])
def partnership_list(request):
    filterset = selectors.partnership_search(request.GET)
    context = list_context(
        request, filterset, selectors.partnership_rows(filterset.qs), count_as="partnerships"
    )
    # The facets (values, counts, selection) depend on the selection, not on the page or the order: they are
    # computed once per registry version.
    options = registry_figures(
        "facets",
        lambda: partnership_facet_options(filterset, selectors.partnership_facets(filterset.qs)),
        selection_key(request.GET),
    )
    return render(
        request,
        "partnerships/partnership_list.html",
        {
            **context,
            "options": options,
            "export_query": querystring_without(request.GET, "sort"),
        },
    )


@public_page
def partnership_detail(request, slug):
    partnership = found_or_404(selectors.partnership_detail_public, slug=slug)
    return render(
        request,
        "partnerships/partnership_detail.html",
        {
            "partnership": partnership,
            "member_groups": selectors.group_members_by_type(partnership.current_memberships),
            "locator": maps.locator_for(partnership.regions.all()),
            "stages": Stage.choices,
            "joined": selectors.joined_through_portal(partnership=partnership),
            "sources": selectors.partnership_sources(partnership),
        },
    )


@public_page
def organisation_detail(request, slug):
    organisation = found_or_404(selectors.organisation_detail_public, slug=slug)
    return render(request, "partnerships/organisation_detail.html", {"organisation": organisation})


@public_page(vary_on=[OrganisationFilter, "page"])
def organisation_list(request):
    filterset = selectors.organisation_search(request.GET)
    context = list_context(request, filterset, per_page=50, count_as="organisations")
    page = context["page_obj"]
    page.object_list = selectors.organisation_rows(page.object_list)
    return render(request, "partnerships/organisation_list.html", context)


@public_page(vary_on=["page"])
def region_detail(request, code):
    region = found_or_404(selectors.region_detail, code=code.upper())
    if region.code != code:
        return redirect(region, permanent=True)
    partnerships = paginate(
        request,
        selectors.partnership_rows(selectors.partnerships_in_region(region.code)),
        count_as=f"region-partnerships:{region.code}",
    )
    members = selectors.members_located_in(region.code)
    return render(
        request,
        "partnerships/region_detail.html",
        {
            "region": region,
            "page_obj": partnerships,
            "members": members[:100],
            "member_count": registry_figures("region-members", members.count, region.code),
        },
    )


@public_page(vary_on=["page"])
def ecosystem_detail(request, slug):
    ecosystem = get_object_or_404(Ecosystem, slug=slug)
    page = paginate(
        request,
        selectors.partnership_rows(selectors.partnerships_in_ecosystem(ecosystem)),
        count_as=f"ecosystem-partnerships:{ecosystem.slug}",
    )
    return render(request, "partnerships/ecosystem_detail.html", {"ecosystem": ecosystem, "page_obj": page})


@public_page
def partnership_map(request):
    def figures():
        shapes = maps.shapes(level=2)
        counts = selectors.region_partnership_counts(selectors.published_region_pairs(), shapes)
        choropleth = maps.choropleth(counts)
        table = sorted(
            (region for region in choropleth["regions"] if region["count"]),
            key=lambda r: (-r["count"], r["name"]),
        )
        return {"map": choropleth, "table": table}

    return render(request, "partnerships/partnership_map.html", registry_figures("map", figures))


@public_page
def statistics(request):
    return render(request, "partnerships/statistics.html", {"stats": selectors.registry_statistics()})
