"""The registry's figures (counts, facets, key figures, statistics) are computed once per registry version, even
with the page cache off, and a write shows in them at once."""

import re
from datetime import date

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from pact_portal.cache import registry_figures
from pact_portal.lists import selection_key
from partnerships.models import Organisation, Partnership
from partnerships.synthetic import generate
from tests.partnerships.builders import make_organisation, make_partnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures_cache(settings):
    """The production setting (the test settings turn it off): figures kept per registry version."""
    settings.REGISTRY_FIGURES_CACHE_SECONDS = 600


def queries_of(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, (url, response.status_code)
    return [query["sql"] for query in captured]


def counting(queries):
    """The queries that count a whole selection (COUNT(*) of a paginator or an aggregate)."""
    return [sql for sql in queries if re.search(r"SELECT COUNT\(\*\)", sql, re.IGNORECASE)]


def figure(html, label):
    """The number shown after a key figure's label on the home page."""
    found = re.search(re.escape(label) + r"</dt><dd[^>]*>([\d,\s\u202f\xa0.]+)</dd>", html)
    assert found, label
    return int(re.sub(r"\D", "", found.group(1)))


def test_the_figures_of_a_page_are_computed_once_per_registry_version(client, demo_registry, figures_cache):
    first = queries_of(client, "/statistics/")
    assert first
    assert queries_of(client, "/statistics/") == []  # the page itself is not cached: only its figures are
    first_home = queries_of(client, "/")
    assert len(queries_of(client, "/")) < len(first_home)


def test_the_key_figures_show_a_write_at_once(
    client, demo_registry, figures_cache, django_capture_on_commit_callbacks
):
    before = figure(client.get("/").content.decode(), "Regional Skills Partnerships")
    home_queries = len(queries_of(client, "/"))
    with django_capture_on_commit_callbacks(execute=True):
        make_partnership(name="A freshly published partnership", kind="rsp", launch_date=date.today())
    html = client.get("/").content.decode()
    assert figure(html, "Regional Skills Partnerships") == before + 1
    assert "A freshly published partnership" in html  # the newest partnerships follow the version too
    assert len(queries_of(client, "/")) == home_queries


def test_a_list_counts_its_selection_once_whatever_the_page_and_order(client, demo_registry, figures_cache):
    generate(partnerships=60, organisations=200, memberships=600, seed=3)
    assert counting(queries_of(client, "/partnerships/?kind=rsp"))
    for url in ("/partnerships/?kind=rsp&page=2", "/partnerships/?sort=newest&kind=rsp&page=3"):
        assert not counting(queries_of(client, url)), url
    assert counting(queries_of(client, "/partnerships/?kind=lsp"))  # another selection is counted anew


def test_the_facet_counts_of_a_list_are_kept_with_the_selection(client, demo_registry, figures_cache):
    generate(partnerships=60, organisations=200, memberships=600, seed=3)
    first = queries_of(client, "/partnerships/")
    later = queries_of(client, "/partnerships/?page=2")
    assert len(later) < len(first)
    page_one, page_two = client.get("/partnerships/"), client.get("/partnerships/?page=2")
    assert page_one.context["options"] == page_two.context["options"]


def test_the_organisation_directory_counts_its_members_once(
    client, demo_registry, figures_cache, django_capture_on_commit_callbacks
):
    generate(partnerships=30, organisations=200, memberships=600, seed=5)
    shown = client.get("/organisations/").context["page_obj"].paginator.count
    assert shown == Organisation.objects.current_members().count()
    assert not counting(queries_of(client, "/organisations/?page=2"))
    with django_capture_on_commit_callbacks(execute=True):
        make_partnership(members=1)  # one new organisation joins a published partnership
    assert client.get("/organisations/?page=2").context["page_obj"].paginator.count == shown + 1


def test_the_directory_shows_each_page_in_order_with_its_counts(client, demo_registry):
    generate(partnerships=30, organisations=200, memberships=600, seed=5)
    expected = list(Organisation.objects.current_members().order_by("name", "pk"))[50:100]
    rows = client.get("/organisations/?page=2").context["page_obj"].object_list
    assert [o.pk for o in rows] == [o.pk for o in expected]
    for organisation in rows[:5]:
        assert organisation.partnership_count == (
            organisation.memberships.filter(left_on__isnull=True, partnership__is_published=True).count()
        )


def test_an_unpublished_partnership_counts_nowhere(client, demo_registry, figures_cache):
    before = client.get("/partnerships/").context["page_obj"].paginator.count
    make_partnership(is_published=False)
    assert client.get("/partnerships/").context["page_obj"].paginator.count == before
    assert Partnership.objects.published().count() == before


def test_figures_are_kept_per_language(demo_registry, figures_cache):
    with translation.override("fr"):
        french = registry_figures("label", lambda: translation.gettext("Partnerships"))
    english = registry_figures("label", lambda: translation.gettext("Partnerships"))
    assert english == "Partnerships" and french != english


def test_figures_are_computed_when_the_cache_is_down(demo_registry, figures_cache, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr("pact_portal.cache.cache.get", down)
    assert registry_figures("answer", lambda: 42) == 42


def test_a_selection_key_ignores_the_page_the_order_and_the_parameters_order():
    assert selection_key(QueryDict("kind=rsp&country=IT&page=3&sort=newest")) == selection_key(
        QueryDict("country=IT&kind=rsp")
    )
    assert selection_key(QueryDict("kind=rsp")) != selection_key(QueryDict("kind=lsp"))


def test_region_pages_count_their_members_once(client, demo_registry, figures_cache):
    make_organisation(region="ITC4")  # not a member: not counted
    first = queries_of(client, "/regions/ITC4/")
    assert counting(first)
    assert not counting(queries_of(client, "/regions/ITC4/?page=1"))
