"""iCalendar (RFC 5545) files of the events, built with the ``icalendar`` library."""

import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

EVENT_TIME_ZONE = ZoneInfo("Europe/Brussels")


def absolute_url(path):
    return settings.PORTAL_URL.rstrip("/") + path


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
