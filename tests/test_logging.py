"""Request ids (X-Request-ID) and the JSON log lines."""

import io
import json
import logging
import re

import pytest
from django.test import Client

from pact_portal.request_log import JsonFormatter, TextFormatter
from tests.partnerships.builders import PASSWORD, make_user

HEX32 = re.compile(r"^[0-9a-f]{32}$")


@pytest.fixture
def log_lines():
    """What the configured console handler writes while the test runs, one parsed JSON object per line."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    assert isinstance(handler.formatter, JsonFormatter)  # LOG_FORMAT defaults to json when not DEBUG
    buffer = io.StringIO()
    previous = handler.setStream(buffer)

    def read():
        return [json.loads(line) for line in buffer.getvalue().splitlines()]

    yield read
    handler.setStream(previous)


@pytest.mark.django_db
def test_a_valid_incoming_request_id_is_returned_and_logged(log_lines):
    response = Client().get("/privacy/?email=someone@example.org", HTTP_X_REQUEST_ID="proxy-4f1c2a9e-0001")
    assert response.status_code == 200
    assert response["X-Request-ID"] == "proxy-4f1c2a9e-0001"
    (line,) = [line for line in log_lines() if line["logger"] == "pact_portal.request"]
    assert line["request_id"] == "proxy-4f1c2a9e-0001"
    assert (line["level"], line["method"], line["path"], line["status"]) == ("INFO", "GET", "/privacy/", 200)
    assert isinstance(line["duration_ms"], float) and line["time"].endswith("Z")
    assert "someone@example.org" not in json.dumps(log_lines())  # no query strings in the log


@pytest.mark.parametrize(
    "bad", ["short", "x" * 65, "has spaces in it", "new\nline-injected", "<script>1</script>"]
)
@pytest.mark.django_db
def test_a_malformed_incoming_id_is_replaced(bad):
    response = Client().get("/healthz", HTTP_X_REQUEST_ID=bad)
    assert HEX32.match(response["X-Request-ID"])


@pytest.mark.django_db
def test_every_response_gets_a_new_id():
    client = Client()
    first, second = client.get("/healthz")["X-Request-ID"], client.get("/healthz")["X-Request-ID"]
    assert HEX32.match(first) and HEX32.match(second) and first != second


@pytest.mark.django_db
def test_log_records_written_during_a_request_carry_its_id(caplog):
    caplog.set_level(logging.INFO)
    response = Client().get("/partnerships/")
    records = [r for r in caplog.records if r.name == "pact_portal.request"]
    assert [r.request_id for r in records] == [response["X-Request-ID"]]
    assert records[0].status == 200 and records[0].path == "/partnerships/"


@pytest.mark.django_db
def test_the_user_id_is_logged_and_passwords_never_are(log_lines):
    user = make_user(username="coord")
    client = Client()
    client.post("/accounts/login/", {"username": "coord", "password": PASSWORD})
    client.get("/coordinator/")
    lines = log_lines()
    assert PASSWORD not in json.dumps(lines)
    (dashboard,) = [line for line in lines if line.get("path") == "/coordinator/" and "status" in line]
    assert dashboard["user_id"] == user.pk


@pytest.mark.django_db
def test_secret_link_tokens_are_hidden_in_the_log(log_lines):
    token = "A" * 43
    response = Client().get(f"/sign/{token}/")
    assert response.status_code == 410
    lines = log_lines()
    assert token not in json.dumps(lines)
    access = [line for line in lines if line["logger"] == "pact_portal.request"]
    assert access[0]["path"] == "/sign/[token]/"
    warning = [line for line in lines if line["logger"] == "django.request"]
    assert warning and warning[0]["message"] == "Gone: /sign/[token]/"
    assert warning[0]["request_id"] == response["X-Request-ID"]


@pytest.mark.django_db
def test_a_server_error_is_logged_with_the_request_id_and_traceback(settings, log_lines):
    settings.ROOT_URLCONF = "tests.boom_urls"
    settings.DEBUG = False
    response = Client(raise_request_exception=False).get("/boom/", HTTP_X_REQUEST_ID="req-500-abcdef")
    assert response.status_code == 500 and response["X-Request-ID"] == "req-500-abcdef"
    assert "Something went wrong" in response.content.decode()
    (error,) = [line for line in log_lines() if line["level"] == "ERROR"]
    assert error["logger"] == "django.request" and error["request_id"] == "req-500-abcdef"
    assert error["message"] == "Internal Server Error: /boom/"
    assert "RuntimeError: the test view failed on purpose" in error["exc_info"]


def test_text_format_for_development_shows_the_request_id():
    formatter = TextFormatter("%(levelname)s %(name)s [%(rid)s] %(message)s")
    record = logging.LogRecord("portal", logging.INFO, __file__, 1, "hello %s", ("world",), None)
    assert formatter.format(record) == "INFO portal [-] hello world"
    record.request_id = "abc123def456"
    assert formatter.format(record) == "INFO portal [abc123def456] hello world"


def test_log_lines_outside_a_request_are_plain_json():
    record = logging.LogRecord("portal.jobs", logging.WARNING, __file__, 1, "purged %d", (3,), None)
    line = json.loads(JsonFormatter().format(record))
    assert {k: line[k] for k in ("level", "logger", "message")} == {
        "level": "WARNING",
        "logger": "portal.jobs",
        "message": "purged 3",
    }
    assert "request_id" not in line
