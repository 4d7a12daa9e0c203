"""Every page a role can open, in eight languages (English, French, German, Greek, Bulgarian, Irish, Polish,
Finnish: other scripts, long words): axe-core finds no violation (WCAG 2.2 A/AA and best
practice), and no public page scrolls sideways on a phone (390 × 844) or at 320 px (WCAG 1.4.10 reflow) except
inside a labelled table region.

The pages are not listed here: they come from the permission matrix (tests/test_permissions_matrix.py, which
fails until every named URL has a row) and from the admin's registry, so a new page is checked without a new
line in this file. One browser, one page per identity, reused from page to page.
"""

import concurrent.futures
import dataclasses

import pytest
from django.conf import settings
from django.contrib import admin
from django.db import connections
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import Error as PlaywrightError

from tests.e2e.conftest import AXE_SOURCE, _report
from tests.test_permissions_matrix import ADMIN_LOGIN, LOGIN, MATRIX, build_world

pytestmark = pytest.mark.django_db(transaction=True)

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
LANGUAGES = ("en", "fr", "de", "el", "bg", "ga", "pl", "fi")
# The people the pages differ for. "applicant" and "signatory" hold secret links and no account: to the portal
# they are anonymous visitors, so the anonymous pass covers their pages.
IDENTITIES = ("anonymous", "coordinator_a", "coordinator_b", "staff", "superuser")
LANDING = {LOGIN: "/accounts/login/", ADMIN_LOGIN: "/admin/login/"}
# Page states a bare URL does not show: active filter chips (a long ecosystem name), a second page.
STATES = {
    "partnerships:list": ["?kind=lsp&ecosystem=proximity-social-economy&sort=name", "?page=2"],
    "partnerships:organisations": ["?page=2"],
}
PHONES = ({"width": 390, "height": 844}, {"width": 320, "height": 800})
DESKTOP = {"width": 1280, "height": 900}

# Elements that reach past the right edge of the window, outside a table region (which scrolls on its own).
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  if (document.documentElement.scrollWidth > width) out.push(`page is ${document.documentElement.scrollWidth}px wide`);
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('.table-region') || el.parentElement.closest('svg')) continue;  // an SVG clips its drawing
    const box = el.getBoundingClientRect();
    if (!box.width || box.right <= width + 1) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.position === 'absolute' && box.width <= 1) continue;
    out.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${[...el.classList].join('.')} ends at ${Math.round(box.right)}px: ${(el.textContent || '').trim().slice(0, 60)}`);
    if (out.length > 5) break;
  }
  return out;
}"""


@dataclasses.dataclass(frozen=True)
class Visit:
    identity: str
    path: str


def identity_paths(world, identity):
    """The GET addresses of the matrix that ``identity`` opens (200), and the login page it is sent to."""
    for row in MATRIX:
        if row.method != "get":
            continue
        expected = row.expected[identity]
        if expected == 200:
            path = row.url(world)
            yield path
            for state in STATES.get(row.name, ()):
                yield path + state
        elif expected in LANDING:
            yield LANDING[expected]


def admin_paths(superuser):
    """Every model of the admin: its list, its add form, and the change form of its first object."""
    request = RequestFactory().get("/admin/")
    request.user = superuser
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        try:
            yield reverse("admin:{}_{}_changelist".format(*info))
        except NoReverseMatch:
            continue
        yield reverse("admin:{}_{}_add".format(*info))
        first = model_admin.get_queryset(request).order_by("pk").first()
        if first is not None:
            yield reverse("admin:{}_{}_change".format(*info), args=[first.pk])


def visits(world, users, identities):
    """Each address once, with the first identity (in IDENTITIES order) that opens it; the home page once more
    for every signed-in identity (their navigation differs)."""
    seen, out = set(), []
    for identity in identities:
        paths = list(identity_paths(world, identity))
        if identity == "superuser":
            paths += list(admin_paths(users["superuser"]))
        if identity != "anonymous":
            out.append(Visit(identity, "/"))
        for path in paths:
            if path not in seen:
                seen.add(path)
                out.append(Visit(identity, path))
    return out


def page_for(browser, base, user, language):
    context = browser.new_context(locale="en-GB", viewport=DESKTOP)
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}]
    if user is not None:
        client = Client()
        client.force_login(user)
        cookies.append(
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base,
            }
        )
    context.add_cookies(cookies)
    return context, context.new_page()


def check(browser, base, users, visit_list, language, *, reflow):
    """Visit every page; return the failures (axe violations, sideways scrolling) naming each page."""
    failures, checked, pages = [], 0, {}
    try:
        for visit in visit_list:
            if visit.identity not in pages:
                pages[visit.identity] = page_for(browser, base, users.get(visit.identity), language)
            page = pages[visit.identity][1]
            page.set_viewport_size(DESKTOP)
            try:
                response = page.goto(base + visit.path)
            except PlaywrightError as error:
                if "Download is starting" in str(error):  # a CSV, a PDF, a calendar: not a page
                    continue
                raise
            # Feeds, sitemaps, JSON and health checks are not pages either.
            if response.status != 200 or not response.headers.get("content-type", "").startswith("text/html"):
                continue
            checked += 1
            where = f"{visit.path} ({visit.identity}, {language})"
            if page.evaluate("typeof window.axe === 'undefined'"):
                page.evaluate(AXE_SOURCE)
            violations = page.evaluate(
                "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations",
                AXE_TAGS,
            )
            if violations:
                failures.append(f"{where}:\n{_report(violations)}")
            if reflow:
                for size in PHONES:
                    page.set_viewport_size(size)
                    overflow = page.evaluate(OVERFLOW_JS)
                    if overflow:
                        failures.append(f"{where} at {size['width']} px:\n  " + "\n  ".join(overflow))
    finally:
        for context, _page in pages.values():
            context.close()
    return failures, checked


def _build_world_in_a_thread():
    """The matrix's world, built in a thread of its own: signing a declaration runs an asyncio loop (pyHanko),
    which cannot start in the thread where Playwright's loop already runs."""

    def build():
        try:
            return build_world()
        finally:
            connections.close_all()

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(build).result()


@pytest.fixture
def world(reference_data):
    return _build_world_in_a_thread()


@pytest.fixture
def world_in_the_demo_registry(demo_registry):
    """The public pages with the real partnerships too: their long names and large figures test reflow."""
    return _build_world_in_a_thread()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_public_page_is_accessible_and_reflows(
    browser, live_server, world_in_the_demo_registry, language
):
    the_world, users = world_in_the_demo_registry
    visit_list = visits(the_world, users, ["anonymous"])
    failures, checked = check(browser, live_server.url, users, visit_list, language, reflow=True)
    assert checked > 30, checked
    assert not failures, f"{len(failures)} problems on {checked} pages:\n" + "\n\n".join(failures)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_signed_in_page_is_accessible(browser, live_server, world, language):
    the_world, users = world
    public = {visit.path for visit in visits(the_world, users, ["anonymous"])}
    visit_list = [
        visit
        for visit in visits(the_world, users, IDENTITIES)
        if visit.identity != "anonymous" and (visit.path not in public or visit.path == "/")
    ]
    failures, checked = check(browser, live_server.url, users, visit_list, language, reflow=False)
    assert checked > 20, checked
    assert not failures, f"{len(failures)} problems on {checked} pages:\n" + "\n\n".join(failures)


CONTRAST_JS = """(selector) => {
  const luminance = (rgb) => {
    const [r, g, b] = rgb.match(/\\d+/g).slice(0, 3).map(Number).map((c) => {
      c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const el = document.querySelector(selector);
  const border = luminance(getComputedStyle(el).borderTopColor);
  return (1 + 0.05) / (border + 0.05);  // against the white page
}"""


def test_form_controls_are_visible_and_a_radio_error_leads_to_the_radio(page, live_server, reference_data):
    """What axe cannot see: field borders and radios against white (1.4.11, at least 3:1), and the error
    summary's link for a radio question moving focus to its first radio."""
    page.goto(live_server.url + "/expression-of-interest/")
    assert page.evaluate(CONTRAST_JS, "#id_organisation_name") >= 3
    assert page.evaluate(CONTRAST_JS, "#id_is_pact_member_0") >= 3
    page.get_by_label("Name of the organisation").fill("Radio test")
    page.get_by_role("button", name="Save and continue").click()
    summary = page.locator("#error-summary")
    summary.get_by_role("link", name="Is the organisation already a member of the Pact for Skills?").click()
    assert page.evaluate("document.activeElement.id") == "id_is_pact_member_0"


def test_chart_text_stays_readable_on_a_small_phone(page, live_server, demo_registry):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(live_server.url + "/statistics/")
    smallest = page.evaluate(
        "() => Math.min(...[...document.querySelectorAll('svg.bar-chart text')]"
        ".map((t) => t.getBoundingClientRect().height))"
    )
    assert smallest >= 10, f"chart text is {smallest:.1f} px tall at 320 px"
