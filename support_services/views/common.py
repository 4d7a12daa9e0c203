"""What the support services' pages share: error pages, the request-size limit, the coordinator's partnership."""

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from pact_portal.antispam import limit_body, spam_refused  # noqa: F401 - imported from here
from pact_portal.ratelimit import too_many_requests  # noqa: F401 - the views of this package import it from here
from pact_portal.views import error_page  # noqa: F401 - the views of this package import it from here
from partnerships.models import Partnership
from partnerships.services import coordinator_can_manage


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
