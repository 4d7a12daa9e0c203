"""The declaration review in the admin, on the shared workflow integration: one rule for every transition."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse

from commitments.models import Declaration, DeclarationStatus, ReviewEvent
from commitments.workflows import DECLARATION
from partnerships.services import partnership_update
from tests.commitments.builders import invite_all, make_approved, make_draft, make_signed, sign_all
from tests.partnerships.builders import make_coordinator, make_partnership, make_staff, make_user

pytestmark = pytest.mark.django_db
S = DeclarationStatus
ADMIN_TRANSITIONS = ["request_changes", "approve", "countersign", "withdraw"]


def transition_url(declaration, name):
    return reverse("admin:commitments_declaration_transition", args=[declaration.pk, name])


def change_url(declaration):
    return reverse("admin:commitments_declaration_change", args=[declaration.pk])


def test_the_admin_offers_exactly_the_declared_transitions():
    assert [t.name for t in DECLARATION if t.admin] == ADMIN_TRANSITIONS


@pytest.mark.parametrize("name", [*ADMIN_TRANSITIONS, "comment", "paper_signature"])
def test_get_on_a_transition_url_is_405(client, name):
    declaration = make_approved()
    (signatory, _token), *_ = invite_all(declaration).items()
    client.force_login(make_staff())
    url = {
        "comment": reverse("admin:commitments_declaration_comment", args=[declaration.pk]),
        "paper_signature": reverse(
            "admin:commitments_declaration_paper_signature", args=[declaration.pk, signatory.pk]
        ),
    }.get(name) or transition_url(declaration, name)
    response = client.get(url)
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert Declaration.objects.get(pk=declaration.pk).status == S.APPROVED


# Each transition in a state where its guard refuses it, and the reason the reviewer is told.
REFUSALS = {
    "request_changes": (lambda: make_draft(), "cannot go from “Draft” to “Changes requested”"),
    "approve": (lambda: make_draft(), "cannot go from “Draft” to “Approved"),
    "countersign": (lambda: make_approved(), "Choose the signatories first."),
    "withdraw": (lambda: make_signed(), "cannot go from “Signed” to “Withdrawn”"),
}


@pytest.mark.parametrize("name", ADMIN_TRANSITIONS)
def test_a_refused_transition_changes_nothing_and_says_why_the_same_way_for_each(client, name):
    build, reason = REFUSALS[name]
    declaration = build()
    before = (declaration.status, ReviewEvent.objects.filter(declaration=declaration).count())
    client.force_login(make_staff())
    for data in ({"note": "A note", "confirmed": "yes"}, {"note": "A note"}):  # confirmed, or asking first
        response = client.post(transition_url(declaration, name), data)
        assert response.status_code == 302 and response["Location"] == change_url(declaration)
        shown = [str(m) for m in get_messages(response.wsgi_request)]
        assert len(shown) == 1 and reason in shown[0]
        client.get(response["Location"])  # the redirect shows, and so consumes, the message
    declaration.refresh_from_db()
    assert (declaration.status, ReviewEvent.objects.filter(declaration=declaration).count()) == before
    # The change page said so before the click, next to a disabled button (or offered no button).
    page = client.get(change_url(declaration)).content.decode()
    if f'name="{name}"' in page:
        assert reason in page.replace("&quot;", '"').replace("&#x27;", "'")


@pytest.mark.parametrize("name", ADMIN_TRANSITIONS)
def test_a_user_who_may_not_review_gets_403_for_every_transition(client, name):
    declaration = make_draft()
    DECLARATION.run(declaration, "submit")
    viewer = make_user(is_staff=True)  # staff, may read declarations in the admin but not change them
    viewer.user_permissions.add(Permission.objects.get(codename="view_declaration"))
    client.force_login(viewer)
    assert (
        client.post(transition_url(declaration, name), {"note": "x", "confirmed": "yes"}).status_code == 403
    )
    assert Declaration.objects.get(pk=declaration.pk).status == S.SUBMITTED
    assert 'name="approve"' not in client.get(change_url(declaration)).content.decode()


def test_an_unknown_or_code_only_transition_is_404(client):
    declaration = make_draft()
    client.force_login(make_staff())
    assert client.post(transition_url(declaration, "publish_everything")).status_code == 404
    assert client.post(transition_url(declaration, "submit")).status_code == 404  # the coordinator's step
    assert Declaration.objects.get(pk=declaration.pk).status == S.DRAFT


def test_the_buttons_are_built_from_the_guards(client):
    staff = make_staff()
    declaration = make_approved(staff=staff)
    invite_all(declaration)
    client.force_login(staff)
    page = client.get(change_url(declaration)).content.decode()
    assert 'name="countersign" disabled aria-describedby="reason-countersign"' in page
    assert "Waiting for 3 signatures." in page
    assert 'name="withdraw">Withdraw…</button>' in page  # allowed, and asks for confirmation
    assert 'name="approve"' not in page  # not a transition out of "approved"
    # The withdrawal's note says who reads it.
    assert '<label for="note-withdraw">Reason</label>' in page
    assert "Public: shown to the partnership&#x27;s coordinators" in page


def test_request_changes_asks_for_the_note_and_says_it_is_public(client):
    declaration = make_draft()
    DECLARATION.run(declaration, "submit")
    client.force_login(make_staff())
    page = client.get(change_url(declaration)).content.decode()
    assert '<label for="note-request_changes">Changes needed (required)</label>' in page
    response = client.post(transition_url(declaration, "request_changes"), {"note": " "})
    assert any("Say which changes are needed." in str(m) for m in get_messages(response.wsgi_request))
    assert Declaration.objects.get(pk=declaration.pk).status == S.SUBMITTED


def test_withdrawing_asks_first_and_keeps_the_typed_reason(client):
    declaration = make_approved()
    client.force_login(make_staff())
    url = transition_url(declaration, "withdraw")
    confirmation = client.post(url, {"note": "The partnership merged with another one."})
    html = confirmation.content.decode()
    assert confirmation.status_code == 200 and "unused signing links stop working" in html
    assert "The partnership merged with another one.</textarea>" in html
    assert Declaration.objects.get(pk=declaration.pk).status == S.APPROVED
    client.post(url, {"note": "The partnership merged with another one.", "confirmed": "yes"})
    assert Declaration.objects.get(pk=declaration.pk).status == S.WITHDRAWN


def test_an_internal_comment_stays_with_the_support_services(client):
    declaration = make_draft()
    coordinator = make_coordinator(declaration.partnership)
    client.force_login(make_staff())
    url = reverse("admin:commitments_declaration_comment", args=[declaration.pk])
    client.post(url, {"comment": "Looks close to ProMIS; ask them.", "visibility": "internal"})
    client.post(url, {"comment": "Thank you, we are reading it.", "visibility": "public"})
    assert "Looks close to ProMIS" in client.get(change_url(declaration)).content.decode()
    client.force_login(coordinator)
    page = client.get(reverse("commitments:coordinator_declaration", args=[declaration.pk])).content.decode()
    assert "Thank you, we are reading it." in page and "Looks close to ProMIS" not in page


# --- Where two machines meet: a declaration of an unpublished partnership ----------------------------------


def test_countersigning_waits_for_the_partnership_to_be_published(client, django_capture_on_commit_callbacks):
    """The coordinator is never told "signed and published" about a page nobody can open."""
    staff = make_staff()
    partnership = make_partnership(members=2, is_published=False)
    declaration = make_approved(partnership=partnership, staff=staff)
    make_coordinator(partnership)
    sign_all(declaration)
    client.force_login(staff)
    reason = "Publish the partnership first: a signed declaration is published with it."
    page = client.get(change_url(declaration)).content.decode()
    assert 'name="countersign" disabled' in page and reason in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(transition_url(declaration, "countersign"), {"confirmed": "yes"})
    assert [str(m) for m in get_messages(response.wsgi_request)] == [reason]
    declaration.refresh_from_db()
    assert declaration.status == S.APPROVED and not declaration.verification_code
    assert not any("published" in m.subject for m in mail.outbox)

    partnership_update(partnership=partnership, is_published=True)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(transition_url(declaration, "countersign"), {"confirmed": "yes"})
    declaration.refresh_from_db()
    assert declaration.status == S.SIGNED
    assert any("signed and published" in m.subject for m in mail.outbox)
    verify = client.get(reverse("commitments:verify", args=[declaration.verification_code])).content.decode()
    assert f'href="{declaration.get_absolute_url()}"' in verify
    assert client.get(declaration.get_absolute_url()).status_code == 200


def test_verify_never_links_to_a_404_nor_names_an_unpublished_partnership(client):
    declaration = make_signed()
    partnership = declaration.partnership
    signer = declaration.signatures.first().name
    partnership_update(partnership=partnership, is_published=False)
    response = client.get(reverse("commitments:verify", args=[declaration.verification_code]))
    html = response.content.decode()
    assert response.status_code == 200 and "Authentic" in html and declaration.pdf_sha256 in html
    assert client.get(declaration.get_absolute_url()).status_code == 404
    assert declaration.get_absolute_url() not in html
    assert partnership.name not in html and signer not in html
    assert "not public at the moment" in html


def test_progress_reported_in_the_admin_is_recorded_like_a_coordinators_report(admin_client, admin_user):
    signed = make_signed()
    kpi = signed.kpis.first()
    response = admin_client.post(
        reverse("admin:commitments_kpiprogress_add"),
        {"kpi": kpi.pk, "value": "120", "reported_on": "2025-06-30", "note": "First cohort"},
    )
    assert response.status_code == 302
    assert kpi.progress.get().reported_by == admin_user
    event = signed.events.get(action="progress_reported")
    assert (event.actor, event.comment) == (admin_user, f"{kpi.indicator}: 120")


def test_the_admin_refuses_progress_on_a_declaration_that_is_not_signed(admin_client):
    kpi = make_draft().kpis.first()
    response = admin_client.post(
        reverse("admin:commitments_kpiprogress_add"),
        {"kpi": kpi.pk, "value": "5", "reported_on": "2025-06-30"},
    )
    assert response.status_code == 200
    assert "current signed declaration" in response.content.decode()
    assert not kpi.progress.exists()
