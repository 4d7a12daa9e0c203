"""Security headers that Django's SecurityMiddleware does not set itself; a cap on request bodies; the staff
idle timeout."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpResponse
from django.template.loader import get_template
from django.urls import reverse
from django.utils.translation import gettext as _


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response (unless a view set its own)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.csp = "; ".join(
            f"{directive} {sources}" for directive, sources in settings.CONTENT_SECURITY_POLICY.items()
        )
        self.permissions = settings.PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault("Permissions-Policy", self.permissions)
        return response


class RequestSizeLimitMiddleware:
    """Refuse any request body larger than MAX_REQUEST_BYTES with a styled 413, before anything reads it.

    Django caps form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but not uploaded files; this caps both.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            return HttpResponse(get_template("413.html").render(), status=413)
        return self.get_response(request)


IDLE_SESSION_KEY = "staff_last_seen"


@receiver(user_logged_in)
def _start_idle_clock(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[IDLE_SESSION_KEY] = int(time.time())


class StaffIdleTimeoutMiddleware:
    """Logs a staff account out after STAFF_IDLE_TIMEOUT_MINUTES without a request, and sends it to the
    login page (the admin's for admin pages) with a message. The session is written at most once a minute."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timeout = settings.STAFF_IDLE_TIMEOUT_MINUTES * 60
        user = getattr(request, "user", None)
        if timeout and user is not None and user.is_authenticated and user.is_staff:
            now = int(time.time())
            last = request.session.get(IDLE_SESSION_KEY)
            if last is not None and now - last > timeout:
                logout(request)
                messages.info(
                    request, _("You were logged out after a period without activity. Log in again.")
                )
                login_url = reverse("admin:login") if request.path.startswith("/admin/") else None
                return redirect_to_login(request.get_full_path(), login_url=login_url)
            if last is None or now - last >= 60:
                request.session[IDLE_SESSION_KEY] = now
        return self.get_response(request)
