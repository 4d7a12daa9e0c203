"""The public events pages and their iCalendar files."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from pact_portal.cache import public_page
from pact_portal.lists import list_context, querystring_without
from pact_portal.views import found_or_404

from ..filters.events import PAST, UPCOMING, EventFilter
from ..models.events import EventMaterial
from ..selectors import events as selectors
from .common import stored_attachment

EVENTS_PAGE_SIZE = 20
CALENDAR_TYPE = "text/calendar; charset=utf-8"


@public_page(vary_on=[EventFilter, "page"])
def event_list(request):
    filterset = selectors.event_search(request.GET)
    # The period is a tab, not a chip.
    context = list_context(
        request,
        filterset,
        selectors.event_rows(filterset.qs),
        per_page=EVENTS_PAGE_SIZE,
        exclude=("sort", "when"),
    )
    others = querystring_without(request.GET, "when")
    return render(
        request,
        "support_services/event_list.html",
        {
            **context,
            "when": filterset.period,
            "tabs": [(UPCOMING, _("Upcoming"), others), (PAST, _("Past"), others)],
        },
    )


@public_page
def event_detail(request, slug):
    event = found_or_404(selectors.event_detail_public, slug=slug)
    return render(
        request,
        "support_services/event_detail.html",
        {"event": event, "is_past": event.ends_at < timezone.now()},
    )


def event_material(request, slug, pk):
    """An uploaded material, always as an attachment (never rendered by the browser)."""
    material = EventMaterial.objects.select_related("event").filter(event__slug=slug, pk=pk).first()
    if material is None or not material.file:
        raise Http404
    return stored_attachment(material.file, name=f"{slug}-{pk}", content_type=material.content_type)


def _calendar_response(content, filename):
    response = HttpResponse(content, content_type=CALENDAR_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@public_page
def event_ics(request, slug):
    event = found_or_404(selectors.event_detail_public, slug=slug)
    return _calendar_response(selectors.calendar_bytes([event], name=event.title), f"{event.slug}.ics")


@public_page
def calendar_ics(request):
    events = selectors.events_for_calendar()
    return _calendar_response(
        selectors.calendar_bytes(events, name=_("Pact for Skills events")), "pact-for-skills-events.ics"
    )
