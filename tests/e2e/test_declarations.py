"""The declaration journey in Chromium: draft, review with a round of changes, sign, countersign, verify."""

import hashlib
import re
from pathlib import Path

import pytest
from django.core import mail

from commitments.models import Declaration
from tests.e2e.conftest import assert_accessible, sign_in
from tests.partnerships.builders import make_coordinator, make_partnership, make_superuser

pytestmark = pytest.mark.django_db(transaction=True)


def admin_action(page, base, declaration, button, comment="", check_accessibility=False):
    page.goto(f"{base}/admin/commitments/declaration/{declaration.pk}/change/")
    if check_accessibility:  # the review buttons, their notes and the reasons beside disabled ones
        assert_accessible(page)
    if comment:
        page.locator(f"#note-{button}").fill(comment)
    page.locator(f"button[name='{button}']").click()
    page.wait_for_load_state()
    confirm = page.locator("button[name='confirm']")
    if confirm.count():  # a transition that asks first (countersign, withdraw)
        if check_accessibility:
            assert_accessible(page)
        confirm.click()
        page.wait_for_load_state()


def test_declaration_journey(new_page, live_server, reference_data, tmp_path):
    base = live_server.url
    partnership = make_partnership(name="Lakeside Skills Partnership", members=2)
    make_coordinator(partnership, username="coord")
    make_superuser(username="staff")

    coordinator_page = new_page()
    staff_page = new_page()

    # The coordinator drafts version 1 and submits it.
    sign_in(coordinator_page, base, "coord")
    coordinator_page.wait_for_url("**/coordinator/")
    assert_accessible(coordinator_page)
    coordinator_page.get_by_role("button", name="Start a new declaration version").click()
    coordinator_page.wait_for_url("**/edit/")
    assert_accessible(coordinator_page)
    coordinator_page.get_by_label("Skills challenge").fill("Too few welders around the lake.")
    coordinator_page.get_by_label("Ambition").fill("Train 400 welders by 2030.")
    coordinator_page.get_by_label("Build strong skills partnerships").check()
    coordinator_page.locator("#id_objectives-0-text").fill("Open a welding academy")
    coordinator_page.locator("#id_kpis-0-indicator").fill("Welders certified")
    coordinator_page.locator("#id_kpis-0-unit").fill("people")
    coordinator_page.locator("#id_kpis-0-baseline").fill("0")
    coordinator_page.locator("#id_kpis-0-target").fill("400")
    coordinator_page.locator("#id_kpis-0-target_year").fill("2030")
    coordinator_page.get_by_role("button", name="Save").click()
    coordinator_page.wait_for_url(re.compile(r".*/coordinator/declarations/\d+/$"))
    assert_accessible(coordinator_page)
    coordinator_page.get_by_role("button", name="Submit for review").click()
    coordinator_page.wait_for_load_state()
    assert coordinator_page.locator("#declaration-status").inner_text() == "Submitted for review"
    declaration = Declaration.objects.get(partnership=partnership)

    # Staff request changes; the coordinator fixes and resubmits.
    sign_in(staff_page, base, "staff")
    staff_page.goto(base + "/admin/commitments/declarationtoreview/")
    assert "Lakeside Skills Partnership" in staff_page.content()
    admin_action(
        staff_page, base, declaration, "request_changes", "Please add an objective on apprenticeships."
    )
    assert "Please add an objective on apprenticeships." in staff_page.content()
    coordinator_page.reload()
    assert coordinator_page.locator("#declaration-status").inner_text() == "Changes requested"
    assert "Please add an objective on apprenticeships." in coordinator_page.content()
    coordinator_page.get_by_role("link", name="Edit").click()
    coordinator_page.locator("#id_objectives-1-text").fill("Offer 50 apprenticeships a year")
    coordinator_page.get_by_role("button", name="Save").click()
    coordinator_page.wait_for_url(re.compile(r".*/coordinator/declarations/\d+/$"))
    coordinator_page.get_by_role("button", name="Submit for review").click()
    coordinator_page.wait_for_load_state()

    # Staff approve; the coordinator sends signing links to both member organisations.
    admin_action(staff_page, base, declaration, "approve")
    coordinator_page.reload()
    coordinator_page.get_by_role("link", name="Choose signatories and send signing links").click()
    assert_accessible(coordinator_page)
    emails = coordinator_page.locator("input[type=email]")
    assert emails.count() == 2
    emails.nth(0).fill("anna@example.eu")
    emails.nth(1).fill("ben@example.eu")
    coordinator_page.get_by_role("button", name="Save and send signing links").click()
    coordinator_page.wait_for_url(re.compile(r".*/coordinator/declarations/\d+/$"))
    links = [re.search(r"https?://\S+/sign/\S+/", m.body).group(0) for m in mail.outbox if "/sign/" in m.body]
    assert len(links) == 2

    # Two signatories sign through their personal links.
    for i, link in enumerate(links):
        signer = new_page()
        signer.goto(base + link[link.index("/sign/") :])
        assert_accessible(signer)
        signer.get_by_label("Your full name").fill(f"Signer Number{i}")
        signer.get_by_label("Your title or position").fill("Director")
        signer.get_by_label(re.compile("I am authorised")).check()
        signer.get_by_role("button", name="Sign the declaration").click()
        signer.get_by_role("heading", name="Thank you for signing").wait_for()

    # Staff countersign: the PDF is rendered, signed and published.
    admin_action(staff_page, base, declaration, "countersign", check_accessibility=True)
    declaration.refresh_from_db()
    assert declaration.status == "signed"

    # The public reads the declaration, downloads the PDF and verifies it.
    public = new_page()
    public.goto(base + f"/declarations/{partnership.slug}/v1/")
    assert_accessible(public)
    assert "Welders certified" in public.content() and "Signer Number1" in public.content()
    with public.expect_download() as download_info:
        public.get_by_role("link", name="Download the signed PDF").click()
    pdf_path = Path(tmp_path) / "declaration.pdf"
    download_info.value.save_as(pdf_path)
    assert hashlib.sha256(pdf_path.read_bytes()).hexdigest() == declaration.pdf_sha256
    public.get_by_role("link", name=re.compile("^Verify")).click()
    public.wait_for_url("**/verify/**")
    assert "Authentic" in public.content()
    public.get_by_label("PDF file to check").set_input_files(str(pdf_path))
    public.get_by_role("button", name="Compare with the stored PDF").click()
    public.wait_for_load_state()
    assert "identical to the signed PDF" in public.content()
    assert_accessible(public)
