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
