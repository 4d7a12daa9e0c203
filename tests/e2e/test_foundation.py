"""The layout every page shares: accessible, keyboard-usable, language switch without JavaScript."""

import pytest

from tests.e2e.conftest import assert_accessible

# Transactional: the live server reads what the test wrote (tests/reference_data.py reloads the regions after).
pytestmark = pytest.mark.django_db(transaction=True)


def test_home_and_profile_have_no_axe_violations(page, live_server, demo_registry):
    page.goto(live_server.url + "/")
    assert page.title().startswith("Skills partnerships across Europe")
    assert_accessible(page)
    page.get_by_role(
        "link", name="Beara Peninsula, Marine and the potential for Offshore Renewable Energy"
    ).click()
    page.wait_for_url("**/partnerships/beara-more/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Beara Peninsula")
    assert page.locator(".badge-demo").count() > 0
    assert_accessible(page)


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page, live_server, db):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_language_switch_works_without_javascript(browser, live_server, db):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.select_option("#language-select", "de")
    page.get_by_role("button", name="Change").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "de"
    context.close()


def test_the_accessibility_check_does_find_violations(page):
    """The axe-core check is not vacuous: a bad page is reported, and each bad page of a list."""
    from tests.e2e.conftest import assert_pages_accessible, axe_violations

    page.set_content("<html><body><img src='chart.png'><input type='text'></body></html>")
    found = {violation["id"] for violation in axe_violations(page)}
    assert {"image-alt", "html-has-lang", "document-title", "label"} <= found
    # Checked in one browser session, a list of pages fails naming every page with violations.
    good = "<html lang='en'><head><title>Fine</title></head><body><main><h1>Fine</h1></main></body></html>"
    bad = "<html><body><img src='chart.png'></body></html>"
    with pytest.raises(AssertionError) as failure:
        assert_pages_accessible(page, "data:text/html,", [good, bad, bad.replace("chart", "map")])
    message = str(failure.value)
    assert "image-alt" in message and "chart.png'>" in message and "map.png'>" in message
    assert "Fine" not in message
