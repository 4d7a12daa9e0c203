"""The support services' workspace: the queue, the action buttons, notes, export; staff only."""

import json

import pytest
from django.urls import reverse

from partnerships.models import Partnership
from support_services.models import EoiEventKind, EoiStatus
from tests.partnerships.builders import make_staff, make_user

pytestmark = pytest.mark.django_db


def action_url(eoi, name):
    return reverse("admin:support_services_expressionofinterest_transition", args=[eoi.pk, name])


def change_url(eoi):
    return reverse("admin:support_services_expressionofinterest_change", args=[eoi.pk])


def test_staff_walk_an_application_through_assessment_to_acceptance(staff_client, make_in_status, staff):
    eoi = make_in_status(EoiStatus.SUBMITTED)
    page = staff_client.get(change_url(eoi)).content.decode()
    assert "Start assessment" in page and "Accept and create the partnership" not in page

    staff_client.post(action_url(eoi, "start_assessment"), {"note": ""})
    staff_client.post(action_url(eoi, "request_information"), {"note": "How many schools?"})
    eoi.refresh_from_db()
    assert eoi.status == EoiStatus.INFORMATION_REQUESTED and eoi.assigned_to == staff

    staff_client.post(action_url(eoi, "start_assessment"), {"note": "Answered by phone"})
    response = staff_client.post(
        action_url(eoi, "accept"), {"note": "Welcome", "confirmed": "yes"}, follow=True
    )
    eoi.refresh_from_db()
    assert eoi.status == EoiStatus.ACCEPTED
    assert eoi.partnership == Partnership.objects.get(stage="design", is_published=False)
    page = response.content.decode()
    assert "The status is now “Accepted”" in page
    # The timeline shows every step with who did it.
    for text in ("Submitted", "Under assessment", "Information requested", "How many schools?", "Welcome"):
        assert text in page
    assert "No action is open to you in this status." in page


def test_accept_and_decline_ask_for_confirmation_first(staff_client, make_in_status):
    eoi = make_in_status(EoiStatus.UNDER_ASSESSMENT)
    response = staff_client.post(action_url(eoi, "accept"), {"note": "Strong backing"})
    page = response.content.decode()
    assert response.status_code == 200 and "This cannot be undone." in page
    assert "Yes: Accept and create the partnership" in page and "Strong backing" in page
    assert "Internal: only the support services see it, never the applicant." in page
    response = staff_client.post(action_url(eoi, "decline"), {"note": "Out of scope"})
    assert "Public: shown to the applicant" in response.content.decode()
    eoi.refresh_from_db()
    assert eoi.status == EoiStatus.UNDER_ASSESSMENT and eoi.partnership is None


def test_the_note_fields_say_who_reads_them(staff_client, make_in_status):
    page = staff_client.get(change_url(make_in_status(EoiStatus.SUBMITTED))).content.decode()
    assert "Note for the timeline (optional)" in page
    assert "Internal: only the support services see it, never the applicant." in page
    page = staff_client.get(change_url(make_in_status(EoiStatus.UNDER_ASSESSMENT))).content.decode()
    assert "Question for the applicant (e-mailed)" in page and "Reason (e-mailed to the applicant)" in page
    assert "Public: shown to the applicant, and sent to them by e-mail" in page


def test_a_forbidden_action_shows_a_message_and_changes_nothing(staff_client, make_in_status):
    eoi = make_in_status(EoiStatus.SUBMITTED)
    response = staff_client.post(action_url(eoi, "accept"), {"confirmed": "yes"}, follow=True)
    eoi.refresh_from_db()
    assert eoi.status == EoiStatus.SUBMITTED
    assert "cannot become" in response.content.decode()
    # Refused before the confirmation step too: the reason, and back to the change page.
    response = staff_client.post(action_url(eoi, "decline"), {"note": "Too early"})
    assert response.status_code == 302 and response["Location"] == change_url(eoi)
    staff_client.post(action_url(eoi, "start_assessment"), {})
    response = staff_client.post(action_url(eoi, "decline"), {"note": "", "confirmed": "yes"}, follow=True)
    assert "Give the reason for declining" in response.content.decode()
    eoi.refresh_from_db()
    assert eoi.status == EoiStatus.UNDER_ASSESSMENT


def test_actions_are_post_only_and_unknown_actions_404(staff_client, make_in_status):
    eoi = make_in_status(EoiStatus.SUBMITTED)
    assert staff_client.get(action_url(eoi, "start_assessment")).status_code == 405
    assert staff_client.get(reverse("admin:support_services_eoi_note", args=[eoi.pk])).status_code == 405
    assert staff_client.post(action_url(eoi, "delete_everything"), {}).status_code == 404
    # The applicant's own steps are not admin actions.
    assert staff_client.post(action_url(eoi, "withdraw"), {}).status_code == 404
    eoi.refresh_from_db()
    assert eoi.status == EoiStatus.SUBMITTED


def test_anonymous_users_and_non_staff_cannot_reach_the_actions(client, make_in_status):
    eoi = make_in_status(EoiStatus.SUBMITTED)
    for url in (
        action_url(eoi, "start_assessment"),
        change_url(eoi),
        reverse("admin:support_services_eoi_export", args=[eoi.pk]),
    ):
        response = client.post(url, {})
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    applicant = make_user()
    client.force_login(applicant)
    response = client.post(action_url(eoi, "accept"), {})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    eoi.refresh_from_db()
    assert eoi.status == EoiStatus.SUBMITTED


def test_staff_without_the_permission_are_refused(client, make_in_status):
    eoi = make_in_status(EoiStatus.SUBMITTED)
    intern = make_staff(apps=())
    client.force_login(intern)
    assert client.post(action_url(eoi, "start_assessment"), {}).status_code == 403
    eoi.refresh_from_db()
    assert eoi.status == EoiStatus.SUBMITTED


def test_assignment_from_the_change_form_is_audited(staff_client, make_in_status):
    eoi = make_in_status(EoiStatus.SUBMITTED)
    colleague = make_staff(username="colleague", first_name="Jana", last_name="Novak")
    response = staff_client.post(change_url(eoi), {"assigned_to": colleague.pk, "_continue": "1"})
    assert response.status_code == 302
    eoi.refresh_from_db()
    assert eoi.assigned_to == colleague
    assert eoi.events.get(kind=EoiEventKind.ASSIGNMENT).text == "Jana Novak"


def test_internal_notes_are_kept_on_the_timeline(staff_client, make_in_status, client):
    eoi = make_in_status(EoiStatus.SUBMITTED)
    staff_client.post(
        reverse("admin:support_services_eoi_note", args=[eoi.pk]), {"text": "Phoned the region"}
    )
    assert "Phoned the region" in staff_client.get(change_url(eoi)).content.decode()
    assert eoi.events.filter(kind=EoiEventKind.NOTE, text="Phoned the region").exists()


def test_export_gives_the_applicant_data_as_json(staff_client, make_in_status):
    eoi = make_in_status(EoiStatus.INFORMATION_REQUESTED)
    response = staff_client.get(reverse("admin:support_services_eoi_export", args=[eoi.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert eoi.reference in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["contact_email"] == "giulia.bianchi@example.it"
    assert data["regions"] == ["ITC4"] and data["organisation_country"] == "IT"
    assert data["privacy_notice_version"] and data["consent_at"]
    assert any(m["text"] == "Which schools take part?" for m in data["messages"])


@pytest.mark.parametrize(
    "query",
    [
        "status=submitted",
        "age=week",
        "age=older",
        "q=Lombardy",
        "q=EOI-",
        "is_demo__exact=1",
        "ecosystems__id__exact=1",
    ],
)
def test_the_queue_filters_and_search(staff_client, make_in_status, query):
    make_in_status(EoiStatus.SUBMITTED)
    response = staff_client.get(
        reverse("admin:support_services_expressionofinterest_changelist") + "?" + query
    )
    assert response.status_code == 200


def test_the_queue_lists_submitted_applications(staff_client, make_in_status):
    eoi = make_in_status(EoiStatus.SUBMITTED)
    page = staff_client.get(
        reverse("admin:support_services_expressionofinterest_changelist") + "?status=submitted"
    ).content.decode()
    assert eoi.reference in page and "Lombardy Green Skills Partnership" in page
