"""What the public forms share against automated and repeated posts: the honeypot field, its refusal page, the body
limit, the idempotency key bound to the browser.
Used by every app's public forms (it depends on none of them)."""

import functools
import re

from django import forms
from django.conf import settings
from django.middleware.csrf import get_token
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .views import error_page


class HoneypotMixin(forms.Form):
    """A field people never see (hidden by CSS, out of the tab order); bots that fill it are refused."""

    homepage = forms.CharField(label=gettext_lazy("Leave this field empty"), required=False)

    def is_spam(self):
        return bool(self.data.get("homepage", "").strip())


def limit_body(view):
    """Refuse request bodies larger than the forms can need (413), before Django parses them."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.EOI_MAX_REQUEST_BYTES:
            return _form_refused(
                request,
                413,
                _("Too much data"),
                _("The form sent more data than an application can hold. Shorten the longest answers."),
            )
        return view(request, *args, **kwargs)

    return wrapper


def _form_refused(request, status, title, message):
    """The error page of a refused form post, with the way back to the form."""
    return error_page(request, status, title, message, back=(request.path, _("Back to the form")))


def spam_refused(request):
    return _form_refused(
        request,
        400,
        _("The form could not be accepted"),
        _("Please fill in the form again without automatic tools."),
    )


CLIENT_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")


def browser_bound_key(request, client_key, *, salt):
    """The idempotency key to store with a new object: the one the form carried, bound to this browser's CSRF
    secret. A retried or double-clicked post finds its own object again; the same key sent from any other
    browser (a guessed, leaked or demo key) can never return somebody else's. A key that is not of the form's
    format counts as none (every post makes a new object)."""
    if not client_key or not CLIENT_KEY.fullmatch(client_key):
        return None
    get_token(request)  # makes sure the browser has a CSRF secret (a new one is set with this response)
    secret = request.META["CSRF_COOKIE"]
    return salted_hmac(salt, client_key, secret=secret, algorithm="sha256").hexdigest()
