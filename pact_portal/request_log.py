"""Request ids and structured logs.

``RequestIdMiddleware`` (first in MIDDLEWARE) takes the reverse proxy's ``X-Request-ID`` when it is well
formed, or makes one, returns it in the response header and keeps the request in a context variable, so
``RequestContextFilter`` can stamp every log record written while the request runs (Django's own
"Internal Server Error" records included) with the id, method, path and user. The middleware writes one
access line per request on the ``pact_portal.request`` logger (status and duration).

``JsonFormatter`` writes one JSON object per line with a fixed set of fields: nothing else a record carries
(the request object, form data, headers) can reach the log. Paths are logged without their query string,
and the secret part of personal links (URL arguments named ``token``) is replaced by ``[token]``.
"""

import contextvars
import logging
import re
import time
import uuid

from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter

HEADER = "X-Request-ID"
# A proxy's id (nginx $request_id is 32 hex digits, a UUID has dashes): 8 to 64 of [A-Za-z0-9._-].
VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
REDACTED = "[token]"

_current_request = contextvars.ContextVar("pact_request", default=None)
access_logger = logging.getLogger("pact_portal.request")


def incoming_id(request):
    value = request.META.get("HTTP_X_REQUEST_ID", "")
    return value if VALID_ID.match(value) else None


def current_request_id():
    request = _current_request.get()
    return getattr(request, "request_id", None)


def safe_path(request):
    """The path without query string, with the values of URL arguments named like ``token`` hidden."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is not None:
        for name, value in match.kwargs.items():
            if "token" in name and isinstance(value, str) and value:
                path = path.replace(value, REDACTED)
    return path


def _user_id(request):
    user = getattr(request, "user", None)  # not set before AuthenticationMiddleware ran
    if user is not None and getattr(user, "is_authenticated", False):
        return user.pk
    return None


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = incoming_id(request) or uuid.uuid4().hex
        token = _current_request.set(request)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[HEADER] = request.request_id
            access_logger.info(
                "%s %s %s",
                request.method,
                safe_path(request),
                response.status_code,
                extra={
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
            return response
        finally:
            _current_request.reset(token)


class RequestContextFilter(logging.Filter):
    """Adds request_id, method, path and user_id (None outside a request) to every record."""

    def filter(self, record):
        # Django logs 4xx responses after the middleware has returned; those records carry the request.
        request = _current_request.get() or getattr(record, "request", None)
        if request is not None and not hasattr(request, "META"):
            request = None
        record.request_id = getattr(request, "request_id", None)
        record.method = getattr(request, "method", None)
        record.path = safe_path(request) if request is not None else None
        record.user_id = _user_id(request) if request is not None else None
        if request is not None and record.path != request.path:
            # Django's "Not Found: /sign/<token>/" messages carry the raw path: hide the secret there too.
            record.msg = record.getMessage().replace(request.path, record.path)
            record.args = ()
        return True


class JsonFormatter(BaseJsonFormatter):
    """One JSON object per line, with only these fields (absent ones are left out)."""

    FIELDS = ("request_id", "method", "path", "status", "duration_ms", "user_id")

    def add_fields(self, log_data, record, message_dict):
        log_data["time"] = self.formatTime(record, self.datefmt)
        log_data["level"] = record.levelname
        log_data["logger"] = record.name
        log_data["message"] = record.getMessage()
        for field in self.FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                log_data[field] = value
        for field in ("exc_info", "stack_info"):
            if message_dict.get(field):
                log_data[field] = message_dict[field]

    def formatTime(self, record, datefmt=None):  # noqa: N802 - logging's name
        return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z"


class TextFormatter(logging.Formatter):
    """Readable lines for development; the format may use %(rid)s, the request id or "-"."""

    def format(self, record):
        record.rid = getattr(record, "request_id", None) or "-"
        return super().format(record)
