"""Knowledge for partnerships in Chromium: find a KPI example by ecosystem; the pages pass axe-core."""

import pytest

from support_services.demo import seed_resources
from tests.e2e.conftest import assert_pages_accessible

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def knowledge(live_server, demo_registry):
    seed_resources()
    return live_server.url


def test_a_visitor_finds_kpi_examples_by_ecosystem(page, knowledge):
    page.goto(knowledge + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Resources").click()
    page.wait_for_url("**/resources/")
    page.get_by_role("link", name="KPI repository").first.click()
    page.wait_for_url("**/resources/kpis/")
    page.get_by_label("Industrial ecosystem").select_option("textiles")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**ecosystem=textiles**")
    assert page.get_by_role("heading", name="6 KPIs found").is_visible()
    row = page.get_by_role("row").filter(has_text="Support 10,000 SMEs in their digitalisation")
    assert row.get_by_role("cell", name="10,000").is_visible()
    assert row.get_by_role("link").first.inner_text().startswith("Textiles")
    assert page.get_by_text("Coordinators of a partnership can copy any of these KPIs").is_visible()
    # The KPI examples among the resources, by ecosystem too.
    page.goto(knowledge + "/resources/")
    page.get_by_label("Kind").select_option("kpi_example")
    page.get_by_label("Industrial ecosystem").select_option("digital")
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_role("link", name="Demo KPI examples for digital skills partnerships").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Demo KPI examples")
    assert page.get_by_role("link", name="Download in English (PDF").is_visible()


KNOWLEDGE_PAGES = [
    "/resources/",
    "/resources/?kind=funding_opportunity&funding=open",
    "/resources/?q=nothing-matches-this",
    "/resources/demo-rsp-set-up-handbook/",
    "/resources/demo-funding-regional-upskilling-pilots/",
    "/resources/kpis/",
    "/resources/kpis/?ecosystem=textiles",
]


def test_knowledge_pages_have_no_wcag_violations(page, knowledge):
    assert_pages_accessible(page, knowledge, KNOWLEDGE_PAGES)
