"""Findings of an outside probe of the portal in production mode, each reproduced as the attack was made:
password reset mail floods, a forged client address header, a session that never ended, logged-in pages kept in
shared caches, TRACE/OPTIONS answered with page bodies, secrets in access logs, an unsafe production default."""

import io
import os
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from django.core import mail
from django.core.checks import run_checks
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import get_resolver, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from commitments.services import validate_scanned_pdf
from pact_portal.middleware import LOGIN_SESSION_KEY
from support_services.demo_files import make_docx, make_pdf
from support_services.uploads import check_upload
from tests.commitments.builders import make_draft
from tests.partnerships.builders import (
    PASSWORD,
    make_coordinator,
    make_organisation,
    make_partnership,
    totp_code,
)
from tests.support_services.builders import CONTACT, PROPOSAL, make_eoi_draft

ROOT = Path(__file__).resolve().parent.parent

# --- Password reset: every POST sent an e-mail, without limit (finding 4) ------------------------------


@pytest.mark.django_db
def test_password_reset_mails_are_limited_per_address(settings, staff):
    settings.RATE_LIMIT_PASSWORD_RESET = "3/3600"
    attacker = Client(REMOTE_ADDR="203.0.113.40")
    for _ in range(3):
        response = attacker.post("/accounts/password_reset/", {"email": staff.email})
        assert response.status_code == 302
    response = attacker.post("/accounts/password_reset/", {"email": "someone-else@example.org"})
    assert response.status_code == 429 and "Too many" in response.content.decode()
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_password_reset_mails_to_one_address_are_limited_whatever_the_client_address(settings, staff):
    settings.RATE_LIMIT_PASSWORD_RESET = "2/3600"
    for number in range(2):
        client = Client(REMOTE_ADDR=f"203.0.113.{50 + number}")
        assert client.post("/accounts/password_reset/", {"email": staff.email.upper()}).status_code == 302
    response = Client(REMOTE_ADDR="198.51.100.9").post("/accounts/password_reset/", {"email": staff.email})
    assert response.status_code == 429
    assert len(mail.outbox) == 2


# --- The client address header is believed only from the proxy (finding 5) ------------------------------


@pytest.mark.django_db
def test_a_client_reaching_the_server_directly_cannot_rotate_its_address_through_the_header(settings, staff):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    settings.AXES_FAILURE_LIMIT = 3
    statuses = []
    for number in range(4):
        client = Client(REMOTE_ADDR="203.0.113.60", HTTP_X_REAL_IP=f"192.0.2.{number}")
        response = client.post("/accounts/login/", {"username": "staff", "password": "wrong-password-123"})
        statuses.append(response.status_code)
    assert statuses == [200, 200, 429, 429]


@pytest.mark.django_db
def test_behind_the_trusted_proxy_each_client_counts_for_its_own_address(settings, staff):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    settings.AXES_FAILURE_LIMIT = 2
    for number in range(4):
        client = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_REAL_IP=f"192.0.2.{number}")
        response = client.post("/accounts/login/", {"username": "staff", "password": "wrong-password-123"})
        assert response.status_code == 200


# --- A session's absolute lifetime holds however active it is (finding 7) -----------------------------


@pytest.mark.django_db
def test_an_active_staff_session_still_ends_eight_hours_after_the_login(staff):
    client = Client()
    assert client.post("/accounts/login/", {"username": "staff", "password": PASSWORD}).status_code == 302
    assert client.get("/admin/").status_code == 200
    session = client.session
    session[LOGIN_SESSION_KEY] = int(time.time()) - 8 * 3600 - 5  # logged in 8 hours ago…
    session["staff_last_seen"] = int(time.time()) - 30  # …and active half a minute ago
    session.save()
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain == [("/admin/login/?next=/admin/", 302)]
    assert "Your session has ended after 8 hours" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_coordinator_session_ends_too(django_user_model):
    partnership = make_partnership()
    coordinator = make_coordinator(partnership)
    client = Client()
    client.force_login(coordinator)
    assert client.get("/coordinator/").status_code == 200
    session = client.session
    session[LOGIN_SESSION_KEY] = int(time.time()) - 8 * 3600 - 5
    session.save()
    assert client.get("/coordinator/").url == "/accounts/login/?next=/coordinator/"


# --- Logged-in pages are never stored by browsers or proxies (finding 9) -------------------------------


@pytest.mark.django_db
def test_coordinator_pages_and_the_draft_pdf_are_not_stored():
    declaration = make_draft()
    client = Client()
    client.force_login(make_coordinator(declaration.partnership))
    urls = [
        "/coordinator/",
        f"/coordinator/partnerships/{declaration.partnership.slug}/",
        reverse("commitments:coordinator_declaration_preview", args=[declaration.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url


@pytest.mark.django_db
def test_public_pages_for_anonymous_visitors_stay_cacheable(client):
    response = client.get("/partnerships/")
    assert "no-store" not in response.get("Cache-Control", "")


# --- TRACE and OPTIONS answered 200 with the page (finding 11) ------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["TRACE", "OPTIONS", "PUT", "DELETE", "PATCH"])
@pytest.mark.parametrize("path", ["/", "/partnerships/", "/expression-of-interest/"])
def test_methods_other_than_get_head_post_get_an_empty_405(client, method, path):
    response = client.generic(method, path)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, POST"
    assert response.content == b""


# --- Secrets in access logs (finding 6) -----------------------------------------------------------------


def token_url_prefixes():
    """The literal beginning of every URL with a secret argument (named like "token")."""
    prefixes = set()
    for _name, patterns in _walk(get_resolver()):
        for _possibilities, pattern, _defaults, _converters in patterns:
            if "token" in pattern:
                literal = re.split(r"\(|%\(", pattern, maxsplit=1)[0].lstrip("^")
                prefixes.add("/" + literal.replace("\\", ""))  # the pattern escapes "-" as "\-"
    return prefixes


def _walk(resolver):
    for key, value in resolver.reverse_dict.lists():
        if isinstance(key, str):
            yield key, value
    for _namespace, (_prefix, sub) in resolver.namespace_dict.items():
        yield from _walk(sub)


def test_the_proxy_access_log_masks_every_secret_link():
    config = (ROOT / "deploy" / "nginx.conf").read_text()
    log_format = re.search(r"log_format pact (.*?);", config, re.S).group(1)
    assert "$request " not in log_format and "$request_uri" not in log_format and "$args" not in log_format
    assert "$pact_log_path" in log_format
    masked = re.search(r"map \$uri \$pact_log_path \{(.*?)\n\}", config, re.S).group(1)
    alternatives = re.search(r"\(\?:([^)]*)\)", masked).group(1).split("|")
    prefixes = token_url_prefixes()
    assert {"/sign/", "/expression-of-interest/"} <= prefixes
    for prefix in prefixes:
        assert prefix.strip("/") in alternatives, f"{prefix} is written to the access log in full"


def test_gunicorn_writes_no_access_log_of_its_own():
    for path in ("Dockerfile", "docker-compose.yml"):
        assert "--access-logfile" not in (ROOT / path).read_text(), path


# --- Production is safe by default (issue: safe by default) --------------------------------------------


def production_environment(**extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SECURE_", "BEHIND_", "REDIS_", "DEBUG", "DJANGO_ALLOW_ASYNC"))
    }
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "pact_portal.settings",
        "DEBUG": "0",
        "SECRET_KEY": "p" * 20 + "-production-like-secret-key-with-enough-entropy-0123456789",
        "ALLOWED_HOSTS": "pact-for-skills.example.eu",
        "DATABASE_URL": "postgres://portal@db.example.eu:5432/pact_portal",
        **extra,
    }


def test_the_deploy_check_passes_with_only_the_secret_key_hosts_and_database():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_environment(),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_defaults_are_https_hsts_secure_cookies_and_a_shared_cache():
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.LANGUAGE_COOKIE_SECURE, s.LANGUAGE_COOKIE_SAMESITE, s.SECURE_PROXY_SSL_HEADER is not None, "
        "s.CACHES['default']['BACKEND'].rsplit('.', 1)[1])"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=production_environment(), capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True", "True", "True", "Lax", "True", "DatabaseCache"]


def test_a_cache_local_to_each_process_fails_the_deploy_check(settings):
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    ids = [message.id for message in run_checks(include_deployment_checks=True)]
    assert "pact_portal.W001" in ids
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "x"}}
    ids = [message.id for message in run_checks(include_deployment_checks=True)]
    assert "pact_portal.W001" not in ids


@pytest.mark.django_db
def test_the_health_check_answers_over_plain_http_while_pages_redirect_to_https(settings):
    settings.SECURE_SSL_REDIRECT = True
    client = Client()
    assert client.get("/partnerships/").status_code == 301
    assert client.get("/partnerships/")["Location"].startswith("https://")
    assert client.get("/healthz").status_code == 200


# --- Uploads are checked by structure, not by their first bytes (finding 10) ---------------------------

HTML_BEHIND_PDF_HEADER = b"%PDF-1.7\n<html><body><script>alert(document.domain)</script></body></html>\n"
SVG_BEHIND_PDF_HEADER = b'%PDF-1.4\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>\n'


def office_archive(document):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


@pytest.mark.parametrize("data", [HTML_BEHIND_PDF_HEADER, SVG_BEHIND_PDF_HEADER], ids=["html", "svg"])
def test_markup_behind_a_pdf_header_is_refused_as_a_scan_and_as_a_resource(data):
    with pytest.raises(ValidationError, match="not a PDF"):
        validate_scanned_pdf(SimpleUploadedFile("scan.pdf", data, content_type="application/pdf"))
    with pytest.raises(ValidationError, match="not of an accepted type"):
        check_upload(SimpleUploadedFile("handbook.pdf", data, content_type="application/pdf"))


def test_an_office_file_that_expands_a_thousandfold_is_refused():
    bomb = office_archive(b"\0" * (20 * 1024 * 1024))
    assert len(bomb) < 100 * 1024  # small on the wire…
    with pytest.raises(ValidationError, match="not of an accepted type"):
        check_upload(SimpleUploadedFile("template.docx", bomb))


def test_real_pdfs_and_office_files_are_still_accepted():
    pdf = make_pdf("Handbook", ["A page"])
    validate_scanned_pdf(SimpleUploadedFile("scan.pdf", pdf, content_type="application/pdf"))
    assert check_upload(SimpleUploadedFile("handbook.pdf", pdf)).extension == ".pdf"
    assert (
        check_upload(SimpleUploadedFile("template.docx", make_docx("A template", ["Row"]))).extension
        == ".docx"
    )
    assert (
        check_upload(SimpleUploadedFile("t.docx", office_archive("<w:document/>" * 200))).extension == ".docx"
    )


# --- Two-factor login: no password oracle, wrong codes count, no way around it (finding 8) --------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/admin/login/", "/accounts/login/"])
def test_a_right_password_with_a_wrong_code_looks_like_a_wrong_password(settings, staff, url):
    settings.STAFF_REQUIRE_2FA = True
    device = TOTPDevice.objects.create(user=staff, name="Ada's phone", confirmed=True)
    wrong_password = Client().post(
        url, {"username": "staff", "password": "not-the-password-1", "otp_token": "1"}
    )
    wrong_code = Client().post(
        url, {"username": "staff", "password": PASSWORD, "otp_token": totp_code(device, 1)}
    )
    no_code = Client().post(url, {"username": "staff", "password": PASSWORD})
    expected = wrong_password.context["form"].non_field_errors()
    assert expected and "one-time code" in expected[0]
    for response in (wrong_code, no_code):
        assert response.status_code == 200
        assert response.context["form"].non_field_errors() == expected
        body = response.content.decode()
        assert PASSWORD not in body and "Ada&#x27;s phone" not in body and "Invalid token" not in body


@pytest.mark.django_db
def test_wrong_codes_count_towards_the_lock_out(settings, staff_device):
    settings.AXES_FAILURE_LIMIT = 3
    device = staff_device
    attacker = Client(REMOTE_ADDR="203.0.113.70")
    statuses = []
    for _ in range(3):
        device.throttle_reset()
        credentials = {"username": "staff", "password": PASSWORD, "otp_token": totp_code(device, 1)}
        statuses.append(attacker.post("/admin/login/", credentials).status_code)
    device.throttle_reset()
    right = {"username": "staff", "password": PASSWORD, "otp_token": totp_code(device)}
    statuses.append(attacker.post("/admin/login/", right).status_code)
    assert statuses == [200, 200, 429, 429]
    assert "_auth_user_id" not in attacker.session


@pytest.mark.django_db
def test_the_site_login_asks_staff_for_their_code_and_lets_coordinators_in_without_one(staff_device):
    device = staff_device
    client = Client()
    assert 'name="otp_token"' in client.get("/accounts/login/").content.decode()
    client.post("/accounts/login/", {"username": "staff", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert client.get("/coordinator/").status_code == 302
    response = client.post(
        "/accounts/login/", {"username": "staff", "password": PASSWORD, "otp_token": totp_code(device)}
    )
    assert response.status_code == 302 and client.get("/admin/").status_code == 200  # verified by the code
    coordinator = make_coordinator(make_partnership())
    other = Client()
    response = other.post("/accounts/login/", {"username": coordinator.username, "password": PASSWORD})
    assert response.status_code == 302 and other.get("/coordinator/").status_code == 200


@pytest.mark.django_db
def test_one_address_trying_one_password_on_many_accounts_is_stopped(settings, staff):
    settings.RATE_LIMIT_LOGIN_ADDRESS_FAILURES = "4/3600"
    sprayer = Client(REMOTE_ADDR="203.0.113.80")
    statuses = [
        sprayer.post(
            "/accounts/login/", {"username": f"user{number}", "password": "Summer2026!!"}
        ).status_code
        for number in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]
    # Even a right password from that address waits; the account's owner elsewhere is not affected.
    assert sprayer.post("/accounts/login/", {"username": "staff", "password": PASSWORD}).status_code == 429
    assert (
        Client(REMOTE_ADDR="198.51.100.3")
        .post("/accounts/login/", {"username": "staff", "password": PASSWORD})
        .status_code
        == 302
    )


# --- The application's contact step could send unlimited mail (finding 3) --------------------------------


@pytest.mark.django_db
def test_changing_the_contact_address_again_and_again_sends_a_limited_number_of_links(
    settings, django_capture_on_commit_callbacks
):
    settings.RATE_LIMIT_EOI_MAILS = "3/3600"
    eoi = make_eoi_draft(step=1, organisation_name="Buy cheap pills at spam.example")
    mail.outbox.clear()
    client = Client()
    url = eoi.get_absolute_url() + "?step=2"
    for number in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            data = {**CONTACT, "contact_email": f"victim{number}@example.org"}
            response = client.post(url, data, follow=True)
        assert response.status_code == 200
    assert len(mail.outbox) == 3
    # Nothing the applicant typed is lost: the last address is saved, and the page says why no link went out.
    eoi.refresh_from_db()
    assert eoi.contact_email == "victim4@example.org"
    assert "we sent no link to the new address" in response.content.decode()
    # The organisation's name (the applicant's own words) never reaches a subject line.
    assert all("spam.example" not in message.subject for message in mail.outbox)


@pytest.mark.django_db
def test_the_draft_steps_are_limited_per_address(settings):
    settings.RATE_LIMIT_EOI_STEPS = "2/3600"
    eoi = make_eoi_draft(step=2)
    client = Client()
    url = eoi.get_absolute_url() + "?step=2"
    statuses = [client.post(url, CONTACT).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]


# --- The coordinator's member picker offered every organisation, as any role (finding 11) -----------------


@pytest.mark.django_db
def test_the_member_picker_offers_public_organisations_only_and_never_the_coordinator_role():
    partnership = make_partnership(members=1)
    client = Client()
    client.force_login(make_coordinator(partnership))
    public = make_partnership(name="Public neighbour partnership", members=2).memberships.first().organisation
    hidden = make_organisation(name="Known only from an application")
    unpublished = make_partnership(name="Draft partnership", members=1, is_published=False)
    unpublished_member = unpublished.memberships.first().organisation
    url = reverse("partnerships:coordinator_members", args=[partnership.slug])
    page = client.get(url).content.decode()
    assert public.name in page
    assert hidden.name not in page and unpublished_member.name not in page
    assert 'value="coordinator"' not in page
    for organisation, role in ((hidden, "member"), (public, "coordinator")):
        client.post(
            url, {"add_existing": "1", "existing-organisation": organisation.pk, "existing-role": role}
        )
        assert not partnership.memberships.filter(organisation=organisation).exists()
    client.post(url, {"add_existing": "1", "existing-organisation": public.pk, "existing-role": "member"})
    assert partnership.memberships.get(organisation=public).role == "member"


@pytest.mark.django_db
def test_a_refused_link_is_not_sent_by_saving_the_next_step_either(
    settings, django_capture_on_commit_callbacks
):
    settings.RATE_LIMIT_EOI_MAILS = "1/3600"
    eoi = make_eoi_draft(step=3)
    client = Client()
    base = eoi.get_absolute_url()
    step3 = {**PROPOSAL, "regions": ["ITC4"], "ecosystems": [eoi.ecosystems.first().pk]}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(base + "?step=2", {**CONTACT, "contact_email": "first@example.org"})
        client.post(base + "?step=2", {**CONTACT, "contact_email": "victim@example.org"})  # over the limit
        response = client.post(base + "?step=3", step3)
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [["first@example.org"]]
