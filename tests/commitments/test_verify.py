"""/verify/: anyone checks a declaration by its code (typed any way) or by uploading the PDF."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from commitments import services
from partnerships.services import partnership_update
from tests.commitments.builders import make_draft, make_signed

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed():
    return make_signed(members=2, kpis=1)


def title(response):
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


def stored_pdf(client, declaration):
    return b"".join(client.get(declaration.get_pdf_url()).streaming_content)


def test_verify_is_a_page_with_a_code_field_and_a_file_field(client):
    response = client.get("/verify/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="code"' in html and 'type="file"' in html and 'enctype="multipart/form-data"' in html
    assert "Not verified" not in html


def test_the_preview_pdf_prints_the_address_of_the_verify_page(client):
    preview = services.declaration_pdf_context(make_draft())["verify_url"]
    assert preview.endswith("/verify/")
    assert client.get("/verify/").status_code == 200


@pytest.mark.parametrize("typed", ["lower", "no dashes", "spaces", "padded"])
def test_a_code_is_accepted_in_any_case_with_or_without_dashes_or_spaces(client, signed, typed):
    code = signed.verification_code
    raw = code.replace("-", "")
    entered = {
        "lower": code.lower(),
        "no dashes": raw,
        "spaces": f"{raw[:4]} {raw[4:8]} {raw[8:]}".lower(),
        "padded": f"  {code}  ",
    }[typed]
    response = client.get("/verify/", {"code": entered}, follow=True)
    assert response.redirect_chain[-1][0] == f"/verify/{code}/"
    html = response.content.decode()
    assert "Authentic" in html and signed.pdf_sha256 in html
    # The address itself forgives the same way.
    assert client.get(f"/verify/{raw.lower()}/", follow=True).redirect_chain[-1][0] == f"/verify/{code}/"


def test_a_wrong_code_gets_the_form_again_with_a_message_and_its_own_title(client, signed):
    genuine = client.get(f"/verify/{signed.verification_code}/")
    wrong = client.get("/verify/", {"code": "ABCD-EFGH-JKLM"})
    html = wrong.content.decode()
    assert wrong.status_code == 200
    assert "No signed declaration has this verification code" in html
    assert 'name="code"' in html and 'value="ABCD-EFGH-JKLM"' in html and 'aria-invalid="true"' in html
    assert title(wrong) != title(genuine) and "Not verified" in title(wrong) and "Authentic" in title(genuine)
    typed_in_address = client.get("/verify/ABCD-EFGH-JKLM/")
    assert typed_in_address.status_code == 404 and 'name="code"' in typed_in_address.content.decode()
    assert "No signed declaration has this verification code" in typed_in_address.content.decode()


def test_an_empty_code_asks_for_one(client):
    response = client.get("/verify/", {"code": ""})
    assert response.status_code == 200 and "This field is required" in response.content.decode()


def test_uploading_the_signed_pdf_finds_its_declaration_and_an_altered_copy_does_not(client, signed):
    data = stored_pdf(client, signed)
    found = client.post(
        "/verify/", {"file": SimpleUploadedFile("d.pdf", data, content_type="application/pdf")}
    )
    html = found.content.decode()
    assert (
        found.status_code == 200
        and "identical to the signed PDF" in html
        and signed.verification_code in html
    )
    altered = data[:-10] + bytes([data[-10] ^ 0x01]) + data[-9:]
    refused = client.post(
        "/verify/", {"file": SimpleUploadedFile("d.pdf", altered, content_type="application/pdf")}
    )
    assert refused.status_code == 200 and "matches no signed declaration" in refused.content.decode()
    assert "Not verified" in title(refused)
    not_a_pdf = client.post(
        "/verify/", {"file": SimpleUploadedFile("d.pdf", b"hello", content_type="application/pdf")}
    )
    assert "This file is not a PDF" in not_a_pdf.content.decode()


def test_verify_links_only_to_pages_that_exist(client, signed):
    partnership_update(partnership=signed.partnership, is_published=False)
    for response in (
        client.get(f"/verify/{signed.verification_code}/"),
        client.post(
            "/verify/",
            {"file": SimpleUploadedFile("d.pdf", stored_pdf_of(signed), content_type="application/pdf")},
        ),
    ):
        html = response.content.decode()
        assert "Authentic" in html and "not public at the moment" in html
        assert signed.partnership.name not in html
        for href in set(re.findall(r'href="(/[^"]*)"', html)):
            if href.startswith(("/static/", "/i18n/")):
                continue
            assert client.get(href).status_code != 404, href


def stored_pdf_of(declaration):
    with declaration.pdf.open("rb") as stored:
        return stored.read()
