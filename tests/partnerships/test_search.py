"""The partnership search index follows every change to what is searched (on SQLite an FTS5 table, on
PostgreSQL a stored vector, both written by the services), and no query text can break it."""

import pytest

from partnerships import services
from partnerships.models import Partnership
from tests.partnerships.builders import (
    make_coordinator,
    make_join_request,
    make_organisation,
    make_partnership,
)

pytestmark = pytest.mark.django_db

LIST = "/partnerships/"


def found(client, q):
    response = client.get(LIST, {"q": q})
    assert response.status_code == 200
    return [p.slug for p in response.context["page_obj"].object_list]


def test_a_renamed_partnership_is_found_by_its_new_name_only(client, reference_data):
    partnership = make_partnership(name="Danube Welding Academy")
    assert found(client, "danube welding") == [partnership.slug]
    services.partnership_update(partnership=partnership, name="Tisza Welding Academy")
    assert found(client, "danube") == []
    assert found(client, "tisza weld") == [partnership.slug]


def test_members_are_found_once_confirmed_and_lost_when_they_leave_or_are_renamed(client, reference_data):
    partnership = make_partnership(name="Saxony Automotive Skills")
    coordinator = make_coordinator(partnership)
    join_request = make_join_request(partnership, organisation_name="Zwickauer Getriebewerk")
    services.join_request_accept(join_request=join_request, by=coordinator, message="")
    assert found(client, "Zwickauer Getriebewerk") == []  # accepted, not yet confirmed
    services.join_request_confirm(join_request=join_request, by=coordinator)
    assert found(client, "Zwickauer Getriebewerk") == [partnership.slug]

    organisation = join_request.membership.organisation
    organisation.name = "Chemnitzer Getriebewerk"
    services.organisation_save(organisation=organisation)
    assert found(client, "Zwickauer") == []
    assert found(client, "chemnitzer getriebe") == [partnership.slug]

    services.membership_end(membership=join_request.membership)
    assert found(client, "Chemnitzer") == []


def test_a_deleted_membership_no_longer_finds_its_partnership(client, reference_data):
    partnership = make_partnership(name="Carpathian Forestry Skills")
    organisation = make_organisation(name="Brasov Sawmill Cooperative")
    membership = services.membership_add(partnership=partnership, organisation=organisation)
    assert found(client, "Brasov Sawmill") == [partnership.slug]
    services.membership_delete(memberships=[membership])
    assert found(client, "Brasov Sawmill") == []


def test_unpublished_and_deleted_partnerships_are_not_found(client, reference_data):
    partnership = make_partnership(name="Aegean Shipbuilding Skills")
    assert found(client, "Aegean") == [partnership.slug]
    services.partnership_update(partnership=partnership, is_published=False)
    assert found(client, "Aegean") == []
    services.partnership_update(partnership=partnership, is_published=True)
    assert found(client, "Aegean") == [partnership.slug]
    Partnership.objects.filter(pk=partnership.pk).delete()
    assert found(client, "Aegean") == []
    # A later partnership that is not about shipbuilding is not found by the deleted one's words.
    later = make_partnership(name="Ionian Tourism Skills")
    assert found(client, "Aegean") == [] and found(client, "Ionian") == [later.slug]


def test_a_name_match_ranks_above_a_member_name_match(client, demo_registry):
    # Beara's members include Cork County Council; a partnership named after Cork comes first.
    named = make_partnership(name="Cork Harbour Maritime Skills")
    results = found(client, "cork")
    assert results[0] == named.slug and "beara-more" in results


# Folded, each of these is only "beara" (and "peninsula"): the partnership is found.
FINDS_BEARA = [
    '"Beara',
    'Beara"',
    "Beara*",
    "**Beara",
    "-Beara",
    "Beara -Peninsula",
    "^Beara",
    "(Beara",
    "Beara)",
    "(Beara Peninsula)",
    "+Beara",
    "'Beara'",
    "Beara;",
    ":Beara",
]
# FTS5 operators and column filters are words like any other; punctuation alone searches for nothing.
OTHERS = [
    '"',
    "*",
    "()",
    "NEAR(Beara Peninsula)",
    "Beara NEAR/2 Peninsula",
    "Beara AND Peninsula",
    "Beara OR",
    "NOT Beara",
    "name:Beara",
    "{name acronym}:Beara",
    "Beara\x00Peninsula",
    "\x00",
]


@pytest.mark.parametrize("q", FINDS_BEARA)
def test_query_syntax_characters_are_taken_as_text(client, demo_registry, q):
    assert "beara-more" in found(client, q)


@pytest.mark.parametrize("q", OTHERS)
def test_query_operators_never_break_the_search(client, demo_registry, q):
    response = client.get(LIST, {"q": q})
    assert response.status_code == 200
    assert (
        "Beara Peninsula" in response.content.decode() or "0 partnerships found" in response.content.decode()
    )
