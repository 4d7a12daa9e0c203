"""What the support services' pages share: error pages, the request-size limit, the coordinator's partnership."""

import functools

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from pact_portal.ratelimit import too_many_requests  # noqa: F401 - the views of this package import it from here
from pact_portal.views import error_page
from partnerships.models import Partnership
from partnerships.services import coordinator_can_manage


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


def _form_refused(request, status, title, text):
    return error_page(request, status, title, text, back=(request.path, _("Back to the form")))


def spam_refused(request):
    return _form_refused(
        request,
        400,
        _("The form could not be accepted"),
        _("Please fill in the form again without automatic tools."),
    )


def stored_attachment(file, *, name, content_type):
    """An uploaded file as an attachment (never rendered by the browser), named ``name`` and its extension;
    a file the storage lost is a 404."""
    try:
        stored = default_storage.open(file.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    extension = file.name.rsplit(".", 1)[-1]
    return FileResponse(stored, as_attachment=True, filename=f"{name}.{extension}", content_type=content_type)


def managed_partnership(request, slug):
    partnership = get_object_or_404(Partnership, slug=slug)
    if not coordinator_can_manage(user=request.user, partnership=partnership):
        raise Http404
    return partnership
