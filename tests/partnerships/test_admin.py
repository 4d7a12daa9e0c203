"""The support-services workspace: every model has a changelist that loads in a bounded number of queries."""

import pytest
from django.contrib import admin
from django.urls import reverse

from partnerships.models import Organisation, Partnership
from tests.partnerships.builders import make_organisation, make_partnership

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def changelist(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def add_rows(n):
    lsp = make_partnership(kind="lsp", ecosystems=("tourism",), members=2)
    for _ in range(n):
        make_partnership(regions=("ITC4", "ITF47"), ecosystems=("digital", "health"), members=3, parent=lsp)
        make_organisation(stakeholder_type="company", region="ITC4", is_sme=False)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_changelist_query_count_does_not_grow_with_rows(admin_client, model, count_queries):
    add_rows(2)
    few = count_queries(admin_client, changelist(model))
    add_rows(25)
    many = count_queries(admin_client, changelist(model))
    assert many <= few, f"{model._meta.label}: {few} queries with few rows, {many} with many"


def test_staff_see_the_real_partnerships_with_regions_and_ecosystems(admin_client, demo_registry):
    response = admin_client.get(reverse("admin:partnerships_partnership_changelist"))
    content = response.content.decode()
    assert "24 partnerships" in content
    assert "Lombardy Region Regional Skills Partnership" in content
    assert "ITC4" in content and "Energy-intensive industries" in content


def test_partnership_change_page_loads(admin_client, demo_registry):
    beara = Partnership.objects.get(slug="beara-more")
    response = admin_client.get(reverse("admin:partnerships_partnership_change", args=[beara.pk]))
    assert response.status_code == 200
    assert "Bere Island Boatyard" in response.content.decode()


def test_admin_refuses_a_duplicate_organisation_with_a_message(admin_client):
    make_organisation(name="Kerry County Council", country="IE", stakeholder_type="local_authority")
    response = admin_client.post(
        reverse("admin:partnerships_organisation_add"),
        {
            "name": "cork  county council",
            "slug": "ccc-2",
            "stakeholder_type": "local_authority",
            "country": "IE",
        },
    )
    assert response.status_code == 200
    assert "already registered" in response.content.decode()
    assert Organisation.objects.filter(normalised_name="kerry county council").count() == 1


def test_admin_adds_a_partnership_and_opens_its_stage_history(admin_client, admin_user):
    response = admin_client.post(
        reverse("admin:partnerships_partnership_add"),
        {
            "name": "Pomorskie Skills Partnership",
            "slug": "pomorskie",
            "kind": "rsp",
            "scope": "single_region",
            "regions": ["PL63"],
            "ecosystems": [],
            "launch_date_precision": "month",
            "regions_confirmed": "on",
            **{
                f"{prefix}-{key}": value
                for prefix in (
                    "memberships",
                    "coordinator_access",
                    "pledged_commitments",
                    "pledged_targets",
                    "stage_changes",
                )
                for key, value in {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0"}.items()
            },
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    partnership = Partnership.objects.get(slug="pomorskie")
    change = partnership.stage_changes.get()
    assert (change.to_stage, change.changed_by) == ("design", admin_user)


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(reverse("admin:partnerships_partnership_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
