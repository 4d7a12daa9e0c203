"""Reads for the event pages, and the iCalendar (RFC 5545) files built from them with ``icalendar``."""

import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from pact_portal.mail import absolute_url
from partnerships.models import Partnership

from ..models.events import Event


def event_search(params, *, now=None):
    """The events list's FilterSet (upcoming or past, filtered); ``now`` fixes the clock for tests."""
    from ..filters.events import EventFilter

    return EventFilter(
        params if params is not None else {}, queryset=Event.objects.all(), now=now or timezone.now()
    )


def event_rows(queryset):
    return queryset.prefetch_related("ecosystems")


def event_detail_public(*, slug):
    return Event.objects.prefetch_related(
        "ecosystems",
        "materials",
        Prefetch(
            "partnerships",
            queryset=Partnership.objects.published().only("name", "slug").order_by("name"),
        ),
    ).get(slug=slug)


# Past events the calendar feed still carries, so subscribers keep what they attended recently.
CALENDAR_RECENT_DAYS = 180


def events_for_calendar(*, now=None, limit=500):
    """The feed's events in date order; past the limit, the oldest recent ones give way to the future."""
    now = now or timezone.now()
    recent = Event.objects.filter(ends_at__gte=now - datetime.timedelta(days=CALENDAR_RECENT_DAYS))
    upcoming = list(recent.filter(ends_at__gte=now).order_by("starts_at", "id")[:limit])
    past = list(recent.filter(ends_at__lt=now).order_by("-starts_at", "-id")[: limit - len(upcoming)])
    return past[::-1] + upcoming


def partnership_events(*, partnership, now=None):
    """A partnership's events in one query: (upcoming soonest first, past latest first)."""
    now = now or timezone.now()
    events = list(partnership.events.order_by("starts_at", "id"))
    upcoming = [event for event in events if event.ends_at >= now]
    past = [event for event in events if event.ends_at < now][::-1]
    return upcoming, past


# --- iCalendar files ----------------------------------------------------------------------------------


EVENT_TIME_ZONE = ZoneInfo("Europe/Brussels")


def _uid(event):
    # Stable for the event's life, whatever happens to its title or slug.
    host = urlsplit(settings.PORTAL_URL).hostname or "pact-for-skills"
    return f"{event.uid}@{host}"


def _vevent(event, stamp):
    item = icalendar.Event()
    item.add("uid", _uid(event))
    item.add("dtstamp", stamp)
    if event.all_day:
        first = timezone.localtime(event.starts_at, EVENT_TIME_ZONE).date()
        last = timezone.localtime(event.ends_at, EVENT_TIME_ZONE).date()
        item.add("dtstart", first)
        # DTEND of a date is exclusive: the day after the last one.
        item.add("dtend", max(last, first) + datetime.timedelta(days=1))
    else:
        item.add("dtstart", event.starts_at.astimezone(datetime.UTC))
        item.add("dtend", event.ends_at.astimezone(datetime.UTC))
    item.add("summary", (_("Demo") + ": " if event.is_demo else "") + event.title)
    places = [event.location] if event.location else []
    if event.online_url:
        places.append(event.online_url)
    if places:
        item.add("location", " · ".join(places))
    url = absolute_url(event.get_absolute_url())
    item.add("url", url)
    description = [event.get_kind_display()]
    if event.is_demo:
        description.append(_("Invented for demonstration: not a real event."))
    if event.description:
        description.append(event.description)
    description.append(url)
    item.add("description", "\n\n".join(description))
    item.add("categories", [event.get_kind_display()])
    item.add("last-modified", event.updated_at.astimezone(datetime.UTC))
    return item


def calendar_bytes(events, *, name):
    """One VCALENDAR with a VEVENT per event, as UTF-8 bytes with CRLF lines folded at 75 octets."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Pact for Skills//Partnership registry events//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    for event in events:
        calendar.add_component(_vevent(event, stamp))
    return calendar.to_ical()
