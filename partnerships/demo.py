"""The demo registry: the real partnerships from ``data/pact/partnerships.json`` plus demo members.

``data/pact/partnerships_enriched.json`` adds sourced facts (each with its source page and an
``unconfirmed`` flag) and corrects the first file where they differ: its facts win.

Everything is built through the services, deterministically (one random generator seeded per
partnership), so running it twice changes nothing the second time. Organisations and memberships
invented here carry ``is_demo=True`` and the pages label them as demo data.
"""

import datetime
import json
import random

from django.db import transaction

from . import services
from .models import (
    EU_MEMBER_STATES,
    DatePrecision,
    Ecosystem,
    MembershipRole,
    Partnership,
    Region,
    StakeholderType,
)
from .reference_data import DATA_DIR

# Demo member mix: (stakeholder type, is_sme, label used in the demo name, weight).
DEMO_MEMBER_MIX = [
    (StakeholderType.COMPANY, True, "SME", 24),
    (StakeholderType.COMPANY, False, "Large company", 8),
    (StakeholderType.VET_PROVIDER, None, "VET provider", 12),
    (StakeholderType.HIGHER_EDUCATION, None, "University", 7),
    (StakeholderType.REGIONAL_AUTHORITY, None, "Regional authority", 4),
    (StakeholderType.LOCAL_AUTHORITY, None, "Municipality", 6),
    (StakeholderType.BUSINESS_ASSOCIATION, None, "Business cluster", 7),
    (StakeholderType.CHAMBER, None, "Chamber of commerce", 4),
    (StakeholderType.EMPLOYERS_ORGANISATION, None, "Employers' organisation", 3),
    (StakeholderType.TRADE_UNION, None, "Trade union", 3),
    (StakeholderType.RESEARCH, None, "Research centre", 5),
    (StakeholderType.EMPLOYMENT_SERVICE, None, "Employment service", 3),
    (StakeholderType.NGO, None, "Civil-society organisation", 4),
]

# Lead types in the source file that map onto a company with the SME flag.
SOURCE_TYPES = {
    "company_sme": (StakeholderType.COMPANY, True),
    "company_large": (StakeholderType.COMPANY, False),
}


def read_partnerships():
    with open(DATA_DIR / "pact" / "partnerships.json", encoding="utf-8") as fh:
        return json.load(fh)["partnerships"]


def read_sourced_facts():
    """{slug: facts} from the enriched file: each fact a dict of value, source, unconfirmed (and a note)."""
    with open(DATA_DIR / "pact" / "partnerships_enriched.json", encoding="utf-8") as fh:
        return {row["slug"]: row for row in json.load(fh)["partnerships"]}


def parse_launch(value):
    """'2022-12' → (1 Dec 2022, month); '2021' → (1 Jan 2021, year); '2024-08-12' → (that day, day)."""
    if not value:
        return None, DatePrecision.DAY
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return datetime.date(parts[0], 1, 1), DatePrecision.YEAR
    if len(parts) == 2:
        return datetime.date(parts[0], parts[1], 1), DatePrecision.MONTH
    return datetime.date(*parts), DatePrecision.DAY


def _stakeholder(source_type):
    if source_type in SOURCE_TYPES:
        return SOURCE_TYPES[source_type]
    stakeholder_type = StakeholderType(source_type)
    return stakeholder_type, (False if stakeholder_type == StakeholderType.COMPANY else None)


def _demo_places(partnership, rng):
    """NUTS-3 (or finest available) regions where a partnership's demo members sit."""
    codes = list(partnership.regions.values_list("code", flat=True))
    if not codes:  # EU-wide: spread over a few Member States
        codes = rng.sample(sorted(EU_MEMBER_STATES), 6)
    places = []
    for code in codes:
        places += list(Region.objects.filter(code__startswith=code, level=3).values_list("code", "name"))
    return places or list(Region.objects.filter(code__in=codes).values_list("code", "name"))


def _sourced(fact):
    """The source fields of one fact of the enriched file."""
    return {"source_url": fact.get("source", ""), "is_confirmed": not fact.get("unconfirmed", False)}


def _text_fact(name, row, facts):
    """A text field with its source: the enriched fact when there is one, else the first file's text."""
    fact = facts.get(name)
    if fact is None:
        return {name: row.get(name, ""), f"{name}_source": "", f"{name}_confirmed": True}
    sourced = _sourced(fact)
    return {
        name: fact["value"],
        f"{name}_source": sourced["source_url"],
        f"{name}_confirmed": sourced["is_confirmed"],
    }


def _commitments(row, facts):
    if "commitments" not in facts:
        return row.get("commitments", [])
    return [{"text": fact["value"], **_sourced(fact)} for fact in facts["commitments"]]


def _targets(row, facts):
    if "kpis" not in facts:
        return [
            {"indicator": k["indicator"], "unit": k["unit"], "target": k["target"], "target_year": k["year"]}
            for k in row.get("kpis", [])
        ]
    return [
        {
            "indicator": fact["value"]["text"],
            "unit": fact["value"]["unit"],
            "target": fact["value"]["value"],
            "target_year": fact["value"]["year"],
            **_sourced(fact),
        }
        for fact in facts["kpis"]
    ]


def _stage_events(facts):
    events = []
    for fact in facts.get("stage_events", []):
        date, precision = parse_launch(fact.get("date"))
        events.append(
            {
                "stage": fact["stage"],
                "date": date,
                "precision": precision,
                "note": fact.get("note", ""),
                **_sourced(fact),
            }
        )
    return events


def _latest_fact_date(partnership, events):
    dates = [event["date"] for event in events if event["date"]]
    if partnership.launch_date:
        dates.append(partnership.launch_date)
    return max(dates, default=None)


def seed_partnership(row, *, facts=None, today=None):
    """Create or refresh one real partnership, its leads, pledges, history and demo members. Returns it."""
    today = today or datetime.date.today()
    facts = facts or {}
    launched = facts.get("launched")
    launch_date, precision = parse_launch(launched["value"] if launched else row.get("launched"))
    fields = {
        "kind": row["kind"],
        "scope": row["scope"],
        "name": row["name"],
        "acronym": row.get("acronym", ""),
        **_text_fact("challenge", row, facts),
        **_text_fact("ambition", row, facts),
        "launch_date": launch_date,
        "launch_date_precision": precision,
        "launch_date_source": launched["source"] if launched else "",
        "launch_date_confirmed": not launched.get("unconfirmed", False) if launched else True,
        "note": row.get("note", ""),
        "regions_confirmed": row.get("regions_certain", True),
        "is_published": True,
    }
    ecosystems = list(Ecosystem.objects.filter(slug__in=row["ecosystems"]))
    regions = row.get("regions", [])
    partnership = Partnership.objects.filter(slug=row["slug"]).first()
    if partnership is None:
        partnership = services.partnership_create(
            slug=row["slug"],
            ecosystems=ecosystems,
            regions=regions,
            stage=row["stage"],
            stage_changed_on=today,
            stage_note="Stage recorded from the Pact for Skills publications.",
            **fields,
        )
    else:
        services.partnership_update(partnership=partnership, ecosystems=ecosystems, regions=regions, **fields)

    services.partnership_set_pledges(
        partnership=partnership, commitments=_commitments(row, facts), targets=_targets(row, facts)
    )
    services.partnership_set_published_leads(
        partnership=partnership,
        leads=[
            {"name": fact["value"]["name"], "role": fact["value"].get("role", ""), **_sourced(fact)}
            for fact in facts.get("leads", [])
        ],
    )
    events = _stage_events(facts)
    # History moved live (by the stage workflow) is the registry's own record: the sources never replace it.
    if (
        partnership.stage == row["stage"]
        and not partnership.stage_changes.filter(changed_by__isnull=False).exists()
    ):
        services.stage_history_import(partnership=partnership, events=events, current_stage=row["stage"])
    current = set(partnership.memberships.current().values_list("organisation_id", flat=True))
    # A partnership whose source says "coordinator": null is led jointly, without a coordinator.
    has_coordinator = row.get("coordinator", True) is not None
    for lead in row.get("leads", []):
        stakeholder_type, is_sme = _stakeholder(lead["type"])
        organisation, _ = services.organisation_get_or_create(
            name=lead["name"],
            country_code=lead["country"],
            region_code=lead.get("region"),
            stakeholder_type=stakeholder_type,
            is_sme=is_sme,
        )
        if organisation.pk not in current:
            services.membership_add(
                partnership=partnership,
                organisation=organisation,
                role=MembershipRole.COORDINATOR if has_coordinator else MembershipRole.MEMBER,
                is_lead=True,
                is_confirmed=lead.get("certain", True),
            )
            current.add(organisation.pk)

    _seed_demo_members(partnership, current, today=today)
    latest = _latest_fact_date(partnership, events)
    if latest is not None:
        # "Last updated" is the date of the newest published fact, not the day the demo was loaded.
        services.partnership_set_updated_at(partnership=partnership, updated_on=latest)
    return partnership


def _seed_demo_members(partnership, current, *, today):
    rng = random.Random(f"demo-members:{partnership.slug}")
    count = rng.randint(15, 28) if partnership.kind == "lsp" else rng.randint(7, 14)
    places = _demo_places(partnership, rng)
    weights = [mix[3] for mix in DEMO_MEMBER_MIX]
    start = partnership.launch_date or datetime.date(2021, 1, 1)
    for _ in range(count):
        stakeholder_type, is_sme, label, _weight = rng.choices(DEMO_MEMBER_MIX, weights)[0]
        code, place = rng.choice(places)
        # A small index per (type, place) lets neighbouring partnerships share demo members, as real ones do.
        name = f"Demo {label} {rng.randint(1, 3)} – {place}"
        organisation, _ = services.organisation_get_or_create(
            name=name,
            country_code=code[:2],
            region_code=code,
            stakeholder_type=stakeholder_type,
            is_sme=is_sme,
            is_demo=True,
        )
        # Draw every value before deciding to skip, so a second run walks the same sequence.
        joined = min(start + datetime.timedelta(days=rng.randint(0, 600)), today)
        role = MembershipRole.ASSOCIATE if rng.random() < 0.15 else MembershipRole.MEMBER
        if organisation.pk in current:
            continue
        services.membership_add(
            partnership=partnership,
            organisation=organisation,
            role=role,
            joined_on=joined,
            is_demo=True,
        )
        current.add(organisation.pk)


def seed_demo(*, progress=None):
    """Seed every real partnership; ``progress`` wraps the iterable (a progress bar)."""
    rows = read_partnerships()
    facts = read_sourced_facts()
    iterable = progress(rows) if progress else rows
    with transaction.atomic():
        for row in iterable:
            seed_partnership(row, facts=facts.get(row["slug"], {}))
    return len(rows)
