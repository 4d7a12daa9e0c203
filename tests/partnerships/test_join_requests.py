"""Requests to join a partnership: the public form, the coordinators' decision (the fifth workflow), the e-mails
and status link, the figures, and who may see and decide what."""

import datetime
import json

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from commitments import selectors as commitment_selectors
from partnerships import services
from partnerships.models import JoinRequest, JoinRequestStatus, Organisation
from partnerships.workflows import JOIN_REQUEST, JOIN_REQUEST_TRANSITIONS
from tests.commitments.builders import make_approved, make_signed
from tests.partnerships.builders import (
    join_request_data,
    make_join_request,
    make_organisation,
    make_partnership,
    make_staff,
)

pytestmark = pytest.mark.django_db

S = JoinRequestStatus


@pytest.fixture
def partnership_a():
    return make_partnership(name="Alpine Skills Partnership", members=2)


@pytest.fixture
def partnership_b():
    return make_partnership(name="Baltic Skills Partnership", members=2)


def form_data(**overrides):
    data = {
        "idempotency_key": "k" * 32,
        "organisation_name": "Istituto Tecnico Volta",
        "organisation_type": "vet_provider",
        "organisation_country": "IT",
        "organisation_website": "volta.example.org",
        "contribution": "Forty training places a year in industrial automation, and two trainers.",
        "contact_name": "Giulia Rossi",
        "contact_email": "giulia@volta.example.org",
        "consent": "on",
        "homepage": "",
    }
    data.update(overrides)
    return data


def join_url(partnership):
    return f"/partnerships/{partnership.slug}/join/"


def decide_url(join_request, transition):
    return f"/coordinator/partnerships/{join_request.partnership.slug}/join-requests/{join_request.pk}/{transition}/"


# --- The public form ---------------------------------------------------------------------------------------


def test_the_profile_offers_to_ask_to_join(client, partnership_a):
    page = client.get(partnership_a.get_absolute_url()).content.decode()
    assert join_url(partnership_a) in page
    assert "Ask to join" in page


def test_a_request_is_sent_and_both_sides_are_told(
    client, partnership_a, coordinator_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(join_url(partnership_a), form_data())
    join_request = JoinRequest.objects.get()
    assert response.status_code == 302
    assert response.url == join_request.get_absolute_url()
    assert join_request.status == S.SUBMITTED
    assert join_request.organisation_website == "https://volta.example.org"
    assert join_request.consent_at is not None
    to_requester, to_coordinators = mail.outbox
    assert to_requester.to == ["giulia@volta.example.org"]
    assert join_request.get_absolute_url() in to_requester.body
    assert to_coordinators.to == [coordinator_a.email]
    assert "Istituto Tecnico Volta" in to_coordinators.subject
    assert f"/coordinator/partnerships/{partnership_a.slug}/join-requests/" in to_coordinators.body
    status_page = client.get(response.url).content.decode()
    assert "Waiting for the coordinators" in status_page
    assert "Forty training places" in status_page


def test_a_double_submit_makes_one_request(client, partnership_a):
    first = client.post(join_url(partnership_a), form_data())
    second = client.post(join_url(partnership_a), form_data())
    assert JoinRequest.objects.count() == 1
    assert first.url == second.url


def test_the_same_key_from_another_browser_makes_its_own_request(partnership_a):
    Client().post(join_url(partnership_a), form_data())
    Client().post(join_url(partnership_a), form_data())
    assert JoinRequest.objects.count() == 2


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"organisation_name": ""}, "This field is required."),
        ({"organisation_type": "company"}, "Say whether the company is an SME"),
        ({"organisation_country": "ZZ"}, "Select a valid choice."),
        ({"contribution": "Trainers."}, "Say in a sentence or two what the organisation would bring."),
        ({"contact_email": "not an address"}, "Enter a valid email address."),
        ({"consent": ""}, "Accept the privacy notice to send the request."),
        # A line break in a name would let the sender write lines of their own into the e-mails.
        ({"organisation_name": "Acme\nVerify your account at http://evil.example"}, "Write this on one line"),
        ({"contact_name": "Giulia\r\nSubject: prize"}, "Write this on one line"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_lost(client, partnership_a, overrides, message):
    data = form_data(**overrides)
    response = client.post(join_url(partnership_a), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert 'id="error-summary"' in page
    assert "Forty training places a year" in page or "contribution" in overrides
    assert "giulia@volta.example.org" in page or "contact_email" in overrides
    assert not JoinRequest.objects.exists()


def test_a_filled_honeypot_is_refused(client, partnership_a):
    response = client.post(join_url(partnership_a), form_data(homepage="http://spam.example"))
    assert response.status_code == 400
    assert not JoinRequest.objects.exists()


def test_requests_are_rate_limited_per_address(client, partnership_a, settings):
    settings.RATE_LIMIT_JOIN_REQUESTS = "2/3600"
    for n in range(2):
        response = client.post(join_url(partnership_a), form_data(idempotency_key=f"{n}" * 32))
        assert response.status_code == 302
    response = client.post(join_url(partnership_a), form_data(idempotency_key="9" * 32))
    assert response.status_code == 429
    assert JoinRequest.objects.count() == 2


def test_requests_are_rate_limited_per_contact_address(partnership_a, settings):
    settings.RATE_LIMIT_JOIN_REQUESTS = "1/3600"
    assert Client(REMOTE_ADDR="10.0.0.1").post(join_url(partnership_a), form_data()).status_code == 302
    assert Client(REMOTE_ADDR="10.0.0.2").post(join_url(partnership_a), form_data()).status_code == 429


def test_an_unpublished_partnership_cannot_be_asked(client):
    hidden = make_partnership(is_published=False)
    assert client.get(join_url(hidden)).status_code == 404
    assert client.post(join_url(hidden), form_data()).status_code == 404
    with pytest.raises(ValidationError):
        make_join_request(hidden)


def test_a_guessed_status_link_finds_nothing(client):
    assert client.get(f"/join-requests/{'x' * 43}/").status_code == 404


# --- The workflow ------------------------------------------------------------------------------------------


def test_the_machine():
    assert {
        S.SUBMITTED: {S.ACCEPTED, S.DECLINED},
        S.ACCEPTED: {S.JOINED},
        S.JOINED: set(),
        S.DECLINED: set(),
    } == JOIN_REQUEST_TRANSITIONS


def test_accepting_adds_an_unconfirmed_member_that_the_profile_shows_once_confirmed(
    client, partnership_a, coordinator_a, django_capture_on_commit_callbacks
):
    join_request = make_join_request(partnership_a)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.join_request_accept(join_request=join_request, by=coordinator_a, message="Welcome aboard!")
    join_request.refresh_from_db()
    membership = join_request.membership
    assert join_request.status == S.ACCEPTED
    assert join_request.decided_by == coordinator_a
    assert membership.partnership == partnership_a and membership.is_current
    assert membership.is_confirmed is False
    assert join_request.organisation.stakeholder_type == "vet_provider"
    (accepted_mail,) = mail.outbox
    assert accepted_mail.to == ["giulia@volta.example.org"]
    assert "Welcome aboard!" in accepted_mail.body
    assert join_request.get_absolute_url() in accepted_mail.body
    assert "Istituto Tecnico Volta" not in client.get(partnership_a.get_absolute_url()).content.decode()
    # Nor anywhere else public: the new organisation has no public page yet, and is not counted.
    assert client.get(join_request.organisation.get_absolute_url()).status_code == 404
    assert "Istituto Tecnico Volta" not in client.get("/organisations/?q=Volta").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        services.join_request_confirm(join_request=join_request, by=coordinator_a)
    join_request.refresh_from_db()
    assert join_request.status == S.JOINED and join_request.joined_at is not None
    assert join_request.membership.is_confirmed is True
    assert "listed on the partnership's public profile" in mail.outbox[-1].body
    page = client.get(partnership_a.get_absolute_url()).content.decode()
    assert "Istituto Tecnico Volta" in page
    assert "1 organisation joined through a request on this portal." in page
    assert client.get(join_request.organisation.get_absolute_url()).status_code == 200


def test_a_membership_waiting_for_confirmation_is_neither_counted_nor_found(
    client, partnership_a, coordinator_a
):
    """The list's member count, the export and the search (by a member's name) leave out the accepted request's
    membership until the coordinators confirm it; then all three take it in."""
    join_request = make_join_request(partnership_a)

    def seen():
        listing = client.get("/partnerships/", {"q": partnership_a.name}).content.decode()
        found = client.get("/partnerships/", {"q": "Istituto Tecnico Volta"}).content.decode()
        (row,) = [
            r
            for r in json.loads(b"".join(client.get("/partnerships/export.json").streaming_content))[
                "partnerships"
            ]
            if r["slug"] == partnership_a.slug
        ]
        return row["member_count"], partnership_a.name in found, listing

    before, found_before, _listing = seen()
    services.join_request_accept(join_request=join_request, by=coordinator_a, message="")
    assert seen()[:2] == (before, False)
    services.join_request_confirm(join_request=join_request, by=coordinator_a)
    assert seen()[:2] == (before + 1, True)


@pytest.mark.parametrize("removal", ["deleted", "ended"])
def test_a_membership_removed_after_acceptance_cannot_be_confirmed(partnership_a, coordinator_a, removal):
    join_request = make_join_request(partnership_a)
    services.join_request_accept(join_request=join_request, by=coordinator_a, message="")
    join_request.refresh_from_db()
    if removal == "deleted":
        services.membership_delete(memberships=[join_request.membership])
    else:
        services.membership_end(membership=join_request.membership)
    join_request.refresh_from_db()
    with pytest.raises(ValidationError, match="nothing is left to confirm"):
        services.join_request_confirm(join_request=join_request, by=coordinator_a)
    join_request.refresh_from_db()
    assert join_request.status == S.ACCEPTED


def test_the_status_page_links_to_the_profile_only_while_it_is_public(client, partnership_a, coordinator_a):
    join_request = make_join_request(partnership_a)
    services.join_request_accept(join_request=join_request, by=coordinator_a, message="")
    services.join_request_confirm(join_request=join_request, by=coordinator_a)
    status = join_request.get_absolute_url()
    assert f'href="{partnership_a.get_absolute_url()}"' in client.get(status).content.decode()
    partnership_a.is_published = False
    partnership_a.save(update_fields=["is_published"])
    page = client.get(status).content.decode()
    assert f'href="{partnership_a.get_absolute_url()}"' not in page
    assert "profile is not public at the moment." in page


def test_acceptance_matches_the_organisation_in_the_registry(partnership_a, coordinator_a):
    known = make_organisation(name="Istituto Tecnico VOLTA", country="IT")
    join_request = make_join_request(partnership_a)
    services.join_request_accept(join_request=join_request, by=coordinator_a)
    join_request.refresh_from_db()
    assert join_request.organisation == known
    assert Organisation.objects.filter(normalised_name=known.normalised_name).count() == 1


def test_an_organisation_already_a_member_cannot_be_accepted_again(partnership_a, coordinator_a):
    member = partnership_a.memberships.filter(role="member").first().organisation
    join_request = make_join_request(
        partnership_a, organisation_name=member.name, organisation_country=member.country
    )
    allowed, reason = JOIN_REQUEST.check(join_request, "accept")
    assert not allowed and "is already a member" in reason
    with pytest.raises(ValidationError, match="is already a member"):
        services.join_request_accept(join_request=join_request, by=coordinator_a)
    join_request.refresh_from_db()
    assert join_request.status == S.SUBMITTED


def test_declining_needs_a_message_which_the_requester_gets(
    partnership_a, coordinator_a, django_capture_on_commit_callbacks
):
    join_request = make_join_request(partnership_a)
    with pytest.raises(ValidationError, match="Say why the request is declined"):
        services.join_request_decline(join_request=join_request, by=coordinator_a, message="  ")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.join_request_decline(
            join_request=join_request, by=coordinator_a, message="We only take partners from Lombardy."
        )
    join_request.refresh_from_db()
    assert join_request.status == S.DECLINED
    assert join_request.membership is None
    (declined,) = mail.outbox
    assert "declined" in declined.subject.lower()
    assert "We only take partners from Lombardy." in declined.body
    with pytest.raises(ValidationError, match="cannot become"):
        services.join_request_accept(join_request=join_request, by=coordinator_a)


def test_a_coordinator_of_another_partnership_may_not_decide(partnership_a, coordinator_b):
    join_request = make_join_request(partnership_a)
    with pytest.raises(PermissionDenied):
        services.join_request_accept(join_request=join_request, by=coordinator_b)
    assert [option.permitted for option in JOIN_REQUEST.available(join_request, coordinator_b)] == [
        False,
        False,
    ]


# --- The coordinators' page and object-level permissions ---------------------------------------------------------


def test_coordinators_see_and_decide_their_requests(client, partnership_a, coordinator_a):
    join_request = make_join_request(partnership_a, organisation_name="<script>alert(1)</script> Academy")
    client.force_login(coordinator_a)
    page = client.get(f"/coordinator/partnerships/{partnership_a.slug}/join-requests/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Academy" in page
    assert "<script>alert(1)" not in page
    assert decide_url(join_request, "accept") in page
    response = client.post(decide_url(join_request, "accept"), {"message": "Welcome"}, follow=True)
    assert "confirm the membership once it is settled" in response.content.decode()
    join_request.refresh_from_db()
    assert join_request.status == S.ACCEPTED
    client.post(decide_url(join_request, "confirm"))
    join_request.refresh_from_db()
    assert join_request.status == S.JOINED


def test_declining_without_a_message_says_so_and_changes_nothing(client, partnership_a, coordinator_a):
    join_request = make_join_request(partnership_a)
    client.force_login(coordinator_a)
    response = client.post(decide_url(join_request, "decline"), {"message": ""}, follow=True)
    assert "Say why the request is declined" in response.content.decode()
    join_request.refresh_from_db()
    assert join_request.status == S.SUBMITTED


def test_a_coordinator_of_b_neither_sees_nor_decides_the_requests_of_a(
    client, partnership_a, partnership_b, coordinator_b
):
    join_request = make_join_request(partnership_a)
    client.force_login(coordinator_b)
    assert client.get(f"/coordinator/partnerships/{partnership_a.slug}/join-requests/").status_code == 404
    assert client.post(decide_url(join_request, "accept")).status_code == 404
    # Nor through the address of their own partnership's page.
    own = f"/coordinator/partnerships/{partnership_b.slug}/join-requests/{join_request.pk}/accept/"
    assert client.post(own).status_code == 404
    page = client.get(f"/coordinator/partnerships/{partnership_b.slug}/join-requests/").content.decode()
    assert "Istituto Tecnico Volta" not in page
    join_request.refresh_from_db()
    assert join_request.status == S.SUBMITTED


def test_decisions_are_post_only_and_need_the_csrf_token(partnership_a, coordinator_a):
    join_request = make_join_request(partnership_a)
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator_a)
    assert client.get(decide_url(join_request, "accept")).status_code == 405
    assert client.post(decide_url(join_request, "accept")).status_code == 403
    assert Client(enforce_csrf_checks=True).post(join_url(partnership_a), form_data()).status_code == 403
    join_request.refresh_from_db()
    assert join_request.status == S.SUBMITTED


def test_staff_see_every_request_in_the_admin_and_can_decide_there(client, partnership_a, partnership_b):
    a = make_join_request(partnership_a)
    make_join_request(partnership_b, organisation_name="Baltic Robotics Lab")
    staff = make_staff()
    client.force_login(staff)
    listing = client.get("/admin/partnerships/joinrequest/").content.decode()
    assert "Istituto Tecnico Volta" in listing and "Baltic Robotics Lab" in listing
    change = client.get(f"/admin/partnerships/joinrequest/{a.pk}/change/").content.decode()
    assert f"/admin/partnerships/joinrequest/{a.pk}/transition/decline/" in change
    client.post(f"/admin/partnerships/joinrequest/{a.pk}/transition/decline/", {"note": "Not this year."})
    a.refresh_from_db()
    assert a.status == S.DECLINED and a.message == "Not this year."


# --- Figures and the next declaration ------------------------------------------------------------------------


def test_statistics_count_organisations_that_joined_through_the_portal_by_type(
    client, partnership_a, partnership_b, coordinator_a
):
    for name, kind, sme in [("Volta", "vet_provider", None), ("Robo SRL", "company", True)]:
        join_request = make_join_request(
            partnership_a, organisation_name=name, organisation_type=kind, organisation_is_sme=sme
        )
        services.join_request_accept(join_request=join_request, by=coordinator_a)
        services.join_request_confirm(join_request=join_request, by=coordinator_a)
    pending = make_join_request(partnership_b, organisation_name="Pending Org")
    services.join_request_accept(join_request=pending, by=None)
    page = client.get("/statistics/").content.decode()
    assert "2 organisations joined through a request on this portal." in page
    assert "Education and training provider: VET" in page and "Company" in page


def test_the_next_declaration_proposes_the_accepted_organisation_as_signatory(partnership_a, coordinator_a):
    make_signed(partnership=partnership_a)
    join_request = make_join_request(partnership_a)
    services.join_request_accept(join_request=join_request, by=coordinator_a)
    join_request.refresh_from_db()
    approved = make_approved(partnership=partnership_a)
    assert commitment_selectors.proposed_signatories(declaration=approved) == {
        join_request.organisation_id: "giulia@volta.example.org"
    }
    client = Client()
    client.force_login(coordinator_a)
    page = client.get(f"/coordinator/declarations/{approved.pk}/signatories/").content.decode()
    assert 'value="giulia@volta.example.org"' in page


def test_the_service_applies_the_form_rules_too(partnership_a):
    with pytest.raises(ValidationError, match="Say whether the company is an SME"):
        services.join_request_submit(
            partnership=partnership_a,
            idempotency_key=None,
            data=join_request_data(organisation_type="company", organisation_is_sme=None),
            consent=True,
        )
    assert not JoinRequest.objects.exists()


def test_the_pages_run_the_same_queries_for_few_and_many_requests(
    client, partnership_a, coordinator_a, count_queries
):
    client.force_login(coordinator_a)
    coordinator_page = f"/coordinator/partnerships/{partnership_a.slug}/join-requests/"

    def measure():
        first = partnership_a.join_requests.order_by("pk").first()
        return (
            count_queries(client, coordinator_page),
            count_queries(client, first.get_absolute_url()),
            count_queries(client, partnership_a.get_absolute_url()),
            count_queries(client, "/statistics/"),
        )

    def add(n):
        for i in range(n):
            join_request = make_join_request(partnership_a, organisation_name=f"Organisation {i} {n}")
            if i % 3 == 1:
                services.join_request_accept(join_request=join_request, by=coordinator_a)
            elif i % 3 == 2:
                services.join_request_accept(join_request=join_request, by=coordinator_a)
                services.join_request_confirm(join_request=join_request, by=coordinator_a)

    add(3)
    few = measure()
    add(30)
    many = measure()
    assert all(m <= f for m, f in zip(many, few, strict=True)), (few, many)


def test_declined_requests_are_deleted_after_the_retention_period(partnership_a, coordinator_a, settings):
    """The daily purge deletes a request declined longer ago than the retention period (the contact's name and
    address with it); a recent one and one whose organisation joined stay."""
    settings.EOI_RETENTION_DAYS = 30
    old, recent, joined = (
        make_join_request(partnership_a, organisation_name=name) for name in ("Old", "New", "In")
    )
    for join_request in (old, recent):
        services.join_request_decline(join_request=join_request, by=coordinator_a, message="Not this year.")
    services.join_request_accept(join_request=joined, by=coordinator_a, message="")
    services.join_request_confirm(join_request=joined, by=coordinator_a)
    long_ago = timezone.now() - datetime.timedelta(days=31)
    JoinRequest.objects.filter(pk__in=[old.pk, joined.pk]).update(decided_at=long_ago)
    call_command("purge_eoi_personal_data")
    assert set(JoinRequest.objects.values_list("organisation_name", flat=True)) == {"New", "In"}


def test_the_privacy_notice_says_what_a_request_to_join_stores(client):
    page = client.get("/privacy/").content.decode()
    assert "Requests to join a partnership" in page and "A declined request is deleted 365 days after" in page
