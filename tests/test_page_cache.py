"""Whole-page caching of public pages: served from the cache, and never stale after a write."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnerships import services
from partnerships.models import Partnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, len(queries)


def test_second_visit_is_served_from_the_cache(client, demo_registry, page_cache):
    first, first_queries = queries_for(client, "/partnerships/beara-more/")
    second, second_queries = queries_for(client, "/partnerships/beara-more/")
    assert first_queries > 0 and second_queries == 0
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


def test_signed_in_users_get_fresh_pages(admin_client, demo_registry, page_cache):
    queries_for(admin_client, "/statistics/")
    _, again = queries_for(admin_client, "/statistics/")
    assert again > 0


def test_pages_with_a_message_are_not_cached(client, demo_registry, page_cache):
    client.get("/partnerships/?kind=nonsense")
    response, queries = queries_for(client, "/partnerships/?kind=nonsense")
    assert queries > 0 and "This filter was ignored" in response.content.decode()
