"""The applicant's pages: steps, save and resume, status page, abuse protection, bad input."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from partnerships.models import Ecosystem, Region
from support_services.models import EoiStatus, ExpressionOfInterest
from tests.support_services.builders import make_eoi_draft, make_eoi_submitted

pytestmark = pytest.mark.django_db

START = "/expression-of-interest/"


def step1(**overrides):
    return {
        "idempotency_key": "key-of-the-start-form-123",
        "organisation_name": "Région Grand Est",
        "organisation_type": "regional_authority",
        "organisation_country": "FR",
        "organisation_region": "FRF1",
        "organisation_website": "https://grandest.example.fr",
        "is_pact_member": "no",
        **overrides,
    }


def step3(**overrides):
    return {
        "partnership_name": "Grand Est Hydrogen Skills",
        "scope": "single_region",
        "regions": ["FRF1"],
        "ecosystems": [Ecosystem.objects.get(slug="renewable-energy").pk],
        "challenge": "Hydrogen technicians are scarce.",
        "objectives": "Train 800 technicians.",
        "support_stages": ["design", "set_up"],
        **overrides,
    }


def link_in(message):
    return re.search(r"http://\S+(/expression-of-interest/[A-Za-z0-9_-]+/)", message.body).group(1)


def test_the_whole_journey_by_plain_posts(client, settings, django_capture_on_commit_callbacks):
    assert client.get(START).status_code == 200
    response = client.post(START, step1())
    eoi = ExpressionOfInterest.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == f"/expression-of-interest/{eoi.token}/?step=2"
    )
    url = eoi.get_absolute_url()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url + "?step=2",
            {"contact_name": "Élise Martin", "contact_role": "Director", "contact_email": "elise@example.fr"},
        )
    assert response["Location"].endswith("?step=3")
    resume = mail.outbox[-1]
    assert resume.to == ["elise@example.fr"] and link_in(resume) == url

    # Another device: the e-mailed link brings the draft back, with what was saved.
    other = client.__class__()
    page = other.get(link_in(resume)).content.decode()
    assert "Step 3 of 4" in page
    assert "Région Grand Est" in other.get(url + "?step=1").content.decode()

    assert other.post(url + "?step=3", step3())["Location"].endswith("?step=4")
    review = other.get(url + "?step=4").content.decode()
    assert "Grand Est Hydrogen Skills" in review and "Hydrogen technicians are scarce." in review
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = other.post(url + "?step=4", {"consent": "on"}, follow=True)
    eoi.refresh_from_db()
    assert eoi.status == EoiStatus.SUBMITTED and eoi.reference.startswith("EOI-")
    assert eoi.language == "en"
    page = response.content.decode()
    assert f"Your application {eoi.reference} has been submitted" in page
    assert {tuple(m.to)[0] for m in mail.outbox} == {"elise@example.fr", settings.SUPPORT_SERVICES_EMAIL}
    # A retried POST changes nothing and lands on the status page.
    again = other.post(url + "?step=4", {"consent": "on"})
    assert again.status_code == 302 and ExpressionOfInterest.objects.get().reference == eoi.reference


def test_a_validation_error_keeps_everything_typed(client):
    response = client.post(START, step1(organisation_type="company", organisation_name="Acme Robotics"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Say whether the company is an SME" in page
    assert 'value="Acme Robotics"' in page and 'value="https://grandest.example.fr"' in page
    assert "There is a problem with 1 answer." in page
    assert ExpressionOfInterest.objects.count() == 0


def test_step3_cross_field_errors_keep_the_long_answers(client):
    eoi = make_eoi_draft(step=2)
    response = client.post(
        eoi.get_absolute_url() + "?step=3", step3(scope="macro_region", challenge="My long careful answer")
    )
    page = response.content.decode()
    assert "A macro-region spans regions in more than one Member State." in page
    assert "My long careful answer" in page
    assert 'value="FRF1" selected' in page


def form_key(client):
    return re.search(r'name="idempotency_key" value="([^"]+)"', client.get(START).content.decode()).group(1)


def test_the_same_idempotency_key_posted_twice_gives_one_draft(client):
    key = form_key(client)
    first = client.post(START, step1(idempotency_key=key))
    second = client.post(START, step1(idempotency_key=key))
    assert first["Location"] == second["Location"]
    assert ExpressionOfInterest.objects.count() == 1


def test_a_key_sent_from_another_browser_never_opens_someone_elses_application(client):
    from django.test import Client

    key = form_key(client)
    mine = client.post(START, step1(idempotency_key=key))["Location"]
    attacker = Client()
    form_key(attacker)  # a browser of its own, with its own cookies
    theirs = attacker.post(START, step1(idempotency_key=key, organisation_name="Attacker"))["Location"]
    assert theirs != mine and ExpressionOfInterest.objects.count() == 2
    # Nor does a key taken from the demo data (the demo's drafts are stored under their own keys).
    demo = make_eoi_draft()
    demo.idempotency_key = "demo-eoi-baltic-partnership"
    demo.save(update_fields=["idempotency_key"])
    response = attacker.post(START, step1(idempotency_key="demo-eoi-baltic-partnership"))
    assert response["Location"] != demo.get_absolute_url() + "?step=2"
    assert demo.contact_email not in attacker.get(response["Location"]).content.decode()


def test_a_spent_key_makes_a_new_draft_after_the_window(client, settings):
    key = form_key(client)
    first = client.post(START, step1(idempotency_key=key))["Location"]
    ExpressionOfInterest.objects.update(created_at=timezone.now() - timedelta(minutes=61))
    again = client.post(START, step1(idempotency_key=key))["Location"]
    assert again != first and ExpressionOfInterest.objects.count() == 2


def test_the_start_form_carries_a_fresh_idempotency_key(client):
    keys = {
        re.search(r'name="idempotency_key" value="([^"]+)"', client.get(START).content.decode()).group(1)
        for _ in range(3)
    }
    assert len(keys) == 3


def test_a_filled_honeypot_is_refused(client):
    response = client.post(START, step1(homepage="http://spam.example"))
    assert response.status_code == 400 and ExpressionOfInterest.objects.count() == 0


def test_submissions_are_rate_limited_per_address_with_a_readable_page(client, settings):
    settings.RATE_LIMIT_EOI_SUBMISSIONS = "2/3600"
    for n in range(2):
        assert client.post(START, step1(idempotency_key=f"k{n}")).status_code == 302
    response = client.post(START, step1(idempotency_key="k3"))
    assert response.status_code == 429
    assert "Too many requests" in response.content.decode()
    assert ExpressionOfInterest.objects.count() == 2
    # Another address is not affected.
    assert client.post(START, step1(idempotency_key="k4"), REMOTE_ADDR="192.0.2.9").status_code == 302


def test_resume_link_requests_are_rate_limited_and_do_not_reveal_addresses(
    client, settings, django_capture_on_commit_callbacks
):
    settings.RATE_LIMIT_EOI_RESUME_LINKS = "2/3600"
    eoi = make_eoi_draft()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(
            "/expression-of-interest/resume/", {"email": "giulia.bianchi@example.it"}, follow=True
        )
        unknown = client.post("/expression-of-interest/resume/", {"email": "nobody@example.org"}, follow=True)
    assert len(mail.outbox) == 1 and eoi.token in mail.outbox[0].body
    message = "If an open application uses this address"
    assert message in known.content.decode() and message in unknown.content.decode()
    assert client.post("/expression-of-interest/resume/", {"email": "x@example.org"}).status_code == 429


def test_oversized_requests_are_refused(client, settings):
    settings.EOI_MAX_REQUEST_BYTES = 2000
    response = client.post(START, step1(organisation_name="x" * 5000))
    assert response.status_code == 413 and ExpressionOfInterest.objects.count() == 0


def test_post_without_csrf_token_is_refused():
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(START, step1())
    assert response.status_code == 403 and ExpressionOfInterest.objects.count() == 0


@pytest.mark.parametrize(
    "path",
    [
        "/expression-of-interest/short/",
        "/expression-of-interest/" + "A" * 43 + "/",
        "/expression-of-interest/" + "A" * 43 + "/answer/",
    ],
)
def test_unknown_or_malformed_tokens_give_404(client, path):
    assert client.get(path).status_code in (404, 405)
    assert client.post(path, {}).status_code == 404


@pytest.mark.parametrize("step", ["abc", "-1", "99", "", "4", "3"])
def test_bad_step_numbers_never_give_an_error(client, step):
    eoi = make_eoi_draft(step=1)
    response = client.get(eoi.get_absolute_url() + f"?step={step}")
    assert response.status_code == 200
    # A step cannot be skipped: a draft at step 1 shows at most step 2.
    assert "Step 2 of 4" in response.content.decode() or "Step 1 of 4" in response.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"organisation_country": "XX", "organisation_type": "emperor", "is_pact_member": "maybe"},
        {"organisation_region": "'; DROP TABLE", "idempotency_key": "k" * 500},
        {"regions": ["ZZZ"], "ecosystems": ["not-a-number"]},
    ],
)
def test_garbage_input_gives_form_errors_not_a_500(client, data):
    response = client.post(START, data)
    assert response.status_code == 200 and "There are problems" in response.content.decode()
    eoi = make_eoi_draft(step=2)
    response = client.post(eoi.get_absolute_url() + "?step=3", data)
    assert response.status_code == 200


def test_expired_draft_shows_a_clear_page(client):
    from django.utils import timezone

    eoi = make_eoi_draft()
    ExpressionOfInterest.objects.filter(pk=eoi.pk).update(
        expires_at=timezone.now() - timezone.timedelta(days=1)
    )
    response = client.get(eoi.get_absolute_url())
    assert response.status_code == 410 and "This draft has expired" in response.content.decode()


def test_the_status_page_shows_history_and_messages_but_no_internal_notes(make_in_status, staff, client):
    from support_services import services

    eoi = make_in_status(EoiStatus.INFORMATION_REQUESTED)
    services.eoi_add_note(eoi=eoi, by=staff, text="Secret internal remark")
    page = client.get(eoi.get_absolute_url()).content.decode()
    assert "Information requested" in page and "Which schools take part?" in page
    assert "Secret internal remark" not in page
    assert "Send the answer" in page and "Withdraw" in page


def test_the_applicant_answers_and_withdraws_through_the_status_page(make_in_status, client):
    eoi = make_in_status(EoiStatus.INFORMATION_REQUESTED)
    url = eoi.get_absolute_url()
    assert client.post(url + "answer/", {"text": ""}).status_code == 200  # form error, nothing lost
    response = client.post(url + "answer/", {"text": "Twelve vocational schools."}, follow=True)
    eoi.refresh_from_db()
    assert eoi.status == EoiStatus.UNDER_ASSESSMENT
    assert "Twelve vocational schools." in response.content.decode()
    client.post(url + "withdraw/", {"reason": "Merged with a neighbour"})
    eoi.refresh_from_db()
    assert eoi.status == EoiStatus.WITHDRAWN
    page = client.get(url).content.decode()
    assert "Withdrawn" in page and "Send the answer" not in page
    # Withdrawing again is refused with a message, not an error.
    assert client.post(url + "withdraw/", {}, follow=True).status_code == 200


def test_one_token_never_reaches_another_application(client):
    mine, theirs = make_eoi_submitted(), make_eoi_submitted()
    page = client.get(mine.get_absolute_url()).content.decode()
    assert mine.reference in page and theirs.reference not in page


def test_the_privacy_notice_names_its_version(client, settings):
    settings.PRIVACY_NOTICE_VERSION = "2026-9"
    assert "Version 2026-9" in client.get("/privacy/").content.decode()
    assert 'href="/privacy/"' in client.get("/").content.decode()


def test_the_region_choices_are_nuts2_regions():
    from support_services.forms import ProposalStepForm

    codes = set(ProposalStepForm().fields["regions"].queryset.values_list("code", flat=True))
    assert "ITC4" in codes and "IT" not in codes
    assert Region.objects.filter(level=2).count() == len(codes)


def test_the_resume_link_is_mailed_again_only_when_the_address_changes(
    client, django_capture_on_commit_callbacks
):
    eoi = make_eoi_draft(step=1)
    url = eoi.get_absolute_url() + "?step=2"
    contact = {
        "contact_name": "Élise Martin",
        "contact_role": "Director",
        "contact_email": "elise@example.fr",
    }
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, contact, follow=True)
        again = client.post(url, contact, follow=True)
        changed = client.post(url, {**contact, "contact_email": "e.martin@example.fr"}, follow=True)
    assert [m.to for m in mail.outbox] == [["elise@example.fr"], ["e.martin@example.fr"]]
    assert "We have sent a link to elise@example.fr" in first.content.decode()
    assert "We have sent a link" not in again.content.decode()
    assert "We have sent a link to e.martin@example.fr" in changed.content.decode()


def test_pages_behind_the_secret_link_are_never_cached_nor_indexed(client):
    eoi = make_eoi_submitted()
    response = client.get(eoi.get_absolute_url())
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()
