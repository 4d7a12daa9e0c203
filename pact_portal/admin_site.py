"""The admin site: with STAFF_REQUIRE_2FA on, its login asks for a one-time code (TOTP, django-otp) and only
sessions verified by one of the user's devices get in (others are treated as not staff)."""

from django.conf import settings
from django.contrib import admin
from django_otp import devices_for_user
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite


class AdminOTPLoginForm(OTPAdminAuthenticationForm):
    """Username, password and code in one step when the account has a single device (the usual case);
    with several, django-otp's form asks which one after the first try."""

    def _chosen_device(self, user):
        device = super()._chosen_device(user)
        if device is None:
            devices = list(devices_for_user(user, confirmed=True))
            if len(devices) == 1:
                device = devices[0]
        return device


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
