import sys

from django.conf import settings
from django.contrib.auth.views import LoginView, PasswordResetView
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist, RequestDataTooBig
from django.db import InterfaceError, OperationalError, connection
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template.loader import get_template
from django.urls import reverse
from django.views.decorators.cache import never_cache

from . import ratelimit
from .auth import PortalLoginForm
from .cache import public_page
from .i18n import account_language_sign_in


def found_or_404(select, **lookup):
    """What the selector ``select(**lookup)`` finds; a record it does not find is a 404."""
    try:
        return select(**lookup)
    except ObjectDoesNotExist:
        raise Http404 from None


@never_cache
def healthz(request):
    """For the load balancer: 200 when the database and the cache answer, 503 otherwise."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        checks["database"] = f"error: {type(exc).__name__}"
    try:
        cache.set("healthz", "ok", 5)
        checks["cache"] = "ok" if cache.get("healthz") == "ok" else "error: no round trip"
    except Exception as exc:  # noqa: BLE001
        checks["cache"] = f"error: {type(exc).__name__}"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)


def bare(request):
    """The baseline of the benchmarks: Django's request cycle and nothing else."""
    return HttpResponse("ok", content_type="text/plain")


@public_page
def accessibility(request):
    """The accessibility statement: what the portal conforms to, how that is checked, and how to report a barrier."""
    return render(request, "accessibility.html", {"current": "accessibility"})


class PortalPasswordResetView(PasswordResetView):
    """/accounts/password_reset/: each POST may send an e-mail, so at most RATE_LIMIT_PASSWORD_RESET of them per
    client address and per e-mail address asked for (the styled 429 above it)."""

    def post(self, request, *args, **kwargs):
        rate = settings.RATE_LIMIT_PASSWORD_RESET
        email = request.POST.get("email", "").strip().lower()
        over = ratelimit.hit(request, bucket="password-reset", rate=rate)
        if email and not over:
            over = ratelimit.hit(request, bucket="password-reset-email", rate=rate, key=email) or over
        if over:
            return ratelimit.too_many_requests(request)
        return super().post(request, *args, **kwargs)


class PortalLoginView(LoginView):
    """/accounts/login/: a safe `next` wins; otherwise staff land in the admin, everyone else (coordinators)
    on LOGIN_REDIRECT_URL, their dashboard. Staff give their one-time code here too when it is required."""

    form_class = PortalLoginForm

    def form_valid(self, form):
        response = super().form_valid(form)
        account_language_sign_in(user=form.get_user(), request=self.request)
        return response

    def get_default_redirect_url(self):
        if self.request.user.is_staff:
            return reverse("admin:index")
        return super().get_default_redirect_url()


# --- Error pages -----------------------------------------------------------------------------------


def error_page(request, status, title, message, *, back=None):
    """A refusal a view decides on (an expired link, a form sent by a bot, a body too large), styled like the
    status pages; ``back`` is an optional ``(url, label)`` offered first. Too many requests: ratelimit's
    ``too_many_requests`` (templates/429.html)."""
    return render(request, "error.html", {"title": title, "message": message, "back": back}, status=status)


# --- Error handlers (see urls.py) ------------------------------------------------------------------

# Raised when the database cannot be reached (server down or restarting, connection dropped). Django wraps the
# driver's errors, except on a few paths that call the driver directly (closing a server-side cursor after the
# connection dropped raises psycopg2's own OperationalError): the driver's classes count too.
DATABASE_UNAVAILABLE = (
    OperationalError,
    InterfaceError,
    connection.Database.OperationalError,
    connection.Database.InterfaceError,
)


def _database_unavailable(error):
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, DATABASE_UNAVAILABLE):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def server_error(request, template_name="500.html"):
    """handler500. An unreachable database is a temporary state the portal recovers from by itself
    (connections are health-checked at each request): 503 with Retry-After, not a 500. Rendered without
    the request's context, which could need the database again."""
    if _database_unavailable(sys.exc_info()[1]):
        response = HttpResponse(get_template("503.html").render(), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponseServerError(get_template(template_name).render())


def bad_request(request, exception, template_name="400.html"):
    """handler400; a body larger than DATA_UPLOAD_MAX_MEMORY_SIZE is 413, not a generic 400."""
    if isinstance(exception, RequestDataTooBig):
        return HttpResponse(get_template("413.html").render(), status=413)
    return HttpResponseBadRequest(get_template(template_name).render())
