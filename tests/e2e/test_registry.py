"""A visitor's journeys through the public registry, in Chromium."""

from pathlib import Path

import pytest

from tests.e2e.conftest import assert_accessible, assert_pages_accessible

# Transactional: the live server reads what the test wrote (tests/reference_data.py reloads the regions after).
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def registry(live_server, demo_registry):
    return live_server.url


def test_filter_by_ecosystem_and_region_then_open_a_profile(page, registry):
    page.goto(registry + "/partnerships/")
    page.get_by_label("Industrial ecosystem").select_option("health")
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_label("Region", exact=True).select_option("ITC4")
    page.get_by_role("button", name="Apply filters").click()
    assert "ecosystem=health" in page.url and "region=ITC4" in page.url
    assert page.get_by_role("heading", name="2 partnerships found").is_visible()
    page.get_by_role("link", name="Lombardy Region Regional Skills Partnership").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Lombardy Region Regional Skills Partnership"
    assert page.get_by_text("Regione Lombardia").first.is_visible()


def test_search_then_download_the_same_selection(page, registry):
    page.goto(registry + "/partnerships/")
    page.get_by_label("Search partnerships").fill("Beara")
    page.get_by_role("button", name="Search", exact=True).click()
    assert page.get_by_role("heading", name="1 partnership found").is_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").click()
    text = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
    assert "beara-more" in text and "lombardy-rsp" not in text


def test_keyboard_only_search_and_open_a_profile(page, registry):
    page.goto(registry + "/partnerships/")
    # Tab from the top of the page to the search box, type, submit with Enter.
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_q":
            break
    assert page.evaluate("document.activeElement.id") == "id_q"
    page.keyboard.type("Regione Lombardia")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=Regione+Lombardia**")
    for _ in range(60):
        page.keyboard.press("Tab")
        if (
            page.evaluate("document.activeElement.textContent.trim()")
            == "Lombardy Region Regional Skills Partnership"
        ):
            break
    page.keyboard.press("Enter")
    page.wait_for_url("**/partnerships/lombardy-rsp/")
    # Focus is visible: the outline of the focused element is drawn.
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")


def test_map_region_leads_to_its_partnerships(page, registry):
    page.goto(registry + "/partnerships/map/")
    page.get_by_role("link", name="Lombardia (ITC4): 2 partnerships").click()
    page.wait_for_url("**/regions/ITC4/")
    assert page.get_by_role("link", name="Lombardy Region Regional Skills Partnership").is_visible()


REGISTRY_PAGES = [
    "/",
    "/partnerships/",
    "/partnerships/?ecosystem=health&country=IT",
    "/partnerships/?q=nothing-matches-this",
    "/partnerships/?kind=bad",
    "/partnerships/beara-more/",
    "/partnerships/tourism-lsp/",
    "/organisations/",
    "/organisations/regione-lombardia/",
    "/regions/ITC4/",
    "/ecosystems/health/",
    "/partnerships/map/",
    "/statistics/",
    "/accessibility/",
]


def test_pages_have_no_wcag_violations(page, registry):
    assert_pages_accessible(page, registry, REGISTRY_PAGES)


def test_in_french_find_health_partnerships_in_italy_and_see_lombardy_on_the_map(page, registry):
    page.goto(registry + "/partnerships/")
    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Change").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "fr"
    page.get_by_label("Écosystème industriel").select_option("health")
    page.get_by_label("Pays", exact=True).select_option("IT")
    page.get_by_role("button", name="Appliquer les filtres").click()
    assert page.get_by_role("link", name="Lombardy Region Regional Skills Partnership").is_visible()
    assert page.get_by_role(
        "link", name="ProMIS – Health Regional Skills Partnership across Italy's regions"
    ).is_visible()
    page.goto(registry + "/partnerships/map/")
    assert page.locator('a[href="/regions/ITC4/"]').first.is_visible()
    assert_accessible(page)
