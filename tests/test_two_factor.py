"""Optional two-factor login for the admin (STAFF_REQUIRE_2FA, django-otp TOTP)."""

import pytest
from django.core.management import call_command
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.partnerships.builders import PASSWORD, make_user, totp_code


@pytest.mark.django_db
def test_the_command_creates_a_device_and_an_svg_qr_code(staff, tmp_path, capsys):
    call_command("staff_totp_device", "staff", "--svg", str(tmp_path / "qr.svg"))
    device = TOTPDevice.objects.get(user=staff)
    assert device.confirmed
    out = capsys.readouterr().out
    assert "otpauth://totp/" in out and "issuer=Pact" in out
    svg = (tmp_path / "qr.svg").read_text()
    assert "<svg" in svg and "TOTP provisioning" in svg


@pytest.mark.django_db
def test_the_command_refuses_unknown_and_non_staff_accounts(db):
    from django.core.management.base import CommandError

    make_user(username="coordinator")
    with pytest.raises(CommandError, match="No account"):
        call_command("staff_totp_device", "nobody")
    with pytest.raises(CommandError, match="not a staff account"):
        call_command("staff_totp_device", "coordinator")


@pytest.mark.django_db
def test_without_the_setting_a_password_is_enough(settings, staff):
    settings.STAFF_REQUIRE_2FA = False
    client = Client()
    assert "otp_token" not in client.get("/admin/login/").content.decode()
    client.post("/admin/login/", {"username": "staff", "password": PASSWORD})
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_with_the_setting_the_admin_needs_a_one_time_code(staff_device):
    device = staff_device
    client = Client()
    assert 'name="otp_token"' in client.get("/admin/login/").content.decode()
    # Password alone, or with a wrong code: the form again, not logged in.
    for token in ("", totp_code(device, offset=1)):
        response = client.post(
            "/admin/login/", {"username": "staff", "password": PASSWORD, "otp_token": token}
        )
        assert response.status_code == 200 and "_auth_user_id" not in client.session
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # each wrong code makes the next try wait longer
    device.throttle_reset()  # (as if the wait had passed)
    response = client.post(
        "/admin/login/", {"username": "staff", "password": PASSWORD, "otp_token": totp_code(device)}
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_with_the_setting_a_session_logged_in_without_a_code_is_not_let_in(settings, staff):
    settings.STAFF_REQUIRE_2FA = True
    client = Client()
    client.force_login(staff)  # e.g. through /accounts/login/, which asks for no code
    for path in ("/admin/", "/support/dashboard/"):
        response = client.get(path)
        assert response.status_code == 302 and response.url.startswith("/admin/login/"), path


@pytest.mark.django_db
def test_a_new_device_replaces_the_old_one_so_the_login_keeps_working(settings, staff, capsys):
    settings.STAFF_REQUIRE_2FA = True
    call_command("staff_totp_device", "staff", "--name", "old phone")
    call_command("staff_totp_device", "staff", "--name", "new phone")
    assert list(TOTPDevice.objects.filter(user=staff).values_list("name", flat=True)) == ["new phone"]
    assert "Replaced 1 earlier device" in capsys.readouterr().out
    device = TOTPDevice.objects.get(user=staff)
    response = Client().post(
        "/admin/login/", {"username": "staff", "password": PASSWORD, "otp_token": totp_code(device)}
    )
    assert response.status_code == 302
