"""Signing links: personal, single-use, expiring, bound to the version they were sent for; paper signatures."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from commitments import services
from commitments.models import Signature, SignatureMethod
from support_services.demo_files import make_pdf
from tests.commitments.builders import invite_all, make_approved
from tests.partnerships.builders import make_staff

pytestmark = pytest.mark.django_db


def one_link(declaration):
    links = invite_all(declaration)
    return next(iter(links.items()))


def test_signing_link_is_emailed_and_signs_the_approved_fingerprint(
    client, django_capture_on_commit_callbacks
):
    declaration = make_approved()
    with django_capture_on_commit_callbacks(execute=True):
        signatory, token = one_link(declaration)
    assert any(token in m.body and m.to == [signatory.email] for m in mail.outbox)
    page = client.get(reverse("commitments:sign", args=[token]))
    assert page.status_code == 200
    assert declaration.approved_fingerprint in page.content.decode()
    response = client.post(
        reverse("commitments:sign", args=[token]),
        {"name": "Ada Rossi", "title": "Director", "statement": "on"},
    )
    assert response.status_code == 200 and "Thank you" in response.content.decode()
    signature = Signature.objects.get(signatory=signatory)
    assert (signature.name, signature.method, signature.fingerprint) == (
        "Ada Rossi",
        SignatureMethod.ONLINE,
        declaration.approved_fingerprint,
    )


def test_signing_link_cannot_be_reused(client):
    declaration = make_approved()
    signatory, token = one_link(declaration)
    data = {"name": "Ada Rossi", "title": "Director", "statement": "on"}
    client.post(reverse("commitments:sign", args=[token]), data)
    again = client.post(reverse("commitments:sign", args=[token]), {**data, "name": "Someone else"})
    signed_on = timezone.localtime(Signature.objects.get(signatory=signatory).signed_at).date()
    html = again.content.decode()
    assert "Already signed" in html and "not valid" not in html
    assert f"already signed version {declaration.version}" in html
    assert f"on {signed_on.day} {signed_on:%B %Y}" in html
    assert Signature.objects.filter(signatory=signatory).count() == 1
    with pytest.raises(ValidationError, match="already signed this declaration on"):
        services.signature_sign_online(token=token, name="X", title="Y", statement_accepted=True)


def test_a_link_whose_signature_staff_recorded_on_paper_says_when_it_was_signed(client):
    declaration = make_approved()
    signatory, token = one_link(declaration)
    services.signature_record(
        signatory=signatory,
        name="Ada Rossi",
        title="Director",
        actor=make_staff(username="paper"),
        signed_at=timezone.make_aware(datetime.datetime(2026, 1, 17, 10, 0)),
        scan=SimpleUploadedFile(
            "scan.pdf", make_pdf("Signed on paper", ["A scan"]), content_type="application/pdf"
        ),
    )
    html = client.get(reverse("commitments:sign", args=[token]), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "17. Januar 2026" in html and "Signing link not valid" not in html


def test_statement_must_be_confirmed(client):
    declaration = make_approved()
    signatory, token = one_link(declaration)
    response = client.post(reverse("commitments:sign", args=[token]), {"name": "Ada", "title": "Director"})
    assert response.status_code == 200 and not Signature.objects.exists()


def test_a_changed_declaration_invalidates_unused_links(client):
    declaration = make_approved()
    links = invite_all(declaration)
    (first, first_token), (second, second_token) = list(links.items())[:2]
    services.signature_sign_online(token=first_token, name="A", title="B", statement_accepted=True)
    objective = declaration.objectives.first()
    objective.text = "Quietly changed after approval"
    objective.save()
    response = client.get(reverse("commitments:sign", args=[second_token]))
    assert response.status_code == 410 and "changed" in response.content.decode()
    with pytest.raises(ValidationError, match="changed"):
        services.signature_sign_online(token=second_token, name="A", title="B", statement_accepted=True)
    with pytest.raises(ValidationError, match="changed after approval"):
        services.declaration_countersign(declaration=declaration, actor=make_staff())


def test_expired_and_resent_links_stop_working(client):
    declaration = make_approved()
    signatory, token = one_link(declaration)
    signatory.link_expires_at = timezone.now() - datetime.timedelta(seconds=1)
    signatory.save()
    assert client.get(reverse("commitments:sign", args=[token])).status_code == 410
    new_token = services.signatory_send_link(signatory=signatory)
    assert client.get(reverse("commitments:sign", args=[token])).status_code == 410
    assert client.get(reverse("commitments:sign", args=[new_token])).status_code == 200


def test_unknown_token_and_withdrawn_declaration(client):
    assert client.get(reverse("commitments:sign", args=["nope"])).status_code == 410
    declaration = make_approved()
    signatory, token = one_link(declaration)
    services.declaration_withdraw(declaration=declaration, actor=make_staff())
    assert client.get(reverse("commitments:sign", args=[token])).status_code == 410


def test_signatories_must_be_current_members():
    from tests.partnerships.builders import make_organisation

    declaration = make_approved()
    with pytest.raises(ValidationError, match="member"):
        services.signatories_set(declaration=declaration, choices={make_organisation(): "x@example.eu"})


SCAN = make_pdf("Signature page", ["Signed on paper"])  # a real one-page PDF


def test_staff_record_a_paper_signature_with_a_validated_scan():
    declaration = make_approved()
    signatory, _token = one_link(declaration)
    staff = make_staff()
    bad_uploads = [
        SimpleUploadedFile("scan.pdf", b"GIF89a not a pdf", content_type="application/pdf"),
        SimpleUploadedFile("scan.exe", SCAN, content_type="application/pdf"),
        SimpleUploadedFile("scan.pdf", SCAN, content_type="image/png"),
    ]
    for upload in bad_uploads:
        with pytest.raises(ValidationError):
            services.signature_record(signatory=signatory, name="A", title="B", actor=staff, scan=upload)
    with pytest.raises(ValidationError, match="too large"):
        from django.test import override_settings

        with override_settings(DECLARATION_SCAN_MAX_BYTES=10):
            services.signature_record(
                signatory=signatory,
                name="A",
                title="B",
                actor=staff,
                scan=SimpleUploadedFile("scan.pdf", SCAN, content_type="application/pdf"),
            )
    assert not Signature.objects.exists()
    signature = services.signature_record(
        signatory=signatory,
        name="Ada Rossi",
        title="Mayor",
        actor=staff,
        scan=SimpleUploadedFile("scan.pdf", SCAN, content_type="application/pdf"),
    )
    assert signature.method == SignatureMethod.PAPER and signature.scan.read() == SCAN
    assert signature.fingerprint == declaration.approved_fingerprint


def test_a_signing_link_opens_only_its_own_signing_page(client):
    declaration = make_approved()
    _signatory, token = one_link(declaration)
    assert client.get(reverse("commitments:sign", args=[token])).status_code == 200
    # The link grants nothing else: the coordinator pages still need a coordinator's login,
    # and the declaration is not public before it is signed.
    coordinator_page = client.get(reverse("commitments:coordinator_declaration", args=[declaration.pk]))
    assert coordinator_page.status_code == 302 and "/accounts/login/" in coordinator_page["Location"]
    assert (
        client.get(reverse("admin:commitments_declaration_change", args=[declaration.pk])).status_code == 302
    )
    assert client.get(f"/declarations/{declaration.partnership.slug}/v1/").status_code == 404
