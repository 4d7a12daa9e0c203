import pytest
from django.test import Client


@pytest.mark.django_db
def test_not_found_page_is_styled_and_helpful(settings):
    settings.DEBUG = False
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "Page not found" in content and 'href="/partnerships/"' in content and 'lang="en"' in content


@pytest.mark.django_db
def test_server_error_page_renders_without_a_request_context(settings):
    settings.DEBUG = False
    from django.template.loader import get_template

    content = get_template("500.html").render({})
    assert "Something went wrong" in content and "<main" in content


@pytest.mark.django_db
def test_a_refusal_a_view_decides_on_is_the_same_page_with_a_way_back(rf):
    from django.contrib.auth.models import AnonymousUser

    from pact_portal.views import error_page

    request = rf.get("/newsletter/confirm/x/")
    request.user = AnonymousUser()
    response = error_page(
        request, 410, "This link has expired", "Ask again.", back=("/newsletter/", "Subscribe")
    )
    content = response.content.decode()
    assert response.status_code == 410 and "<h1>This link has expired</h1>" in content
    assert "Ask again." in content and '<a href="/newsletter/">Subscribe</a>' in content
    assert 'href="/partnerships/"' in content  # the way on every error page


@pytest.mark.django_db
def test_every_rate_limit_answers_with_the_one_429_page(client, settings):
    """The verification upload (commitments) and the newsletter form (support services) refuse alike."""
    settings.RATE_LIMIT_VERIFY_UPLOADS = "0/3600"
    settings.RATE_LIMIT_NEWSLETTER = "0/3600"
    verify = client.post("/verify/ABCDEFGHJKLMNPQR/", {})
    newsletter = client.post("/newsletter/", {"email": "ada@example.org", "language": "en", "consent": "on"})
    assert verify.status_code == newsletter.status_code == 429
    assert {template.name for template in verify.templates} >= {"429.html", "error.html"}
    assert {template.name for template in newsletter.templates} >= {"429.html", "error.html"}
