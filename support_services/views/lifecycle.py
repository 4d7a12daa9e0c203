"""Lifecycle support pages: the staff dashboard and a coordinator's view of the support record."""

from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ..selectors import lifecycle as selectors
from .common import managed_partnership


@never_cache
def staff_dashboard(request):
    """The support services' overview: what waits for them, with links into the admin."""
    context = {
        **admin.site.each_context(request),
        "title": _("Support services dashboard"),
        **selectors.staff_dashboard(),
    }
    return render(request, "support_services/staff_dashboard.html", context)


# The admin's own gate: staff only, and with STAFF_REQUIRE_2FA a session that gave its one-time code.
staff_dashboard = admin.site.admin_view(staff_dashboard)


@never_cache
@login_required
def coordinator_record(request, slug):
    partnership = managed_partnership(request, slug)
    return render(
        request,
        "support_services/coordinator/support_record.html",
        {"partnership": partnership, **selectors.coordinator_support_record(partnership=partnership)},
    )
