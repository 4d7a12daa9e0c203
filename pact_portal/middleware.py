"""Security headers that Django's SecurityMiddleware does not set itself; a cap on request bodies."""

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import get_template


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
