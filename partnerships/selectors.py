"""Reads for the public pages: querysets shaped once, here, with the related rows each page needs."""

from collections import Counter, defaultdict

from django.db.models import Case, Count, F, IntegerField, OuterRef, Prefetch, Q, Subquery, Sum, When
from django.db.models.functions import Coalesce, ExtractYear
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import (
    Ecosystem,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    Organisation,
    Partnership,
    PartnershipKind,
    PledgedTarget,
    Region,
    Stage,
    StakeholderType,
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


def home_figures():
    """Key figures for the home page, computed once per registry version."""
    from pact_portal.cache import registry_figures

    return registry_figures("home", _home_figures)


def _home_figures():
    """Key figures for the home page, in a handful of aggregate queries."""
    published = Partnership.objects.published()
    by_kind = published.aggregate(
        rsp=Count("pk", filter=Q(kind=PartnershipKind.RSP)),
        lsp=Count("pk", filter=Q(kind=PartnershipKind.LSP)),
    )
    organisations = Organisation.objects.current_members()
    region_codes = (
        Region.objects.filter(published_q("partnerships")).values_list("code", flat=True).distinct()
    )
    return {
        "partnership_count": by_kind["rsp"] + by_kind["lsp"],
        "rsp_count": by_kind["rsp"],
        "lsp_count": by_kind["lsp"],
        "organisation_count": organisations.count(),
        "sme_count": organisations.filter(is_sme=True).count(),
        "public_authority_count": organisations.filter(
            stakeholder_type__in=StakeholderType.public_authorities()
        ).count(),
        "region_count": region_codes.count(),
        "country_count": len({code[:2] for code in region_codes}),
        "people_to_upskill": people_pledged_to_upskill(),
    }


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
    from .filters import PartnershipFilter

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
    from .filters import EcosystemLink, RegionLink

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
    from .filters import RegionLink

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
    from .filters import OrganisationFilter

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
    from .filters import filter_by_region

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


# --- Statistics -------------------------------------------------------------------------------------

UPSKILLING_WORDS = ("upskill", "reskill", "train")
# Units that count persons, as the partnerships' own publications name them.
PERSON_UNITS = ("people", "workers", "employees")


def bar_rows(items):
    """[(label, value, extra…)] → rows for a bar chart, each with its share of the largest value."""
    items = list(items)
    top = max((value for _, value, *_ in items), default=0) or 1
    return [
        {
            "label": label,
            "value": value,
            "share": value / top,
            "url": extra[0] if extra else "",
            "lang": extra[1] if len(extra) > 1 else "",
        }
        for label, value, *extra in items
    ]


def people_pledged_to_upskill():
    """Sum of published targets counted in persons whose indicator speaks of upskilling, reskilling or training."""
    condition = Q()
    for word in UPSKILLING_WORDS:
        condition |= Q(indicator__icontains=word)
    return (
        PledgedTarget.objects.filter(condition, published_q("partnership"), unit__in=PERSON_UNITS).aggregate(
            total=Sum("target")
        )["total"]
        or 0
    )


def registry_statistics():
    """Every figure of the statistics page; computed once per registry version (see pact_portal.cache)."""
    from pact_portal.cache import registry_figures

    return registry_figures("statistics", _registry_statistics)


def _registry_statistics():
    """Every figure of the statistics page, in a fixed number of aggregate queries."""
    from .filters import EcosystemLink

    published = Partnership.objects.published()
    by_ecosystem = dict(
        EcosystemLink.objects.filter(published_q("partnership"))
        .values("ecosystem_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("ecosystem_id", "n")
    )
    # Ecosystem names are English data (the language of their pages' text).
    ecosystems = [
        (e.name, by_ecosystem.get(e.pk, 0), e.get_absolute_url(), "en") for e in Ecosystem.objects.all()
    ]
    pairs = published_region_pairs()
    per_country = defaultdict(set)
    for partnership_id, code in pairs:
        per_country[code[:2]].add(partnership_id)
    country_names = dict(Region.objects.filter(level=0).values_list("code", "name"))
    countries = sorted(
        (
            (country_names.get(code, code), len(ids), reverse("partnerships:region", args=[code]))
            for code, ids in per_country.items()
        ),
        key=lambda row: (-row[1], row[0]),
    )
    kinds = dict(published.values("kind").annotate(n=Count("pk")).order_by().values_list("kind", "n"))
    stages = dict(published.values("stage").annotate(n=Count("pk")).order_by().values_list("stage", "n"))

    members = Organisation.objects.current_members()
    by_type, composition = {}, {"total": 0, "smes": 0, "authorities": 0}
    for row in (
        members.values("stakeholder_type")
        .annotate(n=Count("pk"), smes=Count("pk", filter=Q(is_sme=True)))
        .order_by()
    ):
        by_type[row["stakeholder_type"]] = row["n"]
        composition["total"] += row["n"]
        composition["smes"] += row["smes"]
        if row["stakeholder_type"] in StakeholderType.public_authorities():
            composition["authorities"] += row["n"]
    total = composition["total"] or 1
    targets = (
        PledgedTarget.objects.filter(published_q("partnership"))
        .values("unit")
        .annotate(
            total=Sum("target"), partnerships=Count("partnership", distinct=True), indicators=Count("pk")
        )
        .order_by("-partnerships", "unit")
    )
    return {
        "partnership_count": sum(kinds.values()),
        "by_ecosystem": bar_rows(sorted(ecosystems, key=lambda row: (-row[1], row[0]))),
        "by_country": bar_rows(countries),
        "by_kind": bar_rows(
            (label, kinds.get(value, 0), f"{reverse('partnerships:list')}?kind={value}")
            for value, label in PartnershipKind.choices
        ),
        "by_stage": bar_rows(
            (label, stages.get(value, 0), f"{reverse('partnerships:list')}?stage={value}")
            for value, label in Stage.choices
        ),
        "by_stakeholder_type": bar_rows(
            sorted(
                (
                    (
                        label,
                        by_type.get(value, 0),
                        f"{reverse('partnerships:organisations')}?stakeholder_type={value}",
                    )
                    for value, label in StakeholderType.choices
                ),
                key=lambda row: -row[1],
            )
        ),
        "member_count": composition["total"],
        "sme_count": composition["smes"],
        "sme_share": composition["smes"] / total,
        "authority_count": composition["authorities"],
        "authority_share": composition["authorities"] / total,
        "targets": list(targets),
        "people_to_upskill": people_pledged_to_upskill(),
        "joined_through_portal": joined_through_portal(),
    }


def group_members_by_type(memberships):
    """Current memberships grouped by stakeholder type (leads first within each), largest group first."""
    groups = defaultdict(list)
    for membership in memberships:
        groups[membership.organisation.stakeholder_type].append(membership)
    labels = dict(StakeholderType.choices)
    return sorted(
        (
            {"type": key, "label": labels.get(key, key), "memberships": items, "count": len(items)}
            for key, items in groups.items()
        ),
        key=lambda group: (-group["count"], str(group["label"])),
    )


# --- Requests to join -------------------------------------------------------------------------------------


def joined_through_portal(*, partnership=None):
    """Organisations that joined published partnerships (or this one) through a request on the portal, once
    their membership was confirmed: {"total": n, "by_type": [{"label", "count"}], largest first}. One query."""
    joined = JoinRequest.objects.filter(published_q("partnership"), status=JoinRequestStatus.JOINED)
    if partnership is not None:
        joined = joined.filter(partnership=partnership)
    labels = dict(StakeholderType.choices)
    rows = (
        joined.values("organisation__stakeholder_type")
        .annotate(count=Count("organisation", distinct=True))
        .order_by()
    )
    by_type = sorted(
        ({"label": labels.get(row["organisation__stakeholder_type"]), "count": row["count"]} for row in rows),
        key=lambda row: (-row["count"], str(row["label"])),
    )
    # An organisation has one stakeholder type: the distinct counts per type add up to the distinct total.
    return {"total": sum(row["count"] for row in by_type), "by_type": by_type}


def join_request_by_token(*, token):
    return JoinRequest.objects.select_related("partnership", "organisation_country").get(token=token)


def joinable_partnership(*, slug):
    """A published partnership, the only kind an organisation can ask to join."""
    return Partnership.objects.published().get(slug=slug)


PENDING_JOIN = [JoinRequestStatus.SUBMITTED, JoinRequestStatus.ACCEPTED]


def coordinator_join_requests(*, partnership):
    """The requests to join one partnership, those to act on first."""
    return partnership.join_requests.select_related(
        "organisation_country", "organisation", "decided_by"
    ).order_by(
        Case(When(status__in=PENDING_JOIN, then=0), default=1),
        "-created_at",
        "-pk",
    )


def proposed_signatories(*, partnership, accepted_after=None):
    """{organisation id: contact e-mail}: organisations that a request to join brought into the partnership
    (accepted after ``accepted_after``, when given) and that are still members. The declaration version that
    follows their acceptance proposes them as signatories."""
    accepted = partnership.join_requests.filter(
        status__in=[JoinRequestStatus.ACCEPTED, JoinRequestStatus.JOINED], membership__left_on__isnull=True
    )
    if accepted_after is not None:
        accepted = accepted.filter(decided_at__gt=accepted_after)
    return dict(accepted.order_by("decided_at").values_list("organisation_id", "contact_email"))
