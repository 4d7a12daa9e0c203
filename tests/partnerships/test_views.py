import re

import pytest
from django.urls import reverse

from partnerships import services
from partnerships.models import Partnership
from tests.partnerships.builders import make_organisation, make_partnership

pytestmark = pytest.mark.django_db


def test_home_shows_key_figures_and_the_partnerships(client, demo_registry):
    response = client.get("/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Regional Skills Partnerships" in content
    assert "Bari Metropolitan Area Regional Skills Partnership" in content  # launched November 2024: newest
    assert "Browse all 24 partnerships" in content
    assert response.context["figures"]["rsp_count"] == 8
    assert response.context["figures"]["people_to_upskill"] == 4_350_150
    assert 'href="/expression-of-interest/"' in content  # the call to file an Expression of Interest
    assert response.context["figures"]["lsp_count"] == 16
    assert 'href="#main"' in content  # skip link


def test_unpublished_partnerships_are_not_public(client, demo_registry):
    services.partnership_update(partnership=Partnership.objects.get(slug="paris-rsp"), is_published=False)
    assert "Municipality of Paris" not in client.get("/partnerships/").content.decode()
    assert client.get("/partnerships/paris-rsp/").status_code == 404


def test_profile_labels_demo_members_and_shows_leads(client, demo_registry):
    content = client.get(reverse("partnerships:detail", args=["beara-more"])).content.decode()
    assert "Bere Island Projects Group" in content
    assert "leading organisation" in content
    assert "Demo</span>" in content


def test_profile_query_count_does_not_grow_with_members(client, count_queries, demo_registry):
    lsp = Partnership.objects.get(slug="tourism-lsp")
    assert count_queries(client, lsp.get_absolute_url()) <= 12


def test_organisation_page_lists_its_partnerships(client, demo_registry):
    organisation = (
        Partnership.objects.get(slug="lombardy-rsp").memberships.get(role="coordinator").organisation
    )
    content = client.get(organisation.get_absolute_url()).content.decode()
    assert "Lombardy Region Regional Skills Partnership" in content and "Coordinator" in content


def test_admin_login_renders(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert 'name="username"' in response.content.decode()


def test_healthz_reports_database_and_cache(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_language_switch_sets_the_page_language(client):
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/"}, follow=True)
    assert response.status_code == 200
    assert '<html lang="fr">' in response.content.decode()


def test_user_content_is_escaped(client, db):
    from tests.partnerships.builders import make_partnership

    partnership = make_partnership(name="<script>alert(1)</script> Skills")
    content = client.get(partnership.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


@pytest.mark.parametrize(
    ("language", "words"),
    [("fr", ["Partenariats", "Appliquer les filtres"]), ("de", ["Partnerschaften", "Filter anwenden"])],
)
def test_interface_switches_language_and_content_stays_original(client, demo_registry, language, words):
    response = client.post("/i18n/setlang/", {"language": language, "next": "/partnerships/"}, follow=True)
    content = response.content.decode()
    assert f'<html lang="{language}">' in content
    for word in words:
        assert word in content
    assert "Lombardy Region Regional Skills Partnership" in content  # partnership texts are not translated


def test_profile_marks_leading_members_but_not_the_coordinator_who_always_leads(client, reference_data):
    partnership = make_partnership(name="Stonemasons Skills Partnership")
    for name, role, is_lead in [
        ("Carrara Marble School", "coordinator", None),
        ("Verona Quarry Union", "member", True),
    ]:
        services.membership_add(
            partnership=partnership, organisation=make_organisation(name=name), role=role, is_lead=is_lead
        )
    html = re.sub(r"\s+", " ", client.get(partnership.get_absolute_url()).content.decode())
    assert "Coordinator</span>" in html and "Coordinator · leading organisation" not in html
    assert "Member · leading organisation</span>" in html
