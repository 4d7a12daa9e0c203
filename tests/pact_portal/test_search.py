"""Accent-folded text search: "Ile-de-France" finds "Île-de-France" in every list that searches text, on the
database the suite runs on (SQLite by default, PostgreSQL with DATABASE_URL)."""

import pytest

from pact_portal.search import fold_text, search_terms, search_text
from partnerships import services
from partnerships.models import Organisation
from tests.commitments.builders import make_signed
from tests.partnerships.builders import make_organisation, make_partnership
from tests.support_services.builders import make_resource

pytestmark = pytest.mark.django_db

ACCENTED = "Île-de-France"
QUERY = "Ile-de-France"


def test_the_query_is_folded_like_the_column():
    assert fold_text("Région  Île-de-France") == "region ile de france"
    assert search_terms("ÉCOLE   d'été!") == ["ecole", "d", "ete"]
    assert search_terms("a b c d e f g h i j") == list("abcdefgh")


def test_every_word_must_occur_in_one_of_the_fields():
    wanted = make_organisation(name=f"Lycée technique {ACCENTED}")
    make_organisation(name="Lycée technique de Lyon")
    found = search_text(Organisation.objects.all(), "TECHNIQUE ile de", ["name", "website"])
    assert list(found) == [wanted]
    assert search_text(Organisation.objects.all(), "  ", ["name"]).count() == Organisation.objects.count()


def _resource():
    make_resource(title="Regional observatory handbook")
    return make_resource(title=f"{ACCENTED} skills handbook").title


def _kpi_partnership():
    make_signed(partnership=make_partnership(name="Lombardy welding partnership", members=3))
    return make_signed(
        partnership=make_partnership(name=f"{ACCENTED} welding pact", members=3)
    ).partnership.name


def _organisation():
    """Organisations are listed while they belong to a published partnership."""
    partnership = make_partnership()
    for name in ("Centre de formation de Lyon", f"Centre de formation {ACCENTED}"):
        services.membership_add(partnership=partnership, organisation=make_organisation(name=name))
    return f"Centre de formation {ACCENTED}"


def _partnership():
    make_partnership(name="Welding skills of Lombardy")
    return make_partnership(name=f"Welding skills of {ACCENTED}").name


@pytest.mark.parametrize(
    ("url", "build", "other"),
    [
        ("/resources/", _resource, "Regional observatory handbook"),
        ("/resources/kpis/", _kpi_partnership, "Lombardy welding partnership"),
        ("/organisations/", _organisation, "Centre de formation de Lyon"),
        ("/partnerships/", _partnership, "Welding skills of Lombardy"),
    ],
    ids=["resources", "kpi-repository", "organisations", "partnerships"],
)
def test_a_query_without_accents_finds_the_accented_name(client, url, build, other):
    expected = build()
    html = client.get(url, {"q": QUERY}).content.decode()
    assert expected in html and other not in html
