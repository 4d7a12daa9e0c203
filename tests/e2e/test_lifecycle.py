"""Lifecycle support in Chromium: staff tick the design checklist and move a partnership to set-up; a
coordinator asks for help and reads the support record (with axe-core on the coordinator pages)."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from partnerships.models import Stage
from partnerships.services import coordinator_grant
from support_services.checklist import checklist_seed
from support_services.models import ChecklistItem, ChecklistStatus, SupportRequest
from tests.e2e.conftest import assert_accessible
from tests.factories import make_partnership

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "correct horse battery staple 42"


@pytest.fixture
def new_page(browser):
    """A page in a fresh browser context, closed at the end (see test_declarations.py for why)."""
    contexts = []

    def make():
        contexts.append(browser.new_context())
        return contexts[-1].new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def lifecycle(live_server, reference_data):
    checklist_seed(ChecklistItem)  # a transactional test's flush empties the seeded checklist
    return make_partnership(name="Browser Lifecycle Partnership", stage=Stage.DESIGN, is_published=True)


def test_staff_tick_the_design_checklist_move_to_set_up_and_the_profile_shows_it(
    new_page, live_server, lifecycle
):
    get_user_model().objects.create_superuser(
        username="lifecycle-admin", email="admin@support.example.eu", password=PASSWORD
    )
    base = live_server.url
    page = new_page()
    page.goto(base + "/admin/login/")
    page.get_by_label("Username").fill("lifecycle-admin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto(f"{base}/admin/support_services/partnershipsupport/{lifecycle.pk}/change/")
    design_items = ChecklistItem.objects.filter(stage=Stage.DESIGN, active=True)
    for item in design_items:
        page.locator(f"#status-{item.pk}").select_option(ChecklistStatus.DONE.value)
    page.get_by_role("button", name="Save the checklist").click()
    expect(page.locator(".messagelist")).to_contain_text(f"{design_items.count()} checklist items updated")

    page.get_by_label("Move to stage").select_option(label="Set-up")
    page.get_by_role("button", name="Move", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("is now in the “Set-up” stage")

    page.goto(base + lifecycle.get_absolute_url())
    timeline = page.locator("ol.timeline")
    expect(timeline).to_contain_text("Design → Set-up")
    expect(page.locator(".stage-step.current")).to_have_text("Set-up")


def test_a_coordinator_asks_for_help_and_reads_the_support_record(new_page, live_server, lifecycle):
    user = get_user_model().objects.create_user(
        username="coordinator@browser.example.org", email="coordinator@browser.example.org", password=PASSWORD
    )
    coordinator_grant(partnership=lifecycle, user=user)
    base = live_server.url
    page = new_page()
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username").fill("coordinator@browser.example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

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
