"""What the support services' pages share: error pages, the request-size limit, the coordinator's partnership."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from pact_portal.antispam import limit_body, spam_refused  # noqa: F401 - imported from here
from pact_portal.ratelimit import too_many_requests  # noqa: F401 - the views of this package import it from here
from pact_portal.views import error_page  # noqa: F401 - the views of this package import it from here
from partnerships.models import Partnership
from partnerships.services import coordinator_can_manage


def managed_partnership(request, slug):
    partnership = get_object_or_404(Partnership, slug=slug)
    if not coordinator_can_manage(user=request.user, partnership=partnership):
        raise Http404
    return partnership
