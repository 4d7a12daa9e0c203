"""Coordinators' long forms in Chromium, with JavaScript and without: "Add rows" on a declaration's lists, the
organisation picker's search, the applicant's region list narrowed to the chosen country. Axe-clean."""

import re

import pytest
from playwright.sync_api import expect

from commitments import services as declarations
from partnerships import services as registry
from partnerships.models import MembershipRole
from tests import reference_data as _reload_after_flush  # noqa: F401  (reference data survives the flushes)
from tests.e2e.conftest import assert_accessible, sign_in
from tests.partnerships.builders import make_coordinator, make_organisation, make_partnership

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def browser_page(browser):
    """browser_page(javascript=True) -> a page in a fresh context; without JavaScript, the portal's scripts are
    never loaded (axe, run through the DevTools protocol, still can)."""
    contexts = []

    def make(javascript=True):
        contexts.append(browser.new_context(locale="en-GB"))
        if not javascript:
            contexts[-1].route("**/static/js/**", lambda route: route.abort())
        return contexts[-1].new_page()

    yield make
    for context in contexts:
        context.close()


def kpi_rows(page):
    return page.locator("input[name$='-indicator']").count()


def open_as_coordinator(page, base, path):
    """Sign in as the coordinator "coord" (who lands on the coordinator area), then open ``path``."""
    sign_in(page, base, "coord")
    page.wait_for_url("**/coordinator/")
    page.goto(base + path)


@pytest.fixture
def draft(reference_data):
    partnership = make_partnership(name="Lakeside Skills Partnership", members=2)
    make_coordinator(partnership, username="coord")
    return declarations.declaration_create(partnership=partnership)


@pytest.mark.parametrize("javascript", [False, True], ids=["without-js", "with-js"])
def test_a_coordinator_adds_several_kpi_rows_at_once(browser_page, live_server, draft, javascript):
    page = browser_page(javascript)
    open_as_coordinator(page, live_server.url, f"/coordinator/declarations/{draft.pk}/edit/")
    page.get_by_label("Skills challenge").fill("Too few welders around the lake.")
    page.locator("#id_kpis-0-indicator").fill("Welders certified")
    assert kpi_rows(page) == 1
    page.evaluate("window.sameDocument = true") if javascript else None
    page.get_by_label("KPI rows to add").fill("3")
    page.get_by_role("button", name="Add KPI rows").click()
    page.wait_for_load_state()
    expect(page.locator("input[name$='-indicator']")).to_have_count(4)
    # What was typed is still there.
    expect(page.get_by_label("Skills challenge")).to_have_value("Too few welders around the lake.")
    expect(page.locator("#id_kpis-0-indicator")).to_have_value("Welders certified")
    if javascript:
        assert page.evaluate("window.sameDocument === true")  # no round trip
        expect(page.locator("#id_kpis-1-indicator")).to_be_focused()
        expect(page.locator("[data-formset='kpis'] [role=status]")).to_contain_text("Rows added: 3")
    assert_accessible(page)

    page.get_by_label("Ambition").fill("Train 400 welders by 2030.")
    for index, (indicator, target) in enumerate([("Welders certified", "400"), ("Trainers hired", "12")]):
        page.locator(f"#id_kpis-{index}-indicator").fill(indicator)
        page.locator(f"#id_kpis-{index}-unit").fill("people")
        page.locator(f"#id_kpis-{index}-baseline").fill("0")
        page.locator(f"#id_kpis-{index}-target").fill(target)
        page.locator(f"#id_kpis-{index}-target_year").fill("2030")
    # Enter in a field saves, as it did before the "Add rows" buttons.
    page.locator("#id_kpis-1-target_year").press("Enter")
    page.wait_for_url(re.compile(r".*/coordinator/declarations/\d+/$"))
    assert [k.indicator for k in draft.kpis.order_by("position", "id")] == [
        "Welders certified",
        "Trainers hired",
    ]


@pytest.fixture
def members_page(reference_data):
    partnership = make_partnership(name="Harbour Skills Partnership")
    make_coordinator(partnership, username="coord")
    other = make_partnership(name="Alentejo Skills Partnership")
    for name in (
        "Câmara Municipal de Évora",
        "Escola Profissional de Évora",
        "Porto Tech Hub",
        "Lisboa Skills Lab",
    ):
        registry.membership_add(
            partnership=other,
            organisation=make_organisation(name=name, country="PT"),
            role=MembershipRole.MEMBER,
        )
    return partnership


def organisation_options(page):
    return page.locator("select[name='existing-organisation'] option:not([value=''])").all_inner_texts()


@pytest.mark.parametrize("javascript", [False, True], ids=["without-js", "with-js"])
def test_the_organisation_picker_searches(browser_page, live_server, members_page, javascript):
    page = browser_page(javascript)
    open_as_coordinator(page, live_server.url, f"/coordinator/partnerships/{members_page.slug}/members/")
    # Every organisation of the registry is offered (the demo registry's too, unless a browser test emptied it).
    assert {
        "Câmara Municipal de Évora",
        "Escola Profissional de Évora",
        "Porto Tech Hub",
        "Lisboa Skills Lab",
    } <= set(organisation_options(page))
    page.get_by_label("Role").select_option("associate")
    search = page.get_by_label("Search organisations")
    search.fill("evora")
    if javascript:
        page.evaluate("window.sameDocument = true")
        expect(page.locator("select[name='existing-organisation'] option:not([value=''])")).to_have_count(2)
        expect(page.locator("[data-filter-status='existing-organisation']")).to_contain_text(
            "Organisations in the list: 2"
        )
        assert page.evaluate("window.sameDocument === true")
    else:
        search.press("Enter")  # the search button is the form's default
        page.wait_for_load_state()
        expect(page.locator("[data-filter-status='existing-organisation']")).to_contain_text(
            "2 organisations match “evora”."
        )
        expect(page.get_by_label("Role")).to_have_value("associate")  # kept
    assert sorted(organisation_options(page)) == ["Câmara Municipal de Évora", "Escola Profissional de Évora"]
    assert_accessible(page)
    page.get_by_label("Existing organisation").select_option(label="Câmara Municipal de Évora")
    page.get_by_role("button", name="Add", exact=True).click()
    page.wait_for_load_state()
    expect(page.locator(".messages")).to_contain_text("Câmara Municipal de Évora added.")
    membership = members_page.memberships.current().get()
    assert (membership.organisation.name, membership.role) == ("Câmara Municipal de Évora", "associate")


@pytest.mark.parametrize("javascript", [False, True], ids=["without-js", "with-js"])
def test_the_region_list_follows_the_country(browser_page, live_server, reference_data, javascript):
    page = browser_page(javascript)
    page.goto(live_server.url + "/expression-of-interest/")
    page.get_by_label("Name of the organisation").fill("Région Grand Est")
    page.get_by_label("Country").select_option("FR")
    if javascript:
        expect(page.get_by_role("button", name="Show the regions of this country")).to_be_hidden()
    else:
        page.get_by_role("button", name="Show the regions of this country").click()
        page.wait_for_load_state()
        expect(page.get_by_label("Name of the organisation")).to_have_value("Région Grand Est")
    values = page.locator("select[name='organisation_region'] option:not([value=''])").evaluate_all(
        "options => options.map(o => o.value)"
    )
    assert values and all(value.startswith("FR") for value in values)
    assert_accessible(page)
