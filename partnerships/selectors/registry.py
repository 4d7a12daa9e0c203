"""Reads for the public registry pages: profiles, lists with facets, organisations, regions, ecosystems."""

from collections import Counter, defaultdict

from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce, ExtractYear
from django.utils.translation import gettext as _

from ..models import (
    Ecosystem,
    Membership,
    Organisation,
    Partnership,
    Region,
    published_q,
)


def partnership_newest():
    """Published partnerships, most recently launched (or, undated, added) first."""
    return (
        Partnership.objects.published()
        .annotate(member_count=member_count_subquery())
        .order_by(F("launch_date").desc(nulls_last=True), "-created_at", "pk")
    )


def partnership_newest_rows(count=6):
    """The ``count`` newest published partnerships shaped for display; which ones is decided once per registry
    version (finding them sorts the whole registry), the rows are read by id."""
    from pact_portal.cache import registry_figures

    ids = registry_figures(
        "newest", lambda: list(partnership_newest().values_list("pk", flat=True)[:count]), count
    )
    rows = partnership_rows(Partnership.objects.published().annotate(member_count=member_count_subquery()))
    found = rows.in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def partnership_detail_public(*, slug):
    """One published partnership with everything its profile shows, in a fixed number of queries."""
    current_members = (
        Membership.objects.current()
        .settled()
        .select_related("organisation", "organisation__country", "organisation__region")
        .order_by("-is_lead", "organisation__stakeholder_type", "organisation__name")
    )
    return (
        Partnership.objects.published()
        .filter(slug=slug)
        .select_related("parent")
        .prefetch_related(
            "ecosystems",
            "regions",
            "pledged_commitments",
            "pledged_targets",
            "published_leads",
            "stage_changes",
            Prefetch("memberships", queryset=current_members, to_attr="current_memberships"),
            Prefetch(
                "regional_partnerships",
                queryset=Partnership.objects.published().only("slug", "name", "parent_id"),
                to_attr="published_children",
            ),
        )
        .get()
    )


def partnership_sources(partnership):
    """The profile's "Sources": each source page once, numbered in the order the profile first cites it,
    with the facts it supports. Sets ``source_number`` on every cited fact row (leads, commitments,
    targets, stage changes); returns {"pages", "challenge", "ambition", "launch_date", "uncited"}, the last
    true when a fact shown has no source page (it then comes from the first data file's summaries)."""
    pages, numbers = [], {}
    result = {"pages": pages, "uncited": False}

    def cite(url, label):
        if not url:
            return None
        if url not in numbers:
            numbers[url] = len(pages) + 1
            pages.append({"number": numbers[url], "url": url, "facts": []})
        pages[numbers[url] - 1]["facts"].append(label)
        return numbers[url]

    if partnership.launch_date:
        result["launch_date"] = cite(partnership.launch_date_source, _("Launch date"))
    for lead in partnership.published_leads.all():
        lead.source_number = cite(lead.source_url, lead.name)
    for field, label in (("challenge", _("Skills challenge")), ("ambition", _("Ambition"))):
        result[field] = (
            cite(getattr(partnership, f"{field}_source"), label) if getattr(partnership, field) else None
        )
        result["uncited"] |= bool(getattr(partnership, field)) and not result[field]
    for i, commitment in enumerate(partnership.pledged_commitments.all(), 1):
        commitment.source_number = cite(commitment.source_url, _("Commitment %(number)s") % {"number": i})
        result["uncited"] |= not commitment.source_number
    for target in partnership.pledged_targets.all():
        target.source_number = cite(
            target.source_url, _("Target: %(indicator)s") % {"indicator": target.indicator}
        )
        result["uncited"] |= not target.source_number
    for change in partnership.stage_changes.all():
        change.source_number = cite(
            change.source_url, _("Stage: %(stage)s") % {"stage": change.get_to_stage_display()}
        )
    return result


def organisation_detail_public(*, slug):
    memberships = (
        Membership.objects.of_published()
        .select_related("partnership")
        .order_by("left_on", "partnership__name")
    )
    # Only organisations that are or were in a published partnership have a public page.
    return (
        Organisation.objects.with_public_page()
        .select_related("country", "region")
        .prefetch_related(Prefetch("memberships", queryset=memberships, to_attr="public_memberships"))
        .get(slug=slug)
    )


# --- Partnership list with facets -------------------------------------------------------------------


def member_count_subquery():
    """Current members of the outer partnership, as a correlated subquery (no GROUP BY on the list); a membership
    still waiting for the coordinators' confirmation is not counted."""
    counts = (
        Membership.objects.current()
        .settled()
        .filter(partnership=OuterRef("pk"))
        .order_by()
        .values("partnership")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def partnership_search(params):
    """The published partnerships matching ``params`` (a QueryDict), as a bound PartnershipFilter."""
    from ..filters import PartnershipFilter

    base = (
        Partnership.objects.published().defer("search_vector").annotate(member_count=member_count_subquery())
    )
    return PartnershipFilter(params, queryset=base)


def partnership_rows(queryset):
    """Shape a page (or an export) of partnerships for display."""
    return queryset.select_related("parent").prefetch_related(
        "ecosystems", Prefetch("regions", queryset=Region.objects.only("code", "name", "level", "parent_id"))
    )


def partnership_facets(results):
    """Counts per facet value over the current results, in four queries whatever the registry's size."""
    from ..filters import EcosystemLink, RegionLink

    ids = results.order_by().values("pk")
    scalar = (
        Partnership.objects.filter(pk__in=ids)
        .values("kind", "scope", "stage", year=ExtractYear("launch_date"))
        .annotate(n=Count("pk"))
        .order_by()
    )
    facets = {"kind": Counter(), "scope": Counter(), "stage": Counter(), "year": Counter()}
    for row in scalar:
        for key in ("kind", "scope", "stage", "year"):
            if row[key] is not None:
                facets[key][row[key]] += row["n"]
    facets["ecosystem"] = Counter(
        dict(
            EcosystemLink.objects.filter(partnership_id__in=ids)
            .values("ecosystem__slug")
            .annotate(n=Count("pk"))
            .order_by()
            .values_list("ecosystem__slug", "n")
        )
    )
    pairs = list(RegionLink.objects.filter(partnership_id__in=ids).values_list("partnership_id", "region_id"))
    facets["country"] = Counter()
    for country, members in _group(pairs, key=lambda code: code[:2]).items():
        facets["country"][country] = len(members)
    facets["region"] = _region_counts(pairs)
    return facets


def _group(pairs, key):
    grouped = defaultdict(set)
    for partnership_id, code in pairs:
        grouped[key(code)].add(partnership_id)
    return grouped


def _region_counts(pairs):
    """Partnerships per NUTS region (levels 1–3) touched by ``pairs``."""
    options = {code[:n] for _, code in pairs for n in range(3, len(code) + 1)}
    return region_partnership_counts(pairs, options)


def region_partnership_counts(pairs, codes):
    """For each region code, the number of partnerships that the region filter would find for it: those
    linked to the region, to one of its sub-regions, or to a wider region containing it.
    ``pairs`` are (partnership id, linked region code)."""
    inside = defaultdict(set)  # code → partnerships linked to it or to a region below it
    exact = defaultdict(set)  # code → partnerships linked to exactly that region
    for partnership_id, code in pairs:
        exact[code].add(partnership_id)
        for n in range(2, len(code) + 1):
            inside[code[:n]].add(partnership_id)
    counts = Counter()
    for code in codes:
        found = set(inside.get(code, ()))
        for n in range(2, len(code)):
            found |= exact.get(code[:n], set())
        if found:
            counts[code] = len(found)
    return counts


def published_region_pairs():
    from ..filters import RegionLink

    return list(
        RegionLink.objects.filter(published_q("partnership")).values_list("partnership_id", "region_id")
    )


# --- Organisations, regions, ecosystems -----------------------------------------------------------


def partnership_count_subquery():
    """Current memberships of the outer organisation in published partnerships, as a correlated subquery: only
    the rows of the page shown are counted (a GROUP BY would count every member organisation first)."""
    counts = (
        Membership.objects.current()
        .of_published()
        .filter(organisation=OuterRef("pk"))
        .order_by()
        .values("organisation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def organisation_search(params):
    """The member organisations matching ``params``, in the directory's order, as a bound OrganisationFilter;
    a page of it is shaped by ``organisation_rows``."""
    from ..filters import OrganisationFilter

    return OrganisationFilter(params, queryset=Organisation.objects.current_members().order_by("name", "pk"))


def organisation_rows(queryset):
    """A page of the directory (a slice of ``organisation_search``) with what its rows show, in two steps: the
    page's ids first (read from the name index), then those rows with their places and partnership counts, so
    the counts are computed for the rows shown only, not for every row before the page."""
    ids = list(queryset.values_list("pk", flat=True))
    rows = (
        Organisation.objects.filter(pk__in=ids)
        .annotate(partnership_count=partnership_count_subquery())
        .select_related("country", "region")
        .in_bulk()
    )
    return [rows[pk] for pk in ids if pk in rows]


def region_detail(*, code):
    """A region with its ancestors (for breadcrumbs) and children, or Region.DoesNotExist."""
    region = Region.objects.get(code=code)
    ancestor_codes = [code[:n] for n in range(2, len(code))]
    region.ancestors = list(Region.objects.filter(code__in=ancestor_codes).order_by("level"))
    region.child_regions = list(region.children.order_by("code"))
    return region


def partnerships_in_region(code):
    from ..filters import filter_by_region

    published = Partnership.objects.published().annotate(member_count=member_count_subquery())
    return filter_by_region(published, code).order_by("name", "pk")


def members_located_in(code):
    """Organisations located in the region (or below it) with a current membership of a published partnership."""
    return (
        Organisation.objects.current_members()
        .filter(region__code__startswith=code)
        .select_related("region")
        .order_by("name", "pk")
    )


def partnerships_in_ecosystem(ecosystem):
    return (
        Partnership.objects.published()
        .filter(ecosystems=ecosystem)
        .annotate(member_count=member_count_subquery())
        .order_by("name", "pk")
    )


def coordinator_accounts(partnership):
    """The user accounts that coordinate ``partnership`` (active or not: the mail helpers skip inactive ones)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(coordinator_access__partnership=partnership)


def ecosystems_by_label():
    """The industrial ecosystems in the alphabetical order of their names in the active language."""
    return Ecosystem.by_label(Ecosystem.objects.all())
