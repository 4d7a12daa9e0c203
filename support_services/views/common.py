"""What the support services' pages share: error pages, the request-size limit, the coordinator's partnership."""

import functools

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from partnerships.models import Partnership
from partnerships.services import coordinator_can_manage


def error_page(request, status, title, message):
    return render(request, "support_services/error.html", {"title": title, "message": message}, status=status)


def too_many_requests(request):
    return error_page(
        request,
        429,
        _("Too many requests"),
        _(
            "We received too many requests from your address. Your data is safe; please wait a while "
            "and try again, or write to the support services."
        ),
    )


def limit_body(view):
    """Refuse request bodies larger than the forms can need (413), before Django parses them."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.EOI_MAX_REQUEST_BYTES:
            return error_page(
                request,
                413,
                _("Too much data"),
                _("The form sent more data than an application can hold. Shorten the longest answers."),
            )
        return view(request, *args, **kwargs)

    return wrapper


def spam_refused(request):
    return error_page(
        request,
        400,
        _("The form could not be accepted"),
        _("Please fill in the form again without automatic tools."),
    )


def managed_partnership(request, slug):
    partnership = get_object_or_404(Partnership, slug=slug)
    if not coordinator_can_manage(user=request.user, partnership=partnership):
        raise Http404
    return partnership
