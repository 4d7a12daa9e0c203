"""Knowledge for partnerships: the resource library and the KPI repository (public pages), and copying a KPI
into a coordinator's draft declaration.

The public pages are cached whole for anonymous visitors; the copy buttons (with their CSRF token) appear only
for signed-in users, whose requests always carry a session cookie and so are never served from or stored in
the page cache (``pact_portal.cache``).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commitments import services as commitments_services
from commitments.models import KPI, Declaration
from pact_portal.cache import public_page
from pact_portal.lists import list_context
from pact_portal.views import found_or_404
from partnerships.services import coordinator_can_manage

from ..filters.knowledge import KpiFilter, ResourceFilter
from ..selectors import knowledge as selectors
from .common import stored_attachment

RESOURCES_PER_PAGE = 20
KPIS_PER_PAGE = 50


@public_page(vary_on=[ResourceFilter, "page"])
def resource_list(request):
    filterset = selectors.resource_search(request.GET)
    context = list_context(
        request, filterset, selectors.resource_rows(filterset.qs), per_page=RESOURCES_PER_PAGE
    )
    return render(request, "support_services/resource_list.html", context)


@public_page
def resource_detail(request, slug):
    resource = found_or_404(selectors.resource_detail_public, slug=slug)
    return render(request, "support_services/resource_detail.html", {"resource": resource})


def resource_download(request, slug, language):
    """An uploaded file, always as an attachment with the content type found when it was checked."""
    version = found_or_404(selectors.resource_version_public, slug=slug, language=language)
    if not version.file:
        if version.external_url:
            return redirect(version.external_url)
        raise Http404
    return stored_attachment(
        version.file,
        name=f"{slug}-{language}",
        content_type=version.content_type or "application/octet-stream",
    )


@public_page(vary_on=[KpiFilter, "page"])
def kpi_repository(request):
    filterset, rows = selectors.kpi_repository(request.GET)
    context = list_context(request, filterset, rows, per_page=KPIS_PER_PAGE)
    page = context["page_obj"]
    page.object_list = selectors.kpi_rows_with_context(page.object_list)
    drafts = selectors.coordinator_editable_declarations(user=request.user)
    return render(request, "support_services/kpi_repository.html", {**context, "drafts": drafts})


def _copy_source(source, pk):
    """The KPI or pledged target to copy, only as the public repository shows it."""
    if source == "declaration":
        return selectors.repository_kpis().filter(pk=pk).first()
    if source == "pledge":
        return selectors.repository_targets().filter(pk=pk).first()
    return None


@login_required
@require_POST
def kpi_copy(request):
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("support_services:kpi_repository")
    try:
        source = _copy_source(request.POST.get("source"), int(request.POST.get("id", "")))
        declaration = Declaration.objects.select_related("partnership").get(
            pk=int(request.POST.get("declaration", ""))
        )
    except (ValueError, Declaration.DoesNotExist):
        raise Http404 from None
    if source is None or not coordinator_can_manage(user=request.user, partnership=declaration.partnership):
        raise Http404
    baseline = source.baseline if isinstance(source, KPI) else 0
    try:
        commitments_services.declaration_add_kpi(
            declaration=declaration,
            actor=request.user,
            indicator=source.indicator,
            unit=source.unit,
            baseline=baseline,
            target=source.target,
            target_year=source.target_year,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "“%(indicator)s” was added to your draft declaration of %(partnership)s (v%(version)s). "
                "Adjust its baseline and target there."
            )
            % {
                "indicator": source.indicator,
                "partnership": declaration.partnership.name,
                "version": declaration.version,
            },
        )
    return redirect(back)
