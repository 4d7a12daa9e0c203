import datetime

import pytest
from django.core.management import call_command

from partnerships.demo import read_partnerships
from partnerships.models import Membership, Organisation, Partnership, PledgedTarget, StageChange

pytestmark = pytest.mark.django_db


def registry_counts():
    return {
        model.__name__: model.objects.count()
        for model in (Partnership, Organisation, Membership, PledgedTarget, StageChange)
    }


def test_seed_demo_twice_gives_the_same_registry():
    call_command("seed_demo", verbosity=0)
    first = registry_counts()
    call_command("seed_demo", verbosity=0)
    assert registry_counts() == first
    assert first["Partnership"] == 24


def test_seed_demo_loads_the_real_partnerships_with_their_facts(demo_registry):
    assert Partnership.objects.filter(kind="rsp").count() == 8
    assert Partnership.objects.filter(kind="lsp").count() == 16
    lombardy = Partnership.objects.get(slug="lombardy-rsp")
    assert [r.code for r in lombardy.regions.all()] == ["ITC4"]
    assert {e.slug for e in lombardy.ecosystems.all()} == {
        "health",
        "energy-intensive-industries",
        "cultural-creative-industries",
    }
    assert lombardy.stage == "delivery"
    assert (lombardy.launch_date, lombardy.launch_date_precision) == (datetime.date(2022, 12, 1), "month")
    coordinator = lombardy.memberships.get(role="coordinator")
    assert coordinator.organisation.name == "Regione Lombardia" and not coordinator.organisation.is_demo
    bari = Partnership.objects.get(slug="bari-metropolitan-rsp")
    assert bari.pledged_targets.get(indicator="People trained").target == 150


def test_every_partnership_in_the_source_is_seeded(demo_registry):
    assert set(Partnership.objects.values_list("slug", flat=True)) == {
        row["slug"] for row in read_partnerships()
    }


def test_a_partnership_without_coordinator_keeps_its_leads_as_members(demo_registry):
    beara = Partnership.objects.get(slug="beara-more")
    leads = beara.memberships.filter(is_lead=True)
    assert leads.count() == 6
    assert not beara.memberships.filter(role="coordinator").exists()
    boatyard = leads.get(organisation__name="Bere Island Boatyard").organisation
    assert boatyard.stakeholder_type == "company" and boatyard.is_sme is True


def test_uncertain_facts_are_marked(demo_registry):
    ecrn = Partnership.objects.get(slug="ecrn-rsp")
    assert ecrn.regions_confirmed is False
    assert ecrn.memberships.get(is_lead=True).is_confirmed is False


def test_invented_members_are_labelled_demo_and_mixed(demo_registry):
    for partnership in Partnership.objects.all():
        demo = partnership.memberships.filter(is_demo=True)
        assert demo.count() >= 7, partnership.slug
        assert not demo.filter(organisation__is_demo=False).exists()
    demo_orgs = Organisation.objects.filter(is_demo=True)
    assert all(org.name.startswith("Demo ") for org in demo_orgs)
    types = set(demo_orgs.values_list("stakeholder_type", flat=True))
    assert {"company", "vet_provider", "local_authority"} <= types
    assert demo_orgs.filter(is_sme=True).exists() and demo_orgs.filter(is_sme=False).exists()
    # Only real facts are unlabelled.
    assert set(Organisation.objects.filter(is_demo=False).values_list("name", flat=True)) >= {
        "Regione Lombardia",
        "Cork County Council",
        "Ville de Paris",
    }


def test_demo_members_sit_in_the_partnership_regions(demo_registry):
    lombardy = Partnership.objects.get(slug="lombardy-rsp")
    regions = set(
        lombardy.memberships.filter(is_demo=True).values_list("organisation__region__code", flat=True)
    )
    assert regions and all(code.startswith("ITC4") for code in regions)
