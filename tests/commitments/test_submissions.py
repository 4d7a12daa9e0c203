"""Each submission of a declaration is kept; the reviewer compares any two versions, field by field with
readable labels, above the review buttons, including a resubmission after "changes requested"."""

import re

import pytest
from django.urls import reverse

from commitments import services
from commitments.models import DeclarationSubmission
from tests.commitments.builders import make_draft, make_signed
from tests.partnerships.builders import make_coordinator, make_staff

pytestmark = pytest.mark.django_db


def change_url(declaration, **query):
    url = reverse("admin:commitments_declaration_change", args=[declaration.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def resave(declaration, **changes):
    content = {
        "challenge": declaration.challenge,
        "ambition": declaration.ambition,
        "principles": {"principle_lifelong_learning", "principle_partnerships"},
        "objectives": [o.text for o in declaration.objectives.all()],
        "actions": [],
        "kpis": [
            {k: getattr(kpi, k) for k in ("indicator", "unit", "baseline", "target", "target_year")}
            for kpi in declaration.kpis.all()
        ],
        **changes,
    }
    services.declaration_save_content(declaration=declaration, **content)


@pytest.fixture
def resubmitted():
    """A declaration submitted, sent back with "changes requested", changed by its coordinator and resubmitted."""
    staff = make_staff()
    declaration = make_draft()
    coordinator = make_coordinator(declaration.partnership)
    services.declaration_submit(declaration=declaration, actor=coordinator)
    services.declaration_request_changes(declaration=declaration, actor=staff, comment="Add an objective.")
    declaration.refresh_from_db()
    resave(
        declaration,
        challenge="Welders are scarce around the lake.",
        objectives=["Objective number 1", "Objective number 2", "Open a welding academy"],
        principles={"principle_lifelong_learning", "principle_partnerships", "principle_equality"},
    )
    services.declaration_submit(declaration=declaration, actor=coordinator)
    declaration.refresh_from_db()
    return declaration, staff, coordinator


def test_each_submission_keeps_the_content_submitted(resubmitted):
    declaration, _staff, coordinator = resubmitted
    first, second = DeclarationSubmission.objects.filter(declaration=declaration)
    assert (first.number, second.number) == (1, 2)
    assert first.submitted_by == coordinator
    assert first.content["challenge"] == "Shortage of welders and digital skills in manufacturing."
    assert second.content["challenge"] == "Welders are scarce around the lake."
    assert second.content["objectives"][-1] == "Open a welding academy"


def test_the_reviewer_sees_the_resubmission_against_the_first_above_the_buttons(client, resubmitted):
    declaration, staff, _coordinator = resubmitted
    client.force_login(staff)
    page = client.get(change_url(declaration)).content.decode()
    comparison = page.index("Compare versions")
    assert comparison < page.index('name="request_changes"') and comparison < page.index('name="approve"')
    table = re.search(r'<table class="comparison">.*?</table>', page, re.S).group(0)
    assert "From v1, submission 1" in table and "to v1, submission 2" in table
    assert "Skills challenge" in table
    assert "Shortage of welders and digital skills in manufacturing." in table
    assert "Welders are scarce around the lake." in table
    assert "<strong>Added:</strong> Open a welding academy" in table
    assert "Work against discrimination and for gender equality and equal opportunities" in table
    assert "principle_equality" not in table and "{" not in table  # labels, never raw data
    assert "Ambition" not in table  # unchanged fields are counted, not shown
    assert "fields unchanged, not shown." in table


def test_any_two_versions_are_chosen_by_a_get_form(client, resubmitted):
    declaration, staff, _coordinator = resubmitted
    client.force_login(staff)
    first, second = DeclarationSubmission.objects.filter(declaration=declaration)
    page = client.get(change_url(declaration)).content.decode()
    assert '<form method="get" class="comparison-choice">' in page
    assert (
        f'<option value="s{first.pk}" selected>' in page and f'<option value="s{second.pk}" selected>' in page
    )
    # Reversed: what the second added shows as removed.
    page = client.get(change_url(declaration, compare_from=f"s{second.pk}", compare_to=f"s{first.pk}"))
    assert "<strong>Removed:</strong> <del>Open a welding academy</del>" in page.content.decode()
    # The same version twice: nothing changed.
    page = client.get(change_url(declaration, compare_from=f"s{first.pk}", compare_to=f"s{first.pk}"))
    assert "No change in content." in page.content.decode()


def test_an_unknown_choice_falls_back_to_the_default_with_a_message(client, resubmitted):
    declaration, staff, _coordinator = resubmitted
    client.force_login(staff)
    response = client.get(change_url(declaration, compare_from="s999999", compare_to="x';--"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose two versions from the lists." in page and "Open a welding academy" in page


def test_a_new_version_is_compared_with_the_previous_signed_one(client):
    signed = make_signed()
    staff = make_staff()
    draft = services.declaration_create(partnership=signed.partnership)
    resave(draft, challenge="A brand-new challenge", objectives=["Objective number 1"])
    client.force_login(staff)
    page = client.get(change_url(draft)).content.decode()
    assert "From v1, submission 1" in page and "to v2 as it stands (Draft)" in page
    assert "A brand-new challenge" in page
    assert "<strong>Removed:</strong> <del>Objective number 2</del>" in page


def test_a_first_submission_has_nothing_to_compare(client):
    declaration = make_draft()
    services.declaration_submit(declaration=declaration)
    client.force_login(make_staff())
    page = client.get(change_url(declaration)).content.decode()
    assert "Only one version so far: nothing to compare." in page
