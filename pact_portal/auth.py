"""Login lock-out (django-axes): the backend and the page shown to a locked-out username + address."""

import ipaddress

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.shortcuts import render

from pact_portal.ratelimit import client_address


class LockoutBackend(AxesStandaloneBackend):
    """Axes' check, for logins through a web request (the login pages); logins without a request (the test
    client's login(), a shell) cannot be brute-forced from outside and go straight to the next backend."""

    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


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
