"""Cached public pages are answered by CachedPageMiddleware, before sessions, CSRF, authentication and messages,
with the same headers as a page the view renders."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60


def answered_early(response):
    """AuthenticationMiddleware sets request.user: a request that never reached it was answered above it."""
    return not hasattr(response.wsgi_request, "user")


def test_a_cached_page_is_answered_before_the_middleware_it_does_not_need(
    client, demo_registry, page_cache, count_queries
):
    first = client.get("/partnerships/?kind=rsp")
    assert not answered_early(first)
    second = client.get("/partnerships/?kind=rsp")
    assert answered_early(second)
    assert second.content == first.content
    assert count_queries(client, "/partnerships/?kind=rsp") == 0


def test_an_early_answer_carries_the_security_headers(client, demo_registry, page_cache):
    client.get("/partnerships/beara-more/")
    response = client.get("/partnerships/beara-more/")
    assert answered_early(response)
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Content-Language"] == "en"
    assert "Cookie" in response["Vary"] and "Accept-Language" in response["Vary"]
    assert not response.cookies


def test_each_language_gets_its_own_early_answer(client, demo_registry, page_cache):
    client.get("/partnerships/", headers={"accept-language": "fr"})
    client.get("/partnerships/", headers={"accept-language": "en"})
    french = client.get("/partnerships/", headers={"accept-language": "fr"})
    english = client.get("/partnerships/", headers={"accept-language": "en"})
    assert answered_early(french) and answered_early(english)
    assert french["Content-Language"] == "fr" and english["Content-Language"] == "en"
    assert french.content != english.content
    assert '<html lang="fr"' in french.content.decode()


def test_visitors_with_a_session_or_other_parameters_go_through_the_whole_stack(
    client, admin_client, demo_registry, page_cache
):
    client.get("/partnerships/")
    assert answered_early(client.get("/partnerships/"))
    assert not answered_early(admin_client.get("/partnerships/"))
    assert not answered_early(client.get("/partnerships/?utm_source=newsletter"))
    assert not answered_early(client.post("/partnerships/"))


def test_nothing_is_answered_early_with_the_page_cache_off(client, demo_registry):
    client.get("/partnerships/")
    assert not answered_early(client.get("/partnerships/"))
