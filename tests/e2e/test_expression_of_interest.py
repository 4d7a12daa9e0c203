"""The whole Expression of Interest journey in Chromium: apply, leave, resume by the e-mailed link, submit;
staff request information in the admin, the applicant answers, staff accept; the partnership exists."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from partnerships.models import Partnership
from support_services.models import EoiStatus, ExpressionOfInterest
from tests import reference_data  # noqa: F401  (reference data survives the flushes)
from tests.e2e.conftest import assert_accessible, sign_in
from tests.partnerships.builders import make_staff

pytestmark = pytest.mark.django_db(transaction=True)


def tab_to(page, element_id, limit=60):
    """Press Tab until the element has the focus: the keyboard is the only input device here."""
    for _ in range(limit):
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"#{element_id} never got the keyboard focus")


def test_apply_resume_submit_assess_and_accept(page, browser, live_server):
    base = live_server.url

    # Step 1, first with nothing filled in: the error state is accessible and names the problems.
    page.goto(base + "/")
    page.get_by_role("link", name="Apply").click()
    page.wait_for_url("**/expression-of-interest/")
    assert_accessible(page)
    page.get_by_role("button", name="Save and continue").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator("#error-summary")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Name of the organisation").fill("Regione Lombardia – Direzione Lavoro")
    page.get_by_label("Type of stakeholder").select_option("regional_authority")
    page.get_by_label("Country").select_option("IT")
    page.get_by_label("NUTS 2 region").select_option("ITC4")
    page.get_by_label("Website").fill("https://www.regione.lombardia.example")
    page.check("input[name=is_pact_member][value=yes]")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(re.compile(r".*/expression-of-interest/[A-Za-z0-9_-]{43}/\?step=2$"))
    assert_accessible(page)

    # Step 2 by keyboard alone.
    tab_to(page, "id_contact_name")
    page.keyboard.type("Giulia Bianchi")
    page.keyboard.press("Tab")
    page.keyboard.type("Head of skills policy")
    page.keyboard.press("Tab")
    page.keyboard.type("giulia.bianchi@example.it")
    page.keyboard.press("Tab")
    page.keyboard.type("+39 02 1234 5678")
    page.keyboard.press("Enter")
    page.wait_for_url("**?step=3")
    expect(page.locator(".messages")).to_contain_text("We have sent a link to giulia.bianchi@example.it")

    # Leave; come back on "another device" with the e-mailed link.
    page.context.close()
    resume = next(m for m in mail.outbox if m.to == ["giulia.bianchi@example.it"])
    link = re.search(r"http://\S+(/expression-of-interest/[A-Za-z0-9_-]+/)", resume.body).group(1)
    applicant = browser.new_context(locale="en-GB").new_page()
    applicant.goto(base + link)
    expect(applicant.get_by_role("heading", name="Step 3 of 4: Proposed partnership")).to_be_visible()
    assert_accessible(applicant)

    applicant.get_by_label("Working name of the partnership").fill("Lombardy Green Skills Partnership")
    applicant.check("input[name=scope][value=single_region]")
    applicant.get_by_label("Regions (NUTS 2)").select_option(["ITC4", "ITC1"])
    applicant.get_by_label("Renewable energy", exact=True).check()
    applicant.get_by_label("The skills challenge").fill("Too few technicians for the energy transition.")
    applicant.get_by_label("Objectives").fill("Train 5,000 technicians by 2030.")
    applicant.get_by_role("button", name="Save and continue").click()
    # Two regions for a single-region partnership: refused, and nothing typed is lost.
    expect(applicant.locator("#error-summary")).to_contain_text(
        "A single-region partnership names exactly one region."
    )
    assert (
        applicant.get_by_label("The skills challenge").input_value()
        == "Too few technicians for the energy transition."
    )
    assert_accessible(applicant)
    applicant.get_by_label("Regions (NUTS 2)").select_option(["ITC4"])
    applicant.get_by_role("button", name="Save and continue").click()
    applicant.wait_for_url("**?step=4")
    expect(applicant.locator("main")).to_contain_text("Lombardia (ITC4)")
    assert_accessible(applicant)
    applicant.get_by_label("I have read the privacy notice").check()
    applicant.get_by_role("button", name="Submit the application").click()
    applicant.wait_for_url("**" + link)
    eoi = ExpressionOfInterest.objects.get()
    assert eoi.status == EoiStatus.SUBMITTED
    expect(applicant.get_by_role("heading", level=1)).to_have_text(f"Application {eoi.reference}")
    assert_accessible(applicant)

    # Staff sign in to the admin and ask a question.
    make_staff(username="ines")
    staff = browser.new_context(locale="en-GB").new_page()
    sign_in(staff, base, "ines", admin=True)
    staff.wait_for_url("**/admin/")
    staff.goto(base + "/admin/support_services/expressionofinterest/?status=submitted")
    staff.get_by_role("link", name=eoi.reference).click()
    staff.get_by_role("button", name="Start assessment").click()
    expect(staff.locator(".messagelist")).to_contain_text("The status is now “Under assessment”")
    staff.get_by_label("Question for the applicant (e-mailed)").fill("Which vocational schools take part?")
    staff.get_by_role("button", name="Request information").click()
    expect(staff.locator(".messagelist")).to_contain_text("The status is now “Information requested”")

    # The applicant answers on the status page.
    applicant.reload()
    expect(applicant.locator(".eoi-history")).to_contain_text("Which vocational schools take part?")
    assert_accessible(applicant)
    applicant.get_by_label("Your answer").fill("Twelve schools in Milan and Bergamo.")
    applicant.get_by_role("button", name="Send the answer").click()
    expect(applicant.locator(".messages")).to_contain_text("your answer has been sent")

    # Staff accept: the partnership exists, in the design stage, unpublished.
    staff.reload()
    expect(staff.locator(".eoi-timeline")).to_contain_text("Twelve schools in Milan and Bergamo.")
    staff.get_by_role("button", name="Accept and create the partnership").click()
    staff.get_by_role("button", name="Yes: Accept and create the partnership").click()
    expect(staff.locator(".messagelist")).to_contain_text("The status is now “Accepted”")
    partnership = Partnership.objects.get(name="Lombardy Green Skills Partnership")
    assert (partnership.stage, partnership.kind, partnership.is_published) == ("design", "rsp", False)
    assert list(partnership.regions.values_list("code", flat=True)) == ["ITC4"]
    applicant.reload()
    expect(applicant.locator(".eoi-status")).to_have_text("Accepted")
    assert_accessible(applicant)
    # Close the browsers' keep-alive connections so the server threads end and release their database sessions.
    applicant.context.close()
    staff.context.close()
