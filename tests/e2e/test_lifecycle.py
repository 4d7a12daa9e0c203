"""Lifecycle support in Chromium: staff tick the design checklist and move a partnership to set-up; a
coordinator asks for help and reads the support record (with axe-core on the coordinator pages)."""

import re

import pytest
from playwright.sync_api import expect

from partnerships.models import Stage
from support_services.checklist import checklist_seed
from support_services.models import ChecklistItem, ChecklistStatus, SupportRequest
from tests.e2e.conftest import assert_accessible, sign_in
from tests.partnerships.builders import make_coordinator, make_partnership, make_staff

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def lifecycle(live_server, reference_data):
    checklist_seed(ChecklistItem)  # a transactional test's flush empties the seeded checklist
    return make_partnership(name="Browser Lifecycle Partnership", stage=Stage.DESIGN, is_published=True)


def test_staff_tick_the_design_checklist_move_to_set_up_and_the_profile_shows_it(
    new_page, live_server, lifecycle
):
    make_staff(username="lifecycle-admin")
    base = live_server.url
    page = new_page()
    sign_in(page, base, "lifecycle-admin", admin=True)

    page.goto(f"{base}/admin/support_services/partnershipsupport/{lifecycle.pk}/change/")
    design_items = ChecklistItem.objects.filter(stage=Stage.DESIGN, active=True)
    for item in design_items:
        page.locator(f"#status-{item.pk}").select_option(ChecklistStatus.DONE.value)
    page.get_by_role("button", name="Save the checklist").click()
    expect(page.locator(".messagelist")).to_contain_text(f"{design_items.count()} checklist items updated")

    # The design checklist is done: moving on needs no reason; a step back would.
    page.get_by_role("button", name="Move to Set-up", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("is now in the “Set-up” stage")
    expect(page.get_by_role("button", name="Move to Set-up")).to_have_count(0)
    expect(page.get_by_label("Reason (required)").first).to_be_visible()

    page.goto(base + lifecycle.get_absolute_url())
    timeline = page.locator("ol.timeline")
    expect(timeline).to_contain_text("Design → Set-up")
    expect(page.locator(".stage-step.current")).to_have_text("Set-up")


def test_a_coordinator_asks_for_help_and_reads_the_support_record(new_page, live_server, lifecycle):
    make_coordinator(lifecycle, username="coordinator@browser.example.org")
    base = live_server.url
    page = new_page()
    sign_in(page, base, "coordinator@browser.example.org")

    page.goto(base + "/coordinator/")
    page.get_by_role("link", name="Ask the support services for help").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask the support services for help")
    assert_accessible(page)
    page.get_by_role("button", name="Send the request").click()  # empty: errors, accessibly
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Topic").select_option(label="Funding advice")
    page.get_by_label("Your message").fill("Which funds fit our first actions?")
    page.get_by_role("button", name="Send the request").click()

    expect(page).to_have_url(re.compile(r"/coordinator/support/$"))
    expect(page.locator(".support-request")).to_contain_text("Which funds fit our first actions?")
    assert SupportRequest.objects.get().stage == Stage.DESIGN
    assert_accessible(page)

    page.get_by_role("link", name=re.compile("Checklist and support activities of")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Support record of Browser Lifecycle Partnership"
    )
    assert_accessible(page)
