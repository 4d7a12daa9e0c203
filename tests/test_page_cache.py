"""Whole-page caching of public pages: served from the cache, and never stale after a write."""

import django_filters
import pytest
from django.core.cache import cache
from django.http import HttpResponse

from pact_portal.cache import public_page
from partnerships import services
from partnerships.models import Partnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache(settings):
    """The production setting: anonymous public pages are cached whole (the cache starts empty, conftest)."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60


def test_second_visit_is_served_from_the_cache(client, demo_registry, page_cache, count_queries):
    first = client.get("/partnerships/beara-more/")
    assert count_queries(client, "/partnerships/beara-more/") == 0
    second = client.get("/partnerships/beara-more/")
    assert first.content == second.content
    assert "Cookie" in second["Vary"]
    assert "csrftoken" not in second.cookies


def test_a_write_shows_at_once(client, demo_registry, page_cache, django_capture_on_commit_callbacks):
    client.get("/partnerships/beara-more/")
    with django_capture_on_commit_callbacks(execute=True):
        services.partnership_update(
            partnership=Partnership.objects.get(slug="beara-more"), summary="A freshly written summary."
        )
    assert "A freshly written summary." in client.get("/partnerships/beara-more/").content.decode()


def test_languages_are_cached_apart(client, demo_registry, page_cache):
    english = client.get("/partnerships/").content
    french = client.get("/partnerships/", HTTP_ACCEPT_LANGUAGE="fr").content
    assert b'lang="fr"' in french and b'lang="en"' in english


def test_signed_in_users_get_fresh_pages(admin_client, demo_registry, page_cache, count_queries):
    admin_client.get("/statistics/")
    assert count_queries(admin_client, "/statistics/") > 0


def test_pages_with_a_message_are_not_cached(client, demo_registry, page_cache, count_queries):
    assert "This filter was ignored" in client.get("/partnerships/?kind=nonsense").content.decode()
    assert count_queries(client, "/partnerships/?kind=nonsense") > 0


def test_pledges_written_in_bulk_show_at_once(
    client, demo_registry, page_cache, django_capture_on_commit_callbacks
):
    client.get("/partnerships/beara-more/")
    with django_capture_on_commit_callbacks(execute=True):
        services.partnership_set_pledges(
            partnership=Partnership.objects.get(slug="beara-more"),
            commitments=["Open a marine skills centre on the peninsula"],
            targets=[],
        )
    assert "Open a marine skills centre" in client.get("/partnerships/beara-more/").content.decode()


def test_unknown_parameters_bypass_the_cache(client, demo_registry, page_cache, count_queries):
    client.get("/partnerships/?utm_source=spam1")
    assert count_queries(client, "/partnerships/?utm_source=spam1") > 0


def test_anonymous_visitors_never_get_a_signed_in_page(client, admin_client, demo_registry, page_cache):
    staff_page = admin_client.get("/partnerships/").content.decode()
    assert "Support services workspace" in staff_page
    assert "Support services workspace" not in client.get("/partnerships/").content.decode()


def test_pages_are_served_when_the_cache_is_down(client, demo_registry, page_cache, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache unreachable")

    monkeypatch.setattr(cache, "get", broken)
    monkeypatch.setattr(cache, "set", broken)
    response = client.get("/partnerships/beara-more/")
    assert response.status_code == 200 and "Beara" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/partnerships/?kind=lsp&sort=newest&page=1",
        "/organisations/?sme=true&stakeholder_type=company",
        "/events/?when=past&attendance=online",
        "/resources/?language=en&funding=open",
        "/resources/kpis/?stage=delivery&q=skills",
    ],
)
def test_filtered_list_pages_are_cached(client, demo_registry, page_cache, count_queries, url):
    first = client.get(url)
    assert first.status_code == 200 and not list(first.context["messages"])
    assert count_queries(client, url) == 0


def _counting_view(calls):
    def view(request):
        calls.append(request.get_full_path())
        return HttpResponse(f"colour {request.GET.get('colour', '')}")

    return view


class ColourFilter(django_filters.FilterSet):
    colour = django_filters.CharFilter()


@pytest.mark.parametrize("vary_on", [["colour"], [ColourFilter]], ids=["names", "filterset"])
def test_a_parameter_a_view_declares_is_cached_others_bypass_the_cache(rf, page_cache, vary_on):
    """A new filter needs no change to pact_portal/cache.py: the view's declaration is the list."""
    calls = []
    view = public_page(vary_on=vary_on)(_counting_view(calls))
    assert view.cache_parameters == {"colour", "lang"}  # every page can be asked for in one language
    for _ in range(2):
        assert view(rf.get("/colours/", {"colour": "teal"})).content == b"colour teal"
    assert calls == ["/colours/?colour=teal"]  # the second answer came from the cache
    for _ in range(2):
        view(rf.get("/colours/", {"colour": "teal", "shade": "dark"}))
    assert calls[1:] == ["/colours/?colour=teal&shade=dark"] * 2  # undeclared: answered, never cached


def test_a_page_that_declares_nothing_is_cached_only_without_parameters(rf, page_cache):
    calls = []
    view = public_page(_counting_view(calls))
    view(rf.get("/"))
    view(rf.get("/"))
    view(rf.get("/", {"page": "2"}))
    assert calls == ["/", "/?page=2"]
