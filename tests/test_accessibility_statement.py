"""The accessibility statement: reachable from every page, translated, public and cacheable."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_statement_is_linked_from_the_footer_of_every_page(client):
    home = client.get(reverse("partnerships:home"))
    assert f'href="{reverse("accessibility")}"' in home.content.decode()


def test_statement_names_the_standard_and_how_to_report_a_barrier(client, settings):
    response = client.get("/accessibility/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>Accessibility statement</h1>" in body
    assert "WCAG" in body and "2.1" in body and "AA" in body
    assert f"mailto:{settings.SUPPORT_SERVICES_EMAIL}" in body


@pytest.mark.parametrize(
    ("language", "heading"), [("fr", "Déclaration d’accessibilité"), ("de", "Erklärung zur Barrierefreiheit")]
)
def test_statement_is_translated(client, language, heading):
    response = client.get("/accessibility/", HTTP_ACCEPT_LANGUAGE=language)
    assert heading in response.content.decode()


def test_statement_follows_the_eu_model_and_says_what_was_tested_and_what_is_left(client):
    """The sections of the model statement of Directive (EU) 2016/2102, and the method in plain words."""
    body = client.get("/accessibility/").content.decode()
    sections = [
        "Compliance status",
        "Non-accessible content",
        "Preparation of this accessibility statement",
        "Feedback and contact information",
        "Enforcement procedure",
    ]
    positions = [body.index(f">{section}</h2>") for section in sections]
    assert positions == sorted(positions)
    assert "partially compliant" in body and "EN 301 549" in body and "WCAG 2.2" in body
    assert "axe-core" in body and "390 × 844" in body and "320 pixels" in body
    assert "What is left to do:" in body
    assert "https://www.ombudsman.europa.eu/" in body
