"""The signed PDF: rendered once, stored, fingerprinted, PAdES-signed, served as stored, verifiable."""

import hashlib
import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from commitments import services, signing
from commitments.models import DeclarationStatus
from tests.commitments.builders import make_signed

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(client):
    return make_signed(members=4, kpis=3)


def download(client, declaration):
    response = client.get(declaration.get_pdf_url())
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)


def pdf_text(data):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_pdf_text_has_partnership_kpis_signatories_and_code(client, signed):
    text = pdf_text(download(client, signed))
    flat = " ".join(text.split())
    assert signed.partnership.name in flat
    for kpi in signed.kpis.all():
        assert kpi.indicator in flat
    signatures = list(signed.signatures.select_related("organisation"))
    assert len(signatures) == 4
    for signature in signatures:
        assert signature.name in flat and signature.organisation.name in flat
    # The footer repeats the verification code on every page.
    pages = PdfReader(io.BytesIO(download(client, signed))).pages
    assert len(pages) >= 2
    assert all(signed.verification_code in page.extract_text() for page in pages)


def test_stored_fingerprint_matches_the_bytes_served(client, signed):
    served = download(client, signed)
    assert hashlib.sha256(served).hexdigest() == signed.pdf_sha256
    with open(signed.pdf.path, "rb") as fh:
        assert fh.read() == served
    # Served as stored, never re-rendered: a second download is byte-identical.
    assert download(client, signed) == served


def test_pades_signature_validates_and_breaks_on_a_one_byte_change(client, signed):
    served = download(client, signed)
    status = signing.pades_validate(served, trust_roots=[settings.DECLARATION_SIGNING_CERT])
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert status.coverage.name == "ENTIRE_FILE"
    # Flip one byte inside the signed range (the page content, not the signature value).
    position = served.index(b"stream") + 20
    altered = served[:position] + bytes([served[position] ^ 0x01]) + served[position + 1 :]
    broken = signing.pades_validate(altered, trust_roots=[settings.DECLARATION_SIGNING_CERT])
    assert not broken.intact and not broken.bottom_line


def test_verify_page_accepts_the_real_file_and_refuses_a_one_byte_change(client, signed):
    served = download(client, signed)
    url = reverse("commitments:verify", args=[signed.verification_code])
    page = client.get(url)
    assert page.status_code == 200 and "Authentic" in page.content.decode()
    good = client.post(url, {"file": SimpleUploadedFile("d.pdf", served, content_type="application/pdf")})
    assert "identical to the signed PDF" in good.content.decode()
    altered = served[:-10] + bytes([served[-10] ^ 0x01]) + served[-9:]
    bad = client.post(url, {"file": SimpleUploadedFile("d.pdf", altered, content_type="application/pdf")})
    assert "does NOT match" in bad.content.decode()
    assert not services.pdf_matches(declaration=signed, data=altered)
    assert services.pdf_matches(declaration=signed, data=served)


def test_verify_page_for_an_unknown_code_says_not_verified_and_offers_the_form(client):
    response = client.get(reverse("commitments:verify", args=["AAAA-BBBB-CCCC"]))
    html = response.content.decode()
    assert response.status_code == 404 and "Not verified" in html and "Authentic" not in html
    assert 'name="code"' in html


def test_verify_page_reports_a_superseded_version(client, signed):
    second = make_signed(partnership=signed.partnership)
    signed.refresh_from_db()
    assert signed.status == DeclarationStatus.SUPERSEDED
    page = client.get(reverse("commitments:verify", args=[signed.verification_code])).content.decode()
    assert "Superseded" in page and second.get_absolute_url() in page
    # The old version's stored file is unchanged and still downloadable.
    assert hashlib.sha256(download(client, signed)).hexdigest() == signed.pdf_sha256


def test_pdf_embeds_no_remote_resource(settings):
    from pact_portal.pdf import html_to_pdf

    with pytest.raises(BaseException):  # noqa: B017 - WeasyPrint's FatalURLFetchingError is a BaseException
        html_to_pdf('<img src="http://example.com/tracker.png" alt="">')


def test_download_answers_a_conditional_request_and_disappears_when_unpublished(client, signed):
    response = client.get(signed.get_pdf_url())
    assert response["ETag"] == f'"{signed.pdf_sha256}"'
    again = client.get(signed.get_pdf_url(), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    from commitments import selectors

    signed.partnership.is_published = False
    signed.partnership.save()
    selectors._PDF_MEMO.clear()  # the memo lives at most PDF_MEMO_SECONDS
    assert client.get(signed.get_pdf_url()).status_code == 404


def test_pdf_is_tagged_for_screen_readers_in_the_declaration_language(client, signed):
    catalog = PdfReader(io.BytesIO(download(client, signed))).trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"])
    structure = catalog["/StructTreeRoot"].get_object()
    assert structure["/K"] is not None
    assert str(catalog["/Lang"]).startswith("en")
