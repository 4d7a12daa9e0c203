"""An organisation asks to join a partnership in Chromium; its coordinator accepts, then confirms the membership;
the profile lists the organisation and counts it as joined through the portal. Every page axe-clean."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests import reference_data  # noqa: F401  (reference data survives the flushes)
from tests.e2e.conftest import assert_accessible, sign_in
from tests.partnerships.builders import make_coordinator, make_partnership

pytestmark = pytest.mark.django_db(transaction=True)

ORGANISATION = "Istituto Tecnico Volta <Como>"


def test_ask_to_join_accept_confirm_and_show_on_the_profile(new_page, live_server):
    base = live_server.url
    partnership = make_partnership(name="Lake Como Skills Partnership", members=2)
    coordinator = make_coordinator(partnership, username="coordinator@como.example.org")

    # The requester finds the way in on the profile.
    requester = new_page()
    requester.goto(base + partnership.get_absolute_url())
    requester.get_by_role("link", name=re.compile(r"^Ask to join")).click()
    requester.wait_for_url(f"**/partnerships/{partnership.slug}/join/")
    assert_accessible(requester)

    # Sent empty: the problems are named, accessibly.
    requester.get_by_role("button", name="Send the request").click()
    expect(requester).to_have_title(re.compile(r"^Error: "))
    expect(requester.locator("#error-summary")).to_be_visible()
    assert_accessible(requester)

    requester.get_by_label("Name of the organisation").fill(ORGANISATION)
    requester.get_by_label("Type of stakeholder").select_option("vet_provider")
    requester.get_by_label("Country").select_option("IT")
    requester.get_by_label("What would the organisation bring to the partnership?").fill(
        "Forty training places a year in industrial automation, and two trainers."
    )
    requester.get_by_label("Contact person: full name").fill("Giulia Rossi")
    requester.get_by_label("Contact person: e-mail").fill("giulia@volta.example.org")
    requester.locator("#id_consent").check()
    # At a phone's width the form fits without sideways scrolling.
    requester.set_viewport_size({"width": 390, "height": 844})
    assert requester.evaluate("document.documentElement.scrollWidth") <= 390
    requester.get_by_role("button", name="Send the request").click()
    requester.wait_for_url(re.compile(r".*/join-requests/[A-Za-z0-9_-]{43}/$"))
    expect(requester.locator(".messages")).to_contain_text("your request was sent to the coordinators")
    expect(requester.locator(".join-request-status")).to_have_text("Waiting for the coordinators")
    assert_accessible(requester)
    status_link = requester.url
    received = next(m for m in mail.outbox if m.to == ["giulia@volta.example.org"])
    assert status_link.removeprefix(base) in received.body

    # The coordinator sees the request in the coordinator area and accepts it with a message.
    coordinating = new_page()
    sign_in(coordinating, base, coordinator.username)
    coordinating.goto(base + "/coordinator/")
    coordinating.get_by_role("link", name="Requests to join").click()
    expect(coordinating.get_by_role("heading", name=ORGANISATION)).to_be_visible()
    assert_accessible(coordinating)
    coordinating.get_by_label("Message to the organisation").fill("Welcome! We meet on the first Monday.")
    coordinating.get_by_role("button", name=re.compile(r"^Accept")).click()
    expect(coordinating.locator(".messages")).to_contain_text("confirm the membership once it is settled")
    assert_accessible(coordinating)

    # Accepted, not yet confirmed: the requester reads the message; the profile does not list them yet.
    requester.goto(status_link)
    expect(requester.locator(".join-request-status")).to_have_text("Accepted, membership to be confirmed")
    expect(requester.locator(".join-request-message")).to_have_text("Welcome! We meet on the first Monday.")
    requester.goto(base + partnership.get_absolute_url())
    expect(requester.get_by_role("link", name=ORGANISATION)).to_have_count(0)

    # The coordinator confirms the membership.
    coordinating.get_by_role("button", name=re.compile(r"^Confirm the membership")).click()
    expect(coordinating.locator(".messages")).to_contain_text("the organisation is shown on the profile")

    # The profile lists the organisation, and counts it as joined through the portal.
    requester.goto(base + partnership.get_absolute_url())
    expect(requester.get_by_role("link", name=ORGANISATION)).to_be_visible()
    expect(requester.locator("#joined-here")).to_have_text(
        "1 organisation joined through a request on this portal."
    )
    assert_accessible(requester)
    requester.goto(status_link)
    expect(requester.locator(".join-request-status")).to_have_text("Joined")
    assert any("confirmed your organisation's membership" in m.body for m in mail.outbox)
