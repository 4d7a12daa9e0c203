import json

import pytest
from django.core.management import call_command

from partnerships.models import EU_MEMBER_STATES, Ecosystem, Region, RegionBoundary
from partnerships.reference_data import DATA_DIR

pytestmark = pytest.mark.django_db


def test_fifteen_ecosystems_are_loaded():
    assert Ecosystem.objects.count() == 15
    assert Ecosystem.objects.filter(slug="cross-sectoral", name="Cross-sectoral").exists()


def test_nuts_levels_are_complete_with_boundaries():
    counts = {level: Region.objects.filter(level=level).count() for level in range(4)}
    assert counts == {0: 38, 1: 111, 2: 289, 3: 1333}
    assert RegionBoundary.objects.count() == sum(counts.values())
    assert Region.objects.get(code="EL").name  # Greece is EL in NUTS


def test_every_member_state_has_regions_at_every_level():
    assert len(EU_MEMBER_STATES) == 27
    for country in sorted(EU_MEMBER_STATES):
        levels = set(Region.objects.filter(code__startswith=country).values_list("level", flat=True))
        assert levels == {0, 1, 2, 3}, country


def test_hierarchy_follows_the_codes():
    lombardy = Region.objects.select_related("parent__parent").get(code="ITC4")
    assert lombardy.name == "Lombardia"
    assert (lombardy.parent.code, lombardy.parent.parent.code) == ("ITC", "IT")
    assert Region.objects.get(code="ITF47").parent_id == "ITF4"


def test_every_nuts_code_used_by_the_seed_data_exists():
    rows = json.loads((DATA_DIR / "pact" / "partnerships.json").read_text())["partnerships"]
    codes = {code for row in rows for code in row.get("regions", [])}
    codes |= {lead["region"] for row in rows for lead in row.get("leads", []) if lead.get("region")}
    codes |= {lead["country"] for row in rows for lead in row.get("leads", [])}
    assert codes, "the seed data names regions"
    assert codes <= set(Region.objects.values_list("code", flat=True))


def test_reloading_reference_data_changes_nothing():
    before = (Region.objects.count(), Ecosystem.objects.count(), RegionBoundary.objects.count())
    call_command("load_reference_data", verbosity=0)
    assert (Region.objects.count(), Ecosystem.objects.count(), RegionBoundary.objects.count()) == before
