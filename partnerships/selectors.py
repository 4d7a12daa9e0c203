"""Reads for the public pages: querysets shaped once, here, with the related rows each page needs."""

from django.db.models import Count, Prefetch, Q

from .models import Membership, Organisation, Partnership, PartnershipKind, Region, StakeholderType


def partnership_list_public():
    return (
        Partnership.objects.filter(is_published=True)
        .annotate(member_count=Count("memberships", filter=Q(memberships__left_on__isnull=True)))
        .prefetch_related("ecosystems", "regions")
    )


def partnership_detail_public(*, slug):
    """One published partnership with everything its profile shows, in a fixed number of queries."""
    current_members = (
        Membership.objects.filter(left_on__isnull=True)
        .select_related("organisation", "organisation__country", "organisation__region")
        .order_by("-is_lead", "organisation__stakeholder_type", "organisation__name")
    )
    return (
        Partnership.objects.filter(is_published=True, slug=slug)
        .select_related("parent")
        .prefetch_related(
            "ecosystems",
            "regions",
            "pledged_commitments",
            "pledged_targets",
            "stage_changes",
            Prefetch("memberships", queryset=current_members, to_attr="current_memberships"),
            Prefetch(
                "regional_partnerships",
                queryset=Partnership.objects.filter(is_published=True).only("slug", "name", "parent_id"),
                to_attr="published_children",
            ),
        )
        .get()
    )


def home_figures():
    """Key figures for the home page, in a handful of aggregate queries."""
    published = Partnership.objects.filter(is_published=True)
    by_kind = published.aggregate(
        rsp=Count("pk", filter=Q(kind=PartnershipKind.RSP)),
        lsp=Count("pk", filter=Q(kind=PartnershipKind.LSP)),
    )
    organisations = Organisation.objects.filter(
        memberships__partnership__is_published=True, memberships__left_on__isnull=True
    ).distinct()
    region_codes = (
        Region.objects.filter(partnerships__is_published=True).values_list("code", flat=True).distinct()
    )
    return {
        "rsp_count": by_kind["rsp"],
        "lsp_count": by_kind["lsp"],
        "organisation_count": organisations.count(),
        "sme_count": organisations.filter(is_sme=True).count(),
        "public_authority_count": organisations.filter(
            stakeholder_type__in=StakeholderType.public_authorities()
        ).count(),
        "region_count": region_codes.count(),
        "country_count": len({code[:2] for code in region_codes}),
    }


def organisation_detail_public(*, slug):
    memberships = (
        Membership.objects.filter(partnership__is_published=True)
        .select_related("partnership")
        .order_by("left_on", "partnership__name")
    )
    return (
        Organisation.objects.select_related("country", "region")
        .prefetch_related(Prefetch("memberships", queryset=memberships, to_attr="public_memberships"))
        .get(slug=slug)
    )
