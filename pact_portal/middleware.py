"""Security headers that Django's SecurityMiddleware does not set itself; a cap on request bodies; the limits of a
logged-in session; the HTTP methods the portal answers."""

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
# When the session's login happened (seconds since the epoch): the absolute lifetime counts from it.
LOGIN_SESSION_KEY = "logged_in_at"


@receiver(user_logged_in)
def _start_session_clocks(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[LOGIN_SESSION_KEY] = now
        request.session[IDLE_SESSION_KEY] = now


def _logged_out(request, message):
    logout(request)
    messages.info(request, message)
    login_url = reverse("admin:login") if request.path.startswith("/admin/") else None
    return redirect_to_login(request.get_full_path(), login_url=login_url)


class SessionLimitsMiddleware:
    """Two limits on a logged-in session, checked at every request:

    - its absolute lifetime (SESSION_COOKIE_AGE from the login), which activity never extends: Django renews a
      session's expiry each time the session is saved, and this middleware saves staff sessions every minute;
    - for staff accounts, an idle timeout (STAFF_IDLE_TIMEOUT_MINUTES without a request).

    Either ends the session and sends the user to the login page (the admin's for admin pages) with a message.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            started = request.session.setdefault(LOGIN_SESSION_KEY, now)
            if now - started > settings.SESSION_COOKIE_AGE:
                return _logged_out(
                    request,
                    _("Your session has ended after %(hours)d hours. Log in again.")
                    % {"hours": settings.SESSION_COOKIE_AGE // 3600},
                )
            timeout = settings.STAFF_IDLE_TIMEOUT_MINUTES * 60
            if timeout and user.is_staff:
                last = request.session.get(IDLE_SESSION_KEY)
                if last is not None and now - last > timeout:
                    return _logged_out(
                        request, _("You were logged out after a period without activity. Log in again.")
                    )
                if last is None or now - last >= 60:
                    request.session[IDLE_SESSION_KEY] = now
        response = self.get_response(request)
        if user is not None and user.is_authenticated:
            # A page for a logged-in user (coordinator pages, draft PDFs, the admin) is never stored by a browser
            # or a proxy: it could be shown to the next person on a shared computer.
            response.headers["Cache-Control"] = "private, no-store"
        return response


class MethodAllowlistMiddleware:
    """The portal answers GET, HEAD and POST; anything else (TRACE, OPTIONS, PUT, DELETE…) gets an empty 405
    with Allow, before any view runs (a view would otherwise answer OPTIONS or TRACE with its page)."""

    ALLOWED = ("GET", "HEAD", "POST")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in self.ALLOWED:
            response = HttpResponse(status=405)
            response["Allow"] = ", ".join(self.ALLOWED)
            return response
        return self.get_response(request)
