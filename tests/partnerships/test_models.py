"""The database itself refuses rows that break the registry's invariants."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from partnerships import services
from partnerships.models import Membership, Organisation, Partnership, Region, StageChange
from support_services.services import partnership_move_stage
from tests.partnerships.builders import make_organisation, make_partnership

pytestmark = pytest.mark.django_db


def assert_db_refuses(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_duplicate_current_membership_is_refused_by_the_database():
    partnership = make_partnership()
    organisation = make_organisation()
    Membership.objects.create(partnership=partnership, organisation=organisation, role="member")
    assert_db_refuses(
        lambda: Membership.objects.create(partnership=partnership, organisation=organisation, role="member")
    )


def test_a_past_membership_does_not_block_rejoining():
    partnership = make_partnership()
    organisation = make_organisation()
    first = services.membership_add(partnership=partnership, organisation=organisation)
    services.membership_end(membership=first, left_on=datetime.date(2024, 1, 31))
    again = services.membership_add(partnership=partnership, organisation=organisation)
    assert again.is_current and not Membership.objects.get(pk=first.pk).is_current


def test_membership_service_explains_a_duplicate():
    partnership = make_partnership()
    organisation = make_organisation(name="Kerry Education and Training Board", country="IE")
    services.membership_add(partnership=partnership, organisation=organisation)
    with pytest.raises(ValidationError, match="already a member"):
        services.membership_add(partnership=partnership, organisation=organisation)


def test_invalid_stage_is_refused_by_the_database():
    partnership = make_partnership()
    assert_db_refuses(lambda: Partnership.objects.filter(pk=partnership.pk).update(stage="launched"))


def test_lsp_must_be_eu_wide_and_rsp_must_not():
    assert_db_refuses(
        lambda: Partnership.objects.create(name="X", slug="x", kind="lsp", scope="single_region")
    )
    assert_db_refuses(lambda: Partnership.objects.create(name="Y", slug="y", kind="rsp", scope="eu_wide"))


def test_region_level_must_match_its_code_and_parent():
    # ITC4 is level 2 and its parent is ITC; a level-3 claim or a wrong parent is refused.
    assert_db_refuses(
        lambda: Region.objects.create(code="ITZZ", name="Wrong level", level=3, parent_id="ITZ")
    )
    assert_db_refuses(
        lambda: Region.objects.create(code="ITC9", name="Wrong parent", level=2, parent_id="ITF")
    )
    assert_db_refuses(
        lambda: Region.objects.create(code="ZZ", name="Country with parent", level=0, parent_id="IT")
    )


def raw_organisation(name, **fields):
    """An organisation written straight to the table, past the services, to test the database's own rules."""
    defaults = {
        "normalised_name": name.lower(),
        "slug": name.lower(),
        "stakeholder_type": "ngo",
        "country_id": "IT",
    }
    return lambda: Organisation.objects.create(name=name, **{**defaults, **fields})


def test_organisation_region_must_lie_in_its_country():
    assert_db_refuses(raw_organisation("Misplaced", country_id="FR", region_id="ITC4"))


def test_sme_flag_only_for_companies_and_required_for_them():
    assert_db_refuses(raw_organisation("A", is_sme=True))
    assert_db_refuses(raw_organisation("B", stakeholder_type="company", is_sme=None))


def test_organisations_are_unique_by_normalised_name_per_country():
    services.organisation_create(
        name="Regione Liguria", country_code="IT", stakeholder_type="regional_authority"
    )
    found, created = services.organisation_get_or_create(
        name="  REGIONE   liguría ", country_code="IT", stakeholder_type="regional_authority"
    )
    assert not created and found.name == "Regione Liguria"
    assert_db_refuses(
        raw_organisation(
            "Regione-Liguria",
            normalised_name="regione liguria",
            slug="other",
            stakeholder_type="regional_authority",
        )
    )
    # The same name in another country is another organisation.
    _, created = services.organisation_get_or_create(
        name="Regione Liguria", country_code="CH", stakeholder_type="regional_authority"
    )
    assert created


def test_coordinator_is_always_a_lead():
    partnership = make_partnership()
    organisation = make_organisation()
    assert_db_refuses(
        lambda: Membership.objects.create(
            partnership=partnership, organisation=organisation, role="coordinator", is_lead=False
        )
    )


def test_stage_change_records_history_and_step_back_needs_a_reason():
    # Stage moves run on the stage workflow, declared with the checklists in support_services.
    partnership = make_partnership(stage="design")
    partnership_move_stage(partnership=partnership, to_stage="set_up", by=None, reason="Members agreed roles")
    with pytest.raises(ValidationError, match="reason"):
        partnership_move_stage(partnership=partnership, to_stage="design", by=None)
    partnership_move_stage(partnership=partnership, to_stage="design", by=None, reason="Scope reopened")
    history = list(StageChange.objects.filter(partnership=partnership).values_list("from_stage", "to_stage"))
    assert history == [("", "design"), ("design", "set_up"), ("set_up", "design")]
    assert Partnership.objects.get(pk=partnership.pk).stage == "design"


def test_stage_change_to_the_same_stage_is_refused_by_the_database():
    partnership = make_partnership()
    assert_db_refuses(
        lambda: StageChange.objects.create(
            partnership=partnership, from_stage="design", to_stage="design", changed_on=datetime.date.today()
        )
    )


def test_unknown_region_code_is_a_clear_error():
    with pytest.raises(ValidationError, match="XX99"):
        make_partnership(regions=("ITC4", "XX99"))


def test_umbrella_must_be_an_lsp():
    rsp = make_partnership()
    with pytest.raises(ValidationError, match="Large-Scale"):
        make_partnership(parent=rsp)
    lsp = make_partnership(kind="lsp", ecosystems=("tourism",))
    child = make_partnership(parent=lsp)
    assert list(lsp.regional_partnerships.all()) == [child]


# --- The rules written once, as queryset methods ---------------------------------------------------------


def test_published_current_and_public_page_rules():
    shown = make_partnership(name="Shown Skills Partnership")
    hidden = make_partnership(name="Hidden Skills Partnership", is_published=False)
    stays, leaves, hidden_only = make_organisation(), make_organisation(), make_organisation()
    services.membership_add(partnership=shown, organisation=stays)
    left = services.membership_add(partnership=shown, organisation=leaves)
    services.membership_end(membership=left, left_on=datetime.date(2024, 1, 31))
    services.membership_add(partnership=hidden, organisation=hidden_only)

    ours = {"pk__in": [shown.pk, hidden.pk]}  # the database may hold the demo registry too
    assert list(Partnership.objects.published().filter(**ours)) == [shown]
    assert set(shown.memberships.current().values_list("organisation", flat=True)) == {stays.pk}
    published = Membership.objects.of_published().filter(partnership__in=[shown, hidden])
    assert set(published.values_list("organisation", flat=True)) == {stays.pk, leaves.pk}
    organisations = Organisation.objects.filter(pk__in=[stays.pk, leaves.pk, hidden_only.pk])
    assert list(organisations.current_members()) == [stays]
    assert set(organisations.with_public_page()) == {stays, leaves}


def test_a_coordinator_membership_says_so():
    partnership = make_partnership(members=2)
    coordinator, member = partnership.memberships.order_by("-is_lead", "pk")
    assert coordinator.is_coordinator and not member.is_coordinator
