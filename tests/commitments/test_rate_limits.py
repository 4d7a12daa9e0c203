"""Rate limits per client address on verification uploads and signing posts (styled 429 page)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.commitments.builders import invite_all, make_approved, make_signed


def upload():
    return {"file": SimpleUploadedFile("declaration.pdf", b"%PDF-1.7 not the stored file", "application/pdf")}


@pytest.mark.django_db
def test_verification_uploads_are_limited_per_address(settings):
    settings.RATE_LIMIT_VERIFY_UPLOADS = "2/3600"
    declaration = make_signed()
    url = f"/verify/{declaration.verification_code}/"
    client = Client(REMOTE_ADDR="203.0.113.20")
    for _ in range(2):
        response = client.post(url, upload())
        assert response.status_code == 200 and "does not match" in response.content.decode().lower()
    response = client.post(url, upload())
    assert response.status_code == 429
    assert (
        "Too many requests" in response.content.decode()
        and 'href="/partnerships/"' in response.content.decode()
    )
    assert client.get(url).status_code == 200  # reading the page stays open
    assert Client(REMOTE_ADDR="198.51.100.20").post(url, upload()).status_code == 200


@pytest.mark.django_db
def test_signing_posts_are_limited_per_address(settings):
    settings.RATE_LIMIT_SIGNING = "2/3600"
    token = next(iter(invite_all(make_approved()).values()))
    client = Client(REMOTE_ADDR="203.0.113.21")
    for _ in range(2):
        assert client.post(f"/sign/{token}/", {"name": ""}).status_code == 200  # the form with its errors
    response = client.post(f"/sign/{token}/", {"name": ""})
    assert response.status_code == 429 and "Too many requests" in response.content.decode()
    assert client.get(f"/sign/{token}/").status_code == 200
    # Guessing links is limited too: the count does not depend on the token being valid.
    assert client.post(f"/sign/{'B' * 43}/", {"name": ""}).status_code == 429
