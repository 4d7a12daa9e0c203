"""The figures of the home and statistics pages, computed once per registry version."""

from collections import defaultdict

from django.db.models import Count, Q, Sum
from django.urls import reverse

from ..models import (
    Ecosystem,
    Organisation,
    Partnership,
    PartnershipKind,
    PledgedTarget,
    Region,
    Stage,
    StakeholderType,
    published_q,
)
from .join_requests import joined_through_portal
from .registry import published_region_pairs

# --- Home page figures ---------------------------------------------------------------------------


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
    from ..filters import EcosystemLink

    published = Partnership.objects.published()
    by_ecosystem = dict(
        EcosystemLink.objects.filter(published_q("partnership"))
        .values("ecosystem_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("ecosystem_id", "n")
    )
    # Ecosystem names in the page's language (the figures are kept per language).
    ecosystems = [(e.label, by_ecosystem.get(e.pk, 0), e.get_absolute_url()) for e in Ecosystem.objects.all()]
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
