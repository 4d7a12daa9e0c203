"""Large synthetic registries for benchmarks, written with bulk inserts.

Everything generated here is marked as demo data and named "Synthetic …", so it can never pass for a
real partnership; ``clear_synthetic`` removes it again. The generator respects every database
constraint (one current membership per pair, organisations unique per name and country …).
"""

import datetime
import random

from django.db import transaction

from pact_portal.cache import registry_changed

from .models import (
    EU_MEMBER_STATES,
    DatePrecision,
    Ecosystem,
    GeographicScope,
    Membership,
    MembershipRole,
    Organisation,
    Partnership,
    PartnershipKind,
    PledgedTarget,
    Region,
    Stage,
    StageChange,
    StakeholderType,
)
from .search import search_index_refresh

SLUG_PREFIX = "synthetic-"
TARGET_UNITS = [
    ("People upskilled", "people"),
    ("Training courses run", "courses"),
    ("SMEs supported", "SMEs"),
]


def clear_synthetic():
    with transaction.atomic():
        partnerships = Partnership.objects.filter(slug__startswith=SLUG_PREFIX)
        Membership.objects.filter(partnership__in=partnerships).delete()
        partnerships.delete()
        Organisation.objects.filter(slug__startswith=SLUG_PREFIX, memberships__isnull=True).delete()


def generate(
    *,
    partnerships=10_000,
    organisations=50_000,
    memberships=200_000,
    seed=1,
    batch_size=5000,
    progress=lambda message: None,
):
    """Add a synthetic registry of the given size; returns the counts written."""
    rng = random.Random(seed)
    eu_regions = [
        (code, level)
        for code, level in Region.objects.filter(level__in=(2, 3)).values_list("code", "level")
        if code[:2] in EU_MEMBER_STATES
    ]
    nuts2 = [code for code, level in eu_regions if level == 2]
    nuts3 = [code for code, level in eu_regions if level == 3]
    ecosystem_ids = list(Ecosystem.objects.values_list("pk", flat=True))
    stakeholder_types = list(StakeholderType.values)
    today = datetime.date.today()

    with transaction.atomic():
        clear_synthetic()

        progress("organisations")
        org_rows = []
        for i in range(organisations):
            region = rng.choice(nuts3)
            stakeholder_type = rng.choice(stakeholder_types)
            name = f"Synthetic organisation {i:06d}"
            org_rows.append(
                Organisation(
                    name=name,
                    normalised_name=name.lower(),
                    slug=f"{SLUG_PREFIX}organisation-{i:06d}",
                    stakeholder_type=stakeholder_type,
                    is_sme=(rng.random() < 0.8) if stakeholder_type == StakeholderType.COMPANY else None,
                    country_id=region[:2],
                    region_id=region,
                    is_demo=True,
                )
            )
        Organisation.objects.bulk_create(org_rows, batch_size=batch_size)
        org_ids = list(
            Organisation.objects.filter(slug__startswith=SLUG_PREFIX)
            .order_by("pk")
            .values_list("pk", flat=True)
        )

        progress("partnerships")
        stages = [Stage.DESIGN, Stage.SET_UP, Stage.DELIVERY, Stage.DELIVERY, Stage.CLOSED]
        p_rows = []
        for i in range(partnerships):
            is_lsp = rng.random() < 0.05
            launch = today - datetime.timedelta(days=rng.randint(0, 6 * 365))
            p_rows.append(
                Partnership(
                    kind=PartnershipKind.LSP if is_lsp else PartnershipKind.RSP,
                    scope=GeographicScope.EU_WIDE
                    if is_lsp
                    else rng.choice(
                        [GeographicScope.SINGLE_REGION] * 6
                        + [GeographicScope.MACRO_REGION, GeographicScope.NETWORK_OF_REGIONS]
                    ),
                    name=f"Synthetic Skills Partnership {i:05d}",
                    acronym=f"SSP{i:05d}",
                    slug=f"{SLUG_PREFIX}partnership-{i:05d}",
                    summary="Synthetic partnership generated for benchmarks.",
                    challenge=rng.choice(
                        [
                            "Digital skills shortage in manufacturing",
                            "Green transition of construction trades",
                            "Ageing health workforce",
                            "Tourism jobs left vacant after the pandemic",
                        ]
                    ),
                    ambition="Upskill and reskill the regional workforce together.",
                    stage=rng.choice(stages),
                    launch_date=launch,
                    launch_date_precision=DatePrecision.DAY,
                    is_published=rng.random() < 0.97,
                )
            )
        Partnership.objects.bulk_create(p_rows, batch_size=batch_size)
        partnership_rows = list(
            Partnership.objects.filter(slug__startswith=SLUG_PREFIX)
            .order_by("pk")
            .values_list("pk", "kind", "scope", "stage", "launch_date")
        )

        progress("regions, ecosystems, history, targets")
        RegionLink = Partnership.regions.through
        EcosystemLink = Partnership.ecosystems.through
        region_links, ecosystem_links, history, targets = [], [], [], []
        for pk, kind, scope, stage, launch in partnership_rows:
            if kind == PartnershipKind.RSP:
                count = 1 if scope == GeographicScope.SINGLE_REGION else rng.randint(2, 5)
                for code in rng.sample(nuts2, count):
                    region_links.append(RegionLink(partnership_id=pk, region_id=code))
            for ecosystem_id in rng.sample(ecosystem_ids, rng.randint(1, 3)):
                ecosystem_links.append(EcosystemLink(partnership_id=pk, ecosystem_id=ecosystem_id))
            history.append(
                StageChange(
                    partnership_id=pk,
                    from_stage="",
                    to_stage=stage,
                    changed_on=launch,
                    note="Synthetic history.",
                )
            )
            if rng.random() < 0.5:
                indicator, unit = rng.choice(TARGET_UNITS)
                targets.append(
                    PledgedTarget(
                        partnership_id=pk,
                        indicator=indicator,
                        unit=unit,
                        target=rng.randint(10, 5000),
                        target_year=rng.randint(2025, 2030),
                    )
                )
        RegionLink.objects.bulk_create(region_links, batch_size=batch_size)
        EcosystemLink.objects.bulk_create(ecosystem_links, batch_size=batch_size)
        StageChange.objects.bulk_create(history, batch_size=batch_size)
        PledgedTarget.objects.bulk_create(targets, batch_size=batch_size)

        progress("memberships")
        partnership_ids = [row[0] for row in partnership_rows]
        memberships = min(memberships, len(partnership_ids) * len(org_ids))
        pairs = set()
        per_partnership = {}
        while len(pairs) < memberships:
            pair = (rng.choice(partnership_ids), rng.choice(org_ids))
            if pair not in pairs:
                pairs.add(pair)
                per_partnership.setdefault(pair[0], []).append(pair[1])
        m_rows = []
        for partnership_id, members in per_partnership.items():
            for n, organisation_id in enumerate(members):
                role = MembershipRole.COORDINATOR if n == 0 else MembershipRole.MEMBER
                m_rows.append(
                    Membership(
                        partnership_id=partnership_id,
                        organisation_id=organisation_id,
                        role=role,
                        is_lead=n == 0,
                        is_demo=True,
                    )
                )
        Membership.objects.bulk_create(m_rows, batch_size=batch_size)

        progress("search index")
        search_index_refresh()
        registry_changed()  # bulk inserts send no signals

    return {
        "partnerships": len(partnership_rows),
        "organisations": len(org_ids),
        "memberships": len(m_rows),
    }
