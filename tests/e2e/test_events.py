"""Events and the newsletter in Chromium: accessible pages, filters, and a keyboard-only subscription."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from partnerships.models import Ecosystem, Partnership
from support_services.models import Event, NewsletterSubscription, SubscriptionStatus
from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def portal(live_server, demo_registry):
    now = timezone.now().replace(microsecond=0)

    def event(slug, title, kind, *, in_days, hours, attendance, **fields):
        starts_at = now + datetime.timedelta(days=in_days)
        return Event.objects.create(
            slug=slug,
            title=title,
            kind=kind,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=hours),
            attendance=attendance,
            **fields,
        )

    webinar = event(
        "e2e-green-skills-webinar",
        "Green skills for regional partnerships",
        "webinar",
        in_days=12,
        hours=2,
        attendance="online",
        online_url="https://example.org/join",
        description="How partnerships plan training for the green transition.",
    )
    webinar.ecosystems.set([Ecosystem.objects.get(slug="renewable-energy")])
    webinar.partnerships.set([Partnership.objects.get(slug="lombardy-rsp")])
    event(
        "e2e-peer-learning-milan",
        "Peer learning in Milan",
        "peer_learning",
        in_days=20,
        hours=6,
        attendance="in_person",
        location="Milan",
    )
    event(
        "e2e-past-working-group",
        "A working group that already met",
        "working_group",
        in_days=-30,
        hours=2,
        attendance="online",
        online_url="https://example.org/join",
        is_demo=True,
    )
    return live_server.url


def test_events_pages_are_accessible_and_filter_by_kind(page, portal):
    page.goto(portal + "/events/")
    assert page.get_by_role("heading", level=1).inner_text() == "Events"
    assert page.locator('nav[aria-label="Main"] a[aria-current="page"]').inner_text() == "Events"
    assert page.get_by_role("link", name="Green skills for regional partnerships").is_visible()
    assert page.get_by_text("A working group that already met").count() == 0
    assert_accessible(page)

    page.get_by_label("Kind").select_option("peer_learning")
    page.get_by_role("button", name="Apply filters").click()
    assert "kind=peer_learning" in page.url
    assert page.get_by_role("heading", name="1 upcoming event").is_visible()

    page.get_by_role("link", name="Past", exact=True).click()
    page.goto(portal + "/events/?when=past")
    assert page.get_by_role("link", name="A working group that already met").is_visible()
    assert_accessible(page)

    page.goto(portal + "/events/e2e-green-skills-webinar/")
    assert page.get_by_role("heading", level=1).inner_text() == "Green skills for regional partnerships"
    assert page.get_by_text("(Brussels time)").is_visible()
    assert page.get_by_role("link", name="Lombardy Region Regional Skills Partnership").is_visible()
    assert_accessible(page)
    response = page.request.get(portal + "/events/e2e-green-skills-webinar/event.ics")
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert "SUMMARY:Green skills for regional partnerships" in response.text()


def tab_to(page, predicate, limit=80):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(predicate):
            return
    raise AssertionError(f"Tab never reached {predicate}")


def test_a_keyboard_user_subscribes_and_confirms(page, portal):
    page.goto(portal + "/newsletter/")
    assert_accessible(page)
    tab_to(page, "document.activeElement.id === 'id_email'")
    page.keyboard.type("keyboard.user@example.org")
    tab_to(page, "document.activeElement.id === 'id_consent'")
    page.keyboard.press("Space")
    tab_to(page, "document.activeElement.textContent.trim() === 'Subscribe'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("We have sent an e-mail to keyboard.user@example.org").is_visible()
    assert_accessible(page)

    subscription = NewsletterSubscription.objects.get(email="keyboard.user@example.org")
    assert subscription.status == SubscriptionStatus.PENDING
    (message,) = [m for m in mail.outbox if m.to == ["keyboard.user@example.org"]]
    path = re.search(r"/newsletter/confirm/\S+/", message.body).group(0)
    page.goto(portal + path)
    tab_to(page, "document.activeElement.textContent.trim() === 'Yes, subscribe me'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", name="Your subscription is confirmed").is_visible()
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.CONFIRMED
