"""Browser tests: Playwright driving the system Chromium (Debian's package), never a downloaded build."""

import os
import shutil
from pathlib import Path

import axe_playwright_python
import pytest

from tests.partnerships.builders import PASSWORD

# Playwright's sync API runs an event loop in this thread; Django must still allow the test's own queries.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_SOURCE = Path(axe_playwright_python.__file__).with_name("axe.min.js").read_text(encoding="utf-8")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's package (apt-get install chromium).")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en-GB", "viewport": {"width": 1280, "height": 900}}


def axe_violations(page):
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) on the page and return its violations."""
    # Evaluated through the DevTools protocol, which the portal's Content Security Policy does not govern
    # (an injected <script> tag would be refused, rightly).
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return result["violations"]


def _report(violations):
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
        for v in violations
    )


def assert_accessible(page):
    violations = axe_violations(page)
    assert not violations, f"axe-core found WCAG violations on {page.url}:\n{_report(violations)}"


def assert_pages_accessible(page, base, paths):
    """Visit every path (one live server and data set for them all) and fail naming each page with
    violations, after checking them all."""
    failures = []
    for path in paths:
        page.goto(base + path)
        violations = axe_violations(page)
        if violations:
            failures.append(f"{path}:\n{_report(violations)}")
    assert not failures, "axe-core found WCAG violations on:\n" + "\n\n".join(failures)


@pytest.fixture
def new_page(browser):
    """new_page() -> a page in a fresh browser context (its own cookies). Every context is closed at the end: a
    keep-alive connection left open would reach the live server during the next test, with a database
    connection that no longer belongs to its thread."""
    contexts = []

    def make():
        contexts.append(browser.new_context())
        return contexts[-1].new_page()

    yield make
    for context in contexts:
        context.close()


def sign_in(page, base, username, *, admin=False):
    """Sign in through the login page a person uses: the portal's, or the admin's (password: PASSWORD)."""
    page.goto(base + ("/admin/login/" if admin else "/accounts/login/"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in" if admin else "Sign in").click()
