"""The admin site: with STAFF_REQUIRE_2FA on, its login asks for a one-time code (TOTP, django-otp) and only
sessions verified by one of the user's devices get in (others are treated as not staff)."""

from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite

from .auth import OneAnswerOTPMixin


class AdminOTPLoginForm(OneAnswerOTPMixin, OTPAdminAuthenticationForm):
    """Username, password and code in one step; one answer for every failure (pact_portal/auth.py)."""

    error_messages = {
        **OTPAdminAuthenticationForm.error_messages,
        "invalid_login": _(
            "Enter the correct username, password and one-time code for a staff account. "
            "Both fields may be case-sensitive."
        ),
    }


class PortalAdminSite(admin.AdminSite):
    @property
    def login_form(self):
        return AdminOTPLoginForm if settings.STAFF_REQUIRE_2FA else None

    @property
    def login_template(self):
        return OTPAdminSite.login_template if settings.STAFF_REQUIRE_2FA else None

    def has_permission(self, request):
        allowed = super().has_permission(request)
        if allowed and settings.STAFF_REQUIRE_2FA:
            return request.user.is_verified()
        return allowed
