"""Login lock-out (django-axes): the backend and the page shown to a locked-out username + address."""

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.shortcuts import render


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
