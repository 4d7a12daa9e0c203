"""Login lock-out (django-axes): the backend and the page shown to a locked-out username + address; the login
forms' one-time code for staff (django-otp)."""

import ipaddress

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.db.models.fields import BLANK_CHOICE_DASH
from django.dispatch import receiver
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from django_otp.forms import OTPAuthenticationFormMixin

from pact_portal import ratelimit
from pact_portal.ratelimit import client_address


class LockoutBackend(AxesStandaloneBackend):
    """Axes' check, for logins through a web request (the login pages); logins without a request (the test
    client's login(), a shell) cannot be brute-forced from outside and go straight to the next backend."""

    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        if ratelimit.over(request, bucket=ADDRESS_FAILURES, rate=settings.RATE_LIMIT_LOGIN_ADDRESS_FAILURES):
            # Too many failures from this address across usernames (password spraying): refused like a lock-out.
            request.axes_locked_out = True
            raise AxesBackendPermissionDenied("Too many failed logins from this address.")
        return super().authenticate(request, username=username, password=password, **kwargs)


ADDRESS_FAILURES = "login-failures"


@receiver(user_login_failed)
def _count_failure_per_address(sender, credentials=None, request=None, **kwargs):
    """Every failed login (wrong password, wrong code, locked out) counts for its client address, whatever the
    username: the lock-out per username + address alone lets one address try one password on many accounts."""
    if request is not None:
        ratelimit.hit(request, bucket=ADDRESS_FAILURES, rate=settings.RATE_LIMIT_LOGIN_ADDRESS_FAILURES)


def lockout_response(request, original_response=None, credentials=None):
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    return render(
        request,
        "registration/locked_out.html",
        {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


def client_ip(request):
    """The client address for axes' records, or None when it is not an IP address (no REMOTE_ADDR, a
    malformed proxy header): PostgreSQL stores these in an inet column, which refuses anything else."""
    address = client_address(request)
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return None
    return address


# Axes stores the username in a 255-character column; PostgreSQL refuses a longer value (a 500 on the login
# page for anyone posting a long username). No account has such a name: what is recorded is cut to fit.
USERNAME_MAX_LENGTH = 255


def client_username(request, credentials=None):
    """The username axes counts failures for: the one submitted, cut to the length axes can store."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        username = credentials.get(field)
    else:
        username = request.POST.get(field) if request is not None else None
    return None if username is None else str(username)[:USERNAME_MAX_LENGTH]


class OneAnswerOTPMixin:
    """For login forms that also ask staff for a one-time code (django-otp's OTPAuthenticationFormMixin):

    - one answer for every failure, so the form never tells that the password was right (django-otp says
      "Invalid token", re-fills the password and lists the account's devices when only the code was wrong);
    - a wrong or missing code counts as a failed login for the lock-out (django-axes), like a wrong password;
    - with a single device (the usual case) it is used without asking which one.
    """

    def _chosen_device(self, user):
        device = super()._chosen_device(user)
        if device is None:
            devices = list(devices_for_user(user, confirmed=True))
            if len(devices) == 1:
                device = devices[0]
        return device

    def clean_otp(self, user):
        try:
            super().clean_otp(user)
        except ValidationError:
            user_login_failed.send(
                sender=type(self),
                credentials={settings.AXES_USERNAME_FORM_FIELD: user.get_username()},
                request=self.request,
            )
            self.user_cache = None
            self.fields["password"].widget.render_value = False
            if "otp_device" in self.fields:
                self.fields["otp_device"].widget.choices = BLANK_CHOICE_DASH
            raise self.get_invalid_login_error() from None


class PortalLoginForm(OneAnswerOTPMixin, OTPAuthenticationFormMixin, AuthenticationForm):
    """/accounts/login/. With STAFF_REQUIRE_2FA a staff account needs its one-time code here too (as at the
    admin login); coordinators have no code and leave the field empty."""

    otp_token = forms.CharField(
        label=_("One-time code (staff accounts only)"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Enter a correct username and password (and, for a staff account, its one-time code). "
            "Both fields may be case-sensitive."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not settings.STAFF_REQUIRE_2FA:
            del self.fields["otp_token"]

    def clean(self):
        cleaned_data = super().clean()
        user = self.get_user()
        if settings.STAFF_REQUIRE_2FA and user is not None and user.is_staff:
            self.clean_otp(user)
        return cleaned_data
