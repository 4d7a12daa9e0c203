"""Events: the public list (upcoming / past, filters, pages), the detail page, the iCalendar files."""

import datetime
import io
import itertools
import zipfile

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from partnerships.models import Ecosystem, Partnership
from support_services import selectors
from support_services.demo import seed_events
from support_services.demo_files import make_pdf
from support_services.models import Event, EventAttendance, EventKind, EventMaterial, validate_material_file
from support_services.uploads import DOCX, PPTX
from tests.partnerships.builders import make_partnership
from tests.support_services.builders import docx_bytes

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
_numbers = itertools.count()


def make_event(*, starts_at, hours=2, ecosystems=(), partnerships=(), **fields):
    n = next(_numbers)
    defaults = {
        "slug": f"test-event-{n}",
        "title": f"Test event {n}",
        "kind": EventKind.WEBINAR,
        "attendance": EventAttendance.ONLINE,
        "online_url": "https://example.org/join",
    }
    event = Event(
        starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=hours), **{**defaults, **fields}
    )
    event.full_clean()
    event.save()
    event.ecosystems.set(ecosystems)
    event.partnerships.set(partnerships)
    return event


def soon(days=10):
    return timezone.now().replace(microsecond=0) + datetime.timedelta(days=days)


# --- Upcoming and past --------------------------------------------------------------------------------


def test_upcoming_and_past_split_around_now_with_a_fixed_clock():
    now = datetime.datetime(2030, 6, 1, 12, 0, tzinfo=UTC)
    ended = make_event(starts_at=now - datetime.timedelta(hours=3))  # ended at 11:00
    running = make_event(starts_at=now - datetime.timedelta(hours=1))  # ends at 13:00: still upcoming
    later = make_event(starts_at=now + datetime.timedelta(days=2))
    sooner = make_event(starts_at=now + datetime.timedelta(days=1))
    older = make_event(starts_at=now - datetime.timedelta(days=30))

    upcoming = list(selectors.event_search({}, now=now).qs.filter(slug__startswith="test-event-"))
    past = list(selectors.event_search({"when": "past"}, now=now).qs.filter(slug__startswith="test-event-"))

    assert upcoming == [running, sooner, later]  # soonest first
    assert past == [ended, older]  # latest first


def test_list_page_shows_upcoming_events_and_the_past_tab_shows_past_ones(client):
    upcoming = make_event(starts_at=soon(), title="Upcoming skills webinar")
    past = make_event(starts_at=soon(-10), title="Earlier skills webinar")

    page = client.get("/events/").content.decode()
    assert upcoming.title in page and past.title not in page
    assert 'aria-current="page">Upcoming' in page

    page = client.get("/events/?when=past").content.decode()
    assert past.title in page and upcoming.title not in page
    assert 'aria-current="page">Past' in page


def test_the_list_says_where_each_event_takes_place(client):
    make_event(starts_at=soon(), title="Webinar only", attendance=EventAttendance.ONLINE)
    make_event(starts_at=soon(), title="Both ways", attendance=EventAttendance.HYBRID, location="Lyon")
    make_event(starts_at=soon(), title="In the room", attendance=EventAttendance.IN_PERSON, location="Graz")
    page = " ".join(client.get("/events/").content.decode().split())
    assert "Lyon and online" in page and "Online" in page
    assert "Graz" in page and "Graz and online" not in page


def test_events_nav_item_is_marked_current_on_events_pages(client):
    event = make_event(starts_at=soon())
    for url in ("/events/", event.get_absolute_url()):
        page = client.get(url).content.decode()
        assert 'href="/events/" aria-current="page">Events</a>' in page
    assert 'href="/events/" aria-current="page"' not in client.get("/statistics/").content.decode()


# --- Filters and pages ---------------------------------------------------------------------------------


def test_filters_by_kind_ecosystem_theme_partnership_and_attendance(client):
    health = Ecosystem.objects.get(slug="health")
    lombardy = Partnership.objects.get(slug="lombardy-rsp")
    pla = make_event(
        starts_at=soon(),
        title="Peer learning in Milan",
        kind=EventKind.PEER_LEARNING,
        attendance=EventAttendance.IN_PERSON,
        online_url="",
        location="Milan",
        partnerships=[lombardy],
    )
    webinar = make_event(
        starts_at=soon(), title="Health skills webinar", ecosystems=[health], theme="Care work"
    )
    hybrid = make_event(
        starts_at=soon(),
        title="Hybrid working group",
        kind=EventKind.WORKING_GROUP,
        attendance="hybrid",
        location="Brussels",
    )

    def titles(query):
        page = client.get(f"/events/?{query}").content.decode()
        return {event.title for event in (pla, webinar, hybrid) if event.title in page}

    assert titles("kind=peer_learning") == {pla.title}
    assert titles("ecosystem=health") == {webinar.title}
    assert titles("theme=Care+work") == {webinar.title}
    assert titles("partnership=lombardy-rsp") == {pla.title}
    assert titles("attendance=online") == {webinar.title, hybrid.title}
    assert titles("attendance=in_person") == {pla.title, hybrid.title}


def test_invalid_filter_values_are_ignored_with_a_message_not_an_error(client):
    event = make_event(starts_at=soon())
    response = client.get("/events/?kind=party&ecosystem=nowhere&when=someday&page=x")
    assert response.status_code == 200
    page = response.content.decode()
    assert "This filter was ignored" in page
    assert event.title in page


def test_the_list_is_paginated(client):
    for day in range(25):
        make_event(starts_at=soon(days=day + 1), title=f"Paged event {day:02d}")
    first = client.get("/events/").content.decode()
    second = client.get("/events/?page=2").content.decode()
    assert "Paged event 00" in first and "Paged event 19" in first and "Paged event 20" not in first
    assert "Paged event 20" in second and "Paged event 24" in second
    assert 'rel="next"' in first


def test_list_query_count_does_not_grow_with_events(client, count_queries):
    make_event(starts_at=soon(), ecosystems=[Ecosystem.objects.get(slug="health")])
    client.get("/events/")  # warm up one-off lookups
    few = count_queries(client, "/events/")
    for day in range(20):
        make_event(starts_at=soon(day + 2), ecosystems=list(Ecosystem.objects.all()[:3]))
    assert count_queries(client, "/events/") <= few


# --- Detail --------------------------------------------------------------------------------------------


def test_detail_shows_times_in_brussels_time_with_the_zone_named(client):
    summer = make_event(starts_at=datetime.datetime(2031, 7, 1, 8, 0, tzinfo=UTC), hours=2)
    winter = make_event(starts_at=datetime.datetime(2031, 1, 15, 13, 30, tzinfo=UTC), hours=1)
    page = client.get(summer.get_absolute_url()).content.decode()
    assert "1 July 2031, 10:00" in page and "12:00" in page and "CEST (Brussels time)" in page
    page = client.get(winter.get_absolute_url()).content.decode()
    assert "15 January 2031, 14:30" in page and "15:30" in page and "CET (Brussels time)" in page


def test_detail_shows_place_link_ecosystems_partnerships_and_materials(client):
    lombardy = Partnership.objects.get(slug="lombardy-rsp")
    event = make_event(
        starts_at=soon(),
        attendance=EventAttendance.HYBRID,
        location="Palazzo Lombardia, Milan",
        online_url="https://example.org/stream",
        ecosystems=[Ecosystem.objects.get(slug="digital")],
        partnerships=[lombardy],
        description="Line one\nLine two",
    )
    EventMaterial.objects.create(event=event, title="Slides of the day", url="https://example.org/slides.pdf")
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Palazzo Lombardia, Milan" in page
    assert 'href="https://example.org/stream"' in page
    assert f'href="{lombardy.get_absolute_url()}">{lombardy.name}</a>' in page
    assert "Digital" in page and "Line one<br>Line two" in page
    assert 'href="https://example.org/slides.pdf"' in page and "Slides of the day" in page
    assert f'href="/events/{event.slug}/event.ics"' in page


def test_an_uploaded_material_downloads_as_an_attachment(client):
    event = make_event(starts_at=soon())
    slides = b"%PDF-1.7\n% slides of the day\n"
    material = EventMaterial(event=event, title="Slides (PDF)")
    material.file.save("slides.pdf", SimpleUploadedFile("slides.pdf", slides, content_type="application/pdf"))
    page = client.get(event.get_absolute_url()).content.decode()
    href = f"/events/{event.slug}/materials/{material.pk}/"
    assert f'href="{href}"' in page and "/media/" not in page
    response = client.get(href)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == slides
    other = make_event(starts_at=soon())
    assert client.get(f"/events/{other.slug}/materials/{material.pk}/").status_code == 404


def test_unpublished_partnerships_are_not_shown_with_their_events(client):
    hidden = make_partnership(name="Unpublished event partner")
    hidden.is_published = False
    hidden.save()
    event = make_event(starts_at=soon(), partnerships=[hidden])
    assert "Unpublished event partner" not in client.get(event.get_absolute_url()).content.decode()
    assert "Unpublished event partner" not in client.get("/events/").content.decode()


def test_text_is_escaped(client):
    event = make_event(starts_at=soon(), title="<script>alert(1)</script>", description="<b>bold</b>")
    for url in ("/events/", event.get_absolute_url()):
        page = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>bold</b>" not in client.get(event.get_absolute_url()).content.decode()


def test_demo_events_carry_the_demo_badge(client):
    event = make_event(starts_at=soon(), is_demo=True)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "badge-demo" in page and "invented for demonstration" in page
    assert "badge-demo" in client.get("/events/").content.decode()


def test_unknown_event_is_a_404(client):
    assert client.get("/events/no-such-event/").status_code == 404
    assert client.get("/events/no-such-event/event.ics").status_code == 404


def test_an_event_cannot_end_before_it_starts_and_online_needs_a_link():
    start = soon()
    with pytest.raises(ValidationError) as error:
        Event(
            slug="bad",
            title="Bad",
            kind="webinar",
            starts_at=start,
            ends_at=start - datetime.timedelta(hours=1),
            attendance="online",
        ).full_clean()
    assert {"ends_at", "online_url"} <= set(error.value.message_dict)


def test_uploaded_materials_are_checked_by_type_and_content():
    slides = make_pdf("Slides", ["Agenda"])
    validate_material_file(SimpleUploadedFile("slides.pdf", slides, content_type="application/pdf"))
    validate_material_file(SimpleUploadedFile("minutes.docx", docx_bytes(), content_type=DOCX.content_type))
    any_zip = io.BytesIO()
    with zipfile.ZipFile(any_zip, "w") as archive:
        archive.writestr("payload.js", "alert(1)")
    for upload in (
        # A ZIP archive is not a Word file because of its name: the container's parts are inspected.
        SimpleUploadedFile("minutes.docx", any_zip.getvalue(), content_type=DOCX.content_type),
        SimpleUploadedFile("slides.pptx", docx_bytes(), content_type=PPTX.content_type),
        SimpleUploadedFile("slides.pdf", b"<html>not a pdf</html>", content_type="application/pdf"),
        SimpleUploadedFile("slides.pdf", b"%PDF-1.7 <html>markup behind the header</html>"),
        SimpleUploadedFile("slides.exe", slides, content_type="application/pdf"),
        SimpleUploadedFile("slides.pdf", slides, content_type="text/html"),
    ):
        with pytest.raises(ValidationError):
            validate_material_file(upload)


# --- Partnership profile -------------------------------------------------------------------------------


def test_partnership_profile_lists_its_events_in_constant_queries(client, count_queries):
    lombardy = Partnership.objects.get(slug="lombardy-rsp")
    url = lombardy.get_absolute_url()
    Event.objects.filter(partnerships=lombardy).delete()
    make_event(starts_at=soon(), title="Lombardy upcoming meeting", partnerships=[lombardy])
    make_event(starts_at=soon(-40), title="Lombardy past meeting", partnerships=[lombardy])
    page = client.get(url).content.decode()  # also warms up one-off lookups
    few = count_queries(client, url)
    assert "Lombardy upcoming meeting" in page and "Lombardy past meeting" in page
    assert page.index("Lombardy upcoming meeting") < page.index("Lombardy past meeting")
    for day in range(15):
        make_event(starts_at=soon(day + 1), partnerships=[lombardy])
    assert count_queries(client, url) == few


# --- iCalendar -----------------------------------------------------------------------------------------


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    raw = response.content
    lines = raw.split(b"\r\n")
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")  # CRLF only
    assert all(len(line) <= 75 for line in lines), "lines must be folded at 75 octets"
    return raw, icalendar.Calendar.from_ical(raw)


def test_event_ics_is_valid_and_carries_the_event(client, settings):
    settings.PORTAL_URL = "https://portal.example.eu"
    event = make_event(
        starts_at=datetime.datetime(2031, 7, 1, 8, 0, tzinfo=UTC),
        title="Webinar on green skills – Übergänge and “quotes”",
        attendance=EventAttendance.HYBRID,
        location="Berlaymont, Brussels",
        description="A long description; " * 20,
    )
    raw, calendar = parse(client.get(f"/events/{event.slug}/event.ics"))
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["UID"]) == f"{event.uid}@portal.example.eu"
    assert vevent["DTSTAMP"].dt.tzinfo is not None
    assert vevent["DTSTART"].dt == datetime.datetime(2031, 7, 1, 8, 0, tzinfo=UTC)
    assert vevent["DTEND"].dt == datetime.datetime(2031, 7, 1, 10, 0, tzinfo=UTC)
    assert str(vevent["SUMMARY"]) == event.title
    assert "Berlaymont, Brussels" in str(vevent["LOCATION"]) and "https://example.org/join" in str(
        vevent["LOCATION"]
    )
    assert str(vevent["URL"]) == f"https://portal.example.eu/events/{event.slug}/"
    assert "A long description; A long description;" in str(vevent["DESCRIPTION"])
    assert b"\r\n " in raw  # the long description was folded
    # The UID stays the same when the event is renamed.
    event.title = "Renamed"
    event.save()
    _raw, again = parse(client.get(f"/events/{event.slug}/event.ics"))
    assert again.walk("VEVENT")[0]["UID"] == vevent["UID"]


def test_whole_day_events_are_dates_in_the_calendar(client):
    seed_events(today=datetime.date(2030, 1, 1))
    _raw, calendar = parse(client.get("/events/pla-establishing-regional-skills-partnerships-2024/event.ics"))
    (vevent,) = calendar.walk("VEVENT")
    assert vevent["DTSTART"].dt == datetime.date(2024, 10, 10)
    assert vevent["DTEND"].dt == datetime.date(2024, 10, 11)  # exclusive


def test_calendar_feed_has_upcoming_and_recent_events_only(client):
    upcoming = make_event(starts_at=soon(5))
    recent = make_event(starts_at=soon(-20))
    old = make_event(starts_at=soon(-400))
    demo = make_event(starts_at=soon(6), is_demo=True, title="Invented meeting")
    _raw, calendar = parse(client.get("/events/calendar.ics"))
    uids = {str(v["UID"]).split("@")[0] for v in calendar.walk("VEVENT")}
    assert {str(upcoming.uid), str(recent.uid), str(demo.uid)} <= uids
    assert str(old.uid) not in uids
    summaries = {str(v["SUMMARY"]) for v in calendar.walk("VEVENT")}
    assert "Demo: Invented meeting" in summaries


# --- Demo seed -----------------------------------------------------------------------------------------


def test_seed_events_uses_the_real_facts_labels_the_rest_demo_and_is_idempotent():
    Event.objects.all().delete()
    assert seed_events(today=datetime.date(2026, 12, 1)) == 6
    assert seed_events(today=datetime.date(2026, 12, 1)) == 0
    pla = Event.objects.get(kind=EventKind.PEER_LEARNING)
    assert pla.title == "Establishing regional skills partnerships: lessons learnt and success stories"
    assert not pla.is_demo and pla.all_day
    assert timezone.localtime(
        pla.starts_at, datetime.timezone(datetime.timedelta(hours=2))
    ).date() == datetime.date(2024, 10, 10)
    groups = Event.objects.filter(kind=EventKind.WORKING_GROUP)
    assert groups.count() == 4 and all(group.is_demo for group in groups)
    assert {"Digital", "Health", "Research and innovation", "Territorial development"} == {
        group.title.split(": ")[1].removesuffix(" working group meeting") for group in groups
    }
    assert all(group.ends_at.date() <= datetime.date(2026, 5, 31) for group in groups)
    assert Event.objects.filter(is_demo=False).count() == 1


# --- Admin and cache -----------------------------------------------------------------------------------


def test_staff_manage_events_and_see_subscriptions_read_only(client, django_user_model):
    from django.contrib.auth.models import Permission

    from tests.partnerships.builders import make_staff

    event = make_event(starts_at=soon())
    staff = make_staff()
    staff.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="support_services",
            codename__in=["view_event", "add_event", "change_event", "view_newslettersubscription"],
        )
    )
    client.force_login(staff)
    assert client.get("/admin/support_services/event/").status_code == 200
    assert client.get("/admin/support_services/event/add/").status_code == 200
    assert client.get(f"/admin/support_services/event/{event.pk}/change/").status_code == 200
    assert client.get("/admin/support_services/newslettersubscription/").status_code == 200
    assert client.get("/admin/support_services/newslettersubscription/add/").status_code == 403
    client.logout()
    assert client.get("/admin/support_services/event/").status_code == 302  # to the login page


def test_a_new_event_shows_at_once_on_the_cached_list(client, settings, django_capture_on_commit_callbacks):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    client.get("/events/")
    with django_capture_on_commit_callbacks(execute=True):
        event = make_event(starts_at=soon(), title="Freshly announced webinar")
    with_cache = client.get("/events/").content.decode()
    assert event.title in with_cache
