"""Coordinators' support requests, their support record, and the staff side: queue, answer, log, close."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from partnerships.models import Stage
from support_services import services
from support_services.models import (
    ChecklistItem,
    ChecklistStatus,
    StaffAssignment,
    SupportActivityKind,
    SupportRequest,
    SupportRequestStatus,
    SupportTopic,
)
from support_services.workflows import SUPPORT_REQUEST_TRANSITIONS
from tests.partnerships.builders import make_partnership, make_staff
from tests.support_services.builders import log_support_activity

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("checklist")]

INTERNAL = "INTERNAL-ONLY-7f3a: the coordinator seemed unsure about the budget"
SHARED = "We walked through the ESF+ call together"


def log_shared_and_internal(partnership, staff, kind, stage):
    """A support activity with a summary for the coordinator (SHARED) and notes for staff only (INTERNAL)."""
    return log_support_activity(
        partnership=partnership, kind=kind, stage=stage, staff=staff, summary=SHARED, internal_notes=INTERNAL
    )


@pytest.fixture
def partnership_a():
    return make_partnership(name="Alpine Skills Partnership", stage=Stage.DESIGN)


@pytest.fixture
def partnership_b():
    return make_partnership(name="Baltic Skills Partnership", stage=Stage.SET_UP)


def transition_url(request, name):
    return reverse("admin:support_services_supportrequest_transition", args=[request.pk, name])


def send_request(partnership, user, **kwargs):
    return services.support_request_create(
        partnership=partnership,
        user=user,
        topic=kwargs.pop("topic", SupportTopic.FUNDING),
        message=kwargs.pop("message", "Which EU funds fit our first actions?"),
        **kwargs,
    )


# --- Coordinator pages ------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login_page(client, partnership_a):
    for url in [
        reverse("support_services:coordinator_requests"),
        reverse("support_services:coordinator_request_new"),
        reverse("support_services:coordinator_record", args=[partnership_a.slug]),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url
    response = client.post(reverse("support_services:coordinator_request_new"), {"message": "x"})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not SupportRequest.objects.exists()


def test_a_coordinator_sends_a_request_staff_are_told_and_it_is_listed_with_its_status(
    client, coordinator_a, partnership_a, staff, django_capture_on_commit_callbacks
):
    StaffAssignment.objects.create(partnership=partnership_a, staff=staff, is_lead=True)
    client.force_login(coordinator_a)
    form = client.get(reverse("support_services:coordinator_request_new"))
    assert form.status_code == 200
    page = form.content.decode()
    assert "Alpine Skills Partnership" in page and "Funding advice" in page
    assert "Baltic Skills Partnership" not in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("support_services:coordinator_request_new"),
            {
                "partnership": partnership_a.pk,
                "topic": SupportTopic.FUNDING,
                "stage": "",
                "message": "Which EU funds fit our first actions?",
            },
        )
    assert response.status_code == 302
    assert response.url == reverse("support_services:coordinator_requests")
    request = SupportRequest.objects.get()
    assert request.requested_by == coordinator_a
    assert request.stage == Stage.DESIGN  # the partnership's current stage by default
    assert request.status == SupportRequestStatus.OPEN
    assert request.assigned_to == staff  # the partnership's assigned staff

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [staff.email]
    assert "Alpine Skills Partnership" in mail.outbox[0].subject
    assert "Which EU funds fit our first actions?" in mail.outbox[0].body
    assert f"/admin/support_services/supportrequest/{request.pk}/change/" in mail.outbox[0].body

    listing = client.get(response.url).content.decode()
    assert "Which EU funds fit our first actions?" in listing
    assert "Funding advice" in listing and "Open" in listing and "No answer yet." in listing


@override_settings(SUPPORT_SERVICES_EMAIL="desk@support.example.eu")
def test_without_assigned_staff_the_request_goes_to_the_shared_address(
    coordinator_a, partnership_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = send_request(partnership_a, coordinator_a, stage=Stage.SET_UP)
    assert request.assigned_to is None and request.stage == Stage.SET_UP
    assert [message.to for message in mail.outbox] == [["desk@support.example.eu"]]


def test_an_empty_message_or_unknown_topic_is_a_form_error_not_a_500(client, coordinator_a, partnership_a):
    client.force_login(coordinator_a)
    response = client.post(
        reverse("support_services:coordinator_request_new"),
        {"partnership": partnership_a.pk, "topic": "astrology", "message": "   "},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Select a valid choice" in page and "This field is required" in page
    assert not SupportRequest.objects.exists()


def test_a_coordinator_cannot_post_for_or_see_another_partnership(
    client, coordinator_a, coordinator_b, partnership_a, partnership_b
):
    theirs = send_request(partnership_b, coordinator_b, message="Baltic private question")
    client.force_login(coordinator_a)
    forbidden = client.post(
        reverse("support_services:coordinator_request_new"),
        {"partnership": partnership_b.pk, "topic": SupportTopic.OTHER, "message": "Let me in"},
    )
    assert forbidden.status_code == 403
    assert SupportRequest.objects.filter(partnership=partnership_b).count() == 1
    assert (
        client.get(reverse("support_services:coordinator_record", args=[partnership_b.slug])).status_code
        == 404
    )
    assert (
        client.get(reverse("support_services:coordinator_request_new") + f"?partnership={partnership_b.slug}")
    ).status_code == 404
    listing = client.get(reverse("support_services:coordinator_requests")).content.decode()
    assert theirs.message not in listing and "Baltic Skills Partnership" not in listing
    # The service refuses too, whatever the caller.
    with pytest.raises(PermissionDenied):
        send_request(partnership_b, coordinator_a)


def test_the_support_record_shows_checklist_due_dates_and_shared_summaries_only(
    client, coordinator_a, partnership_a, staff
):
    item = ChecklistItem.objects.filter(stage=Stage.DESIGN).order_by("order").first()
    services.checklist_item_set_status(
        partnership=partnership_a,
        item=item,
        status=ChecklistStatus.IN_PROGRESS,
        by=staff,
        due_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    log_shared_and_internal(partnership_a, staff, SupportActivityKind.FUNDING_ADVICE, Stage.DESIGN)
    client.force_login(coordinator_a)
    page = client.get(
        reverse("support_services:coordinator_record", args=[partnership_a.slug])
    ).content.decode()
    assert item.title in page and "In progress" in page and "Overdue" in page
    assert SHARED in page
    assert "INTERNAL-ONLY-7f3a" not in page


def test_internal_notes_never_reach_coordinators_the_public_profile_or_the_exports(
    client, coordinator_a, partnership_a, staff
):
    services.partnership_move_stage(
        partnership=partnership_a, to_stage=Stage.SET_UP, by=staff, reason="Design work finished"
    )
    log_shared_and_internal(partnership_a, staff, SupportActivityKind.WORKSHOP, Stage.SET_UP)
    request = send_request(partnership_a, coordinator_a)
    services.support_request_answer(support_request=request, by=staff, answer="Try ESF+", log_activity=True)

    public = [
        partnership_a.get_absolute_url(),
        reverse("partnerships:export_csv"),
        reverse("partnerships:export_json"),
        reverse("partnerships:feed"),
    ]
    for url in public:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"INTERNAL-ONLY-7f3a" not in body, url
    profile = client.get(partnership_a.get_absolute_url()).content.decode()
    assert "Set-up" in profile and SHARED not in profile

    client.force_login(coordinator_a)
    for url in [
        reverse("commitments:coordinator_dashboard"),
        reverse("support_services:coordinator_requests"),
        reverse("support_services:coordinator_request_new"),
        reverse("support_services:coordinator_record", args=[partnership_a.slug]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "INTERNAL-ONLY-7f3a" not in response.content.decode(), url


def test_the_coordinator_dashboard_links_to_the_support_pages(client, coordinator_a, partnership_a):
    client.force_login(coordinator_a)
    page = client.get(reverse("commitments:coordinator_dashboard")).content.decode()
    assert reverse("support_services:coordinator_requests") in page
    assert reverse("support_services:coordinator_record", args=[partnership_a.slug]) in page


# --- Staff side -------------------------------------------------------------------------------------


def test_staff_answer_in_the_admin_the_coordinator_gets_it_by_mail_in_their_language_and_sees_it(
    client, coordinator_a, partnership_a, staff, django_capture_on_commit_callbacks
):
    request = send_request(partnership_a, coordinator_a, language="fr")
    client.force_login(staff)
    url = reverse("admin:support_services_supportrequest_change", args=[request.pk])
    page = client.get(url).content.decode()
    assert "Log the answer as a support activity" in page
    assert "Public: shown to the coordinator who asked" in page  # who reads the answer, next to its field
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            transition_url(request, "answer"),
            {"note": "Look at the ESF+ call that opens in March.", "log_activity": "on"},
        )
    assert response.status_code == 302 and response.url == url
    request.refresh_from_db()
    assert request.status == SupportRequestStatus.ANSWERED and request.answered_by == staff
    assert request.activity is not None
    assert request.activity.kind == SupportActivityKind.FUNDING_ADVICE
    assert request.activity.summary == "Look at the ESF+ call that opens in March."
    assert request.activity.staff == staff

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ana@alpine.example.org"]
    assert "Look at the ESF+ call that opens in March." in message.body
    assert reverse("support_services:coordinator_requests") in message.body
    # French, the language the coordinator wrote in (the English template says "Dear coordinator,").
    assert "Dear coordinator," not in message.body

    client.force_login(coordinator_a)
    listing = client.get(reverse("support_services:coordinator_requests")).content.decode()
    assert "Look at the ESF+ call that opens in March." in listing and "Answered" in listing


def test_staff_close_a_request_and_a_closed_request_cannot_be_answered(
    client, coordinator_a, partnership_a, staff
):
    request = send_request(partnership_a, coordinator_a)
    client.force_login(staff)
    close = transition_url(request, "close")
    assert client.get(close).status_code == 405
    confirm = client.post(close)  # asks first
    assert confirm.status_code == 200 and "It can no longer be answered" in confirm.content.decode()
    request.refresh_from_db()
    assert request.status == SupportRequestStatus.OPEN
    assert client.post(close, {"confirmed": "yes"}).status_code == 302
    request.refresh_from_db()
    assert request.status == SupportRequestStatus.CLOSED and request.closed_at is not None
    response = client.post(transition_url(request, "answer"), {"note": "Too late"}, follow=True)
    assert "cannot become" in response.content.decode()
    request.refresh_from_db()
    assert request.status == SupportRequestStatus.CLOSED and request.answer == ""
    with pytest.raises(ValidationError):
        services.support_request_answer(support_request=request, by=staff, answer="Too late")


def test_answering_needs_text(coordinator_a, partnership_a, staff):
    request = send_request(partnership_a, coordinator_a)
    with pytest.raises(ValidationError, match="Write the answer"):
        services.support_request_answer(support_request=request, by=staff, answer="  ")


def test_only_staff_with_the_permission_answer_or_close(client, coordinator_a, partnership_a):
    request = send_request(partnership_a, coordinator_a)
    reviewer = make_staff(apps=(), permissions=["support_services.view_supportrequest"])
    for user in (coordinator_a, reviewer):
        with pytest.raises(PermissionDenied):
            services.support_request_answer(support_request=request, by=user, answer="Hello")
    client.force_login(reviewer)
    assert client.post(transition_url(request, "answer"), {"note": "Hello"}).status_code == 403
    assert client.post(transition_url(request, "close"), {"confirmed": "yes"}).status_code == 403
    request.refresh_from_db()
    assert request.status == SupportRequestStatus.OPEN and request.answer == ""


def test_the_machine_answers_until_closed():
    S = SupportRequestStatus
    assert {S.OPEN: {S.ANSWERED, S.CLOSED}, S.ANSWERED: {S.ANSWERED, S.CLOSED}, S.CLOSED: set()} == (
        SUPPORT_REQUEST_TRANSITIONS
    )


def test_staff_assign_a_request_in_the_admin(client, coordinator_a, partnership_a, staff):
    request = send_request(partnership_a, coordinator_a)
    client.force_login(staff)
    url = reverse("admin:support_services_supportrequest_change", args=[request.pk])
    assert client.post(url, {"assigned_to": staff.pk}).status_code == 302
    request.refresh_from_db()
    assert request.assigned_to == staff and request.status == SupportRequestStatus.OPEN


def test_the_staff_queue_filters_by_status_topic_stage_and_assigned_staff(
    client, coordinator_a, coordinator_b, partnership_a, partnership_b, staff
):
    StaffAssignment.objects.create(partnership=partnership_a, staff=staff, is_lead=True)
    send_request(partnership_a, coordinator_a, topic=SupportTopic.VISIBILITY)
    answered = send_request(partnership_b, coordinator_b, topic=SupportTopic.MONITORING)
    services.support_request_answer(support_request=answered, by=staff, answer="See the KPI guide")
    client.force_login(staff)
    changelist = reverse("admin:support_services_supportrequest_changelist")
    for query, shown, hidden in [
        ("?status__exact=open", "Alpine", "Baltic"),
        ("?status__exact=answered", "Baltic", "Alpine"),
        ("?topic__exact=visibility", "Alpine", "Baltic"),
        ("?stage__exact=set_up", "Baltic", "Alpine"),
        (f"?assigned_to__id__exact={staff.pk}&status__exact=open", "Alpine", "Baltic"),
    ]:
        response = client.get(changelist + query)
        assert response.status_code == 200, query
        page = response.content.decode()
        assert f"{shown} Skills Partnership" in page and f"{hidden} Skills Partnership" not in page, query


def test_coordinators_and_other_non_staff_cannot_reach_the_queue(client, coordinator_a, partnership_a):
    request = send_request(partnership_a, coordinator_a)
    client.force_login(coordinator_a)
    for url in [
        reverse("admin:support_services_supportrequest_changelist"),
        reverse("admin:support_services_supportrequest_change", args=[request.pk]),
        reverse("admin:support_services_partnershipsupport_change", args=[partnership_a.pk]),
        reverse("support_services:staff_dashboard"),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response.url, url
    response = client.post(
        reverse("admin:support_services_partnership_checklist", args=[partnership_a.pk]),
        {f"status-{ChecklistItem.objects.first().pk}": ChecklistStatus.DONE},
    )
    assert response.status_code == 302 and "/admin/login/" in response.url
    assert not partnership_a.checklist.exists()


def test_the_staff_dashboard_lists_open_requests_with_counts_and_links(
    client, coordinator_a, coordinator_b, partnership_a, partnership_b, staff
):
    first = send_request(partnership_a, coordinator_a)
    send_request(partnership_b, coordinator_b, topic=SupportTopic.VISIBILITY)
    done = send_request(partnership_b, coordinator_b)
    services.support_request_close(support_request=done, by=staff)
    client.force_login(staff)
    page = client.get(reverse("support_services:staff_dashboard")).content.decode()
    assert 'id="support-requests-open">2<' in page
    assert reverse("admin:support_services_supportrequest_change", args=[first.pk]) in page
    assert reverse("admin:support_services_supportrequest_change", args=[done.pk]) not in page
    assert reverse("admin:support_services_supportrequest_changelist") + "?status__exact=open" in page


def test_the_coordinator_pages_query_count_does_not_grow_with_the_rows(
    client, coordinator_a, partnership_a, staff, count_queries
):
    client.force_login(coordinator_a)
    urls = [
        reverse("support_services:coordinator_requests"),
        reverse("support_services:coordinator_record", args=[partnership_a.slug]),
    ]
    few = [count_queries(client, url) for url in urls]
    for n in range(10):
        request = send_request(partnership_a, coordinator_a, message=f"Question {n}")
        services.support_request_answer(
            support_request=request, by=staff, answer=f"Answer {n}", log_activity=True
        )
    for item in ChecklistItem.objects.all():
        services.checklist_item_set_status(
            partnership=partnership_a,
            item=item,
            status=ChecklistStatus.IN_PROGRESS,
            by=staff,
            due_on=timezone.localdate(),
        )
    many = [count_queries(client, url) for url in urls]
    assert many == few
    page = client.get(urls[0]).content.decode()
    assert page.count('class="card mb-3 support-request"') == 10
