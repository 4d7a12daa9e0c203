"""Staff and coordinator accounts: login lock-out (django-axes), password rules, session lifetime and the
staff idle timeout."""

import datetime
import time

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from pact_portal.middleware import IDLE_SESSION_KEY
from tests.partnerships.builders import PASSWORD, make_partnership, make_user


def fail(client, url, username, times):
    for _ in range(times):
        response = client.post(url, {"username": username, "password": "wrong-password-123"})
        assert response.status_code == 200  # the form again, with its error
    return response


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_repeated_failures_lock_the_username_from_that_address(settings, staff, url):
    settings.AXES_FAILURE_LIMIT = 3
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    fail(attacker, url, "staff", 2)
    response = attacker.post(url, {"username": "staff", "password": "wrong-password-123"})
    assert response.status_code == 429
    content = response.content.decode()
    assert "Login temporarily blocked" in content and "30 minutes" in content
    assert 'href="/partnerships/"' in content  # styled like the other error pages
    # Even the right password is refused now, from any session at that address.
    response = Client(REMOTE_ADDR="203.0.113.7").post(url, {"username": "staff", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in Client(REMOTE_ADDR="203.0.113.7").session
    # The real user at another address, and another username from the attacker's address, are not blocked.
    assert (
        Client(REMOTE_ADDR="198.51.100.2").post(url, {"username": "staff", "password": PASSWORD}).status_code
        == 302
    )
    assert attacker.post(url, {"username": "someone-else", "password": "x-wrong-password"}).status_code == 200


@pytest.mark.django_db
def test_the_lock_is_stored_in_the_shared_database_and_ends_after_the_cool_off(settings, staff):
    settings.AXES_FAILURE_LIMIT = 3
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"  # behind the proxy: the address it passes on counts
    client = Client(HTTP_X_REAL_IP="203.0.113.9")
    fail(client, "/accounts/login/", "staff", 2)
    assert client.post("/accounts/login/", {"username": "staff", "password": "x-wrong-1"}).status_code == 429
    attempt = AccessAttempt.objects.get(username="staff")
    assert (attempt.ip_address, attempt.failures_since_start) == ("203.0.113.9", 3)
    right = {"username": "staff", "password": PASSWORD}
    assert client.post("/accounts/login/", right).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=31))
    response = client.post("/accounts/login/", right)
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(staff.pk)


@pytest.mark.django_db
def test_a_successful_login_resets_the_failure_count(settings, staff):
    settings.AXES_FAILURE_LIMIT = 3
    client = Client()
    fail(client, "/accounts/login/", "staff", 2)
    assert client.post("/accounts/login/", {"username": "staff", "password": PASSWORD}).status_code == 302
    client.logout()
    fail(client, "/accounts/login/", "staff", 2)
    assert client.post("/accounts/login/", {"username": "staff", "password": PASSWORD}).status_code == 302


@pytest.mark.parametrize(
    "password, accepted",
    [
        ("short-Pw-1", False),
        ("123456789012345", False),
        ("password123456", False),
        ("lantern-Quiet-river-42", True),
    ],
)
@pytest.mark.django_db
def test_passwords_need_twelve_characters_and_must_not_be_common_or_numeric(password, accepted):
    if accepted:
        validate_password(password)
    else:
        with pytest.raises(ValidationError):
            validate_password(password)


@pytest.mark.django_db
def test_a_session_lasts_eight_hours_by_default(staff):
    client = Client()
    response = client.post("/accounts/login/", {"username": "staff", "password": PASSWORD})
    assert response.cookies["sessionid"]["max-age"] == 8 * 3600


def age_idle_clock(client, minutes):
    session = client.session
    session[IDLE_SESSION_KEY] = int(time.time()) - minutes * 60
    session.save()


@pytest.mark.django_db
def test_staff_are_logged_out_after_the_idle_timeout(staff):
    client = Client()
    client.force_login(staff)
    age_idle_clock(client, 29)
    assert client.get("/admin/").status_code == 200  # active within 30 minutes: still logged in
    age_idle_clock(client, 31)
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain == [("/admin/login/?next=/admin/", 302)]
    assert "You were logged out after a period without activity" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get("/support/dashboard/").url == "/admin/login/?next=/support/dashboard/"


@pytest.mark.django_db
def test_logging_in_again_restarts_the_idle_clock(staff):
    client = Client()
    age_idle_clock(client, 120)  # a stale value left in an anonymous session
    client.post("/accounts/login/", {"username": "staff", "password": PASSWORD})
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_the_idle_timeout_is_for_staff_only_and_can_be_switched_off(settings, staff):
    coordinator = make_user()
    client = Client()
    client.force_login(coordinator)
    age_idle_clock(client, 600)
    assert client.get("/coordinator/").status_code == 200
    settings.STAFF_IDLE_TIMEOUT_MINUTES = 0
    client.force_login(staff)
    age_idle_clock(client, 600)
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_a_login_without_a_usable_client_address_is_recorded_without_one(settings, staff):
    """No REMOTE_ADDR, or a proxy header that is not an address: PostgreSQL's inet column must not fail."""
    from axes.models import AccessLog

    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    client = Client(HTTP_X_REAL_IP="not-an-address")
    assert client.post("/accounts/login/", {"username": "staff", "password": PASSWORD}).status_code == 302
    assert AccessLog.objects.get(username="staff").ip_address is None


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_a_very_long_username_is_refused_like_any_wrong_login(settings, url):
    """Axes keeps usernames in a 255-character column, which PostgreSQL enforces: no 500 for a long one."""
    settings.AXES_FAILURE_LIMIT = 2
    client = Client(REMOTE_ADDR="203.0.113.9")
    long_name = "ä" * 300
    fail(client, url, long_name, 1)
    attempt = AccessAttempt.objects.get(ip_address="203.0.113.9")
    assert attempt.username == long_name[:255]
    # Failures with it still count towards the lock-out.
    assert client.post(url, {"username": long_name, "password": "wrong-password-123"}).status_code == 429


# --- Where /accounts/login/ leads -----------------------------------------------------------------------


def login(client, user, **query):
    url = "/accounts/login/" + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
    return client.post(url, {"username": user.username, "password": PASSWORD})


@pytest.mark.django_db
def test_staff_land_in_the_admin_and_coordinators_on_their_dashboard(client, staff, coordinator_of):
    coordinator = coordinator_of(make_partnership())
    assert login(client, staff)["Location"] == "/admin/"
    client.logout()
    response = login(client, coordinator)
    assert response["Location"] == "/coordinator/"
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.django_db
def test_a_safe_next_wins_and_an_outside_one_is_ignored(client, staff):
    assert login(client, staff, next="/partnerships/")["Location"] == "/partnerships/"
    client.logout()
    assert login(client, staff, next="https://evil.example/")["Location"] == "/admin/"
