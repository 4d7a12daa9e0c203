"""/verify/ in Chromium, as anyone holding a PDF uses it: a code typed loosely, a wrong code, an upload,
keyboard only, at phone width, axe-clean on every state."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from partnerships.services import partnership_update
from tests.commitments.builders import make_signed
from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def signed_outside_the_browser_loop():
    """A countersigned declaration. pyHanko signs with asyncio.run(), which cannot run in this thread while
    Playwright's event loop does: the signing runs in a thread of its own."""

    def build():
        try:
            return make_signed(members=2, kpis=1)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(build).result()


def test_verify_by_code_or_file_with_the_keyboard(new_page, live_server, reference_data, tmp_path):
    base = live_server.url
    declaration = signed_outside_the_browser_loop()
    code = declaration.verification_code
    page = new_page()
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(base + "/verify/")
    assert page.title().startswith("Verify a declaration of commitment")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)

    # A wrong code: the form again, the message tied to the field, a title that says so.
    page.get_by_role("textbox", name="Verification code").fill("zzzz-zzzz-zzzz")
    page.keyboard.press("Enter")
    page.wait_for_url("**/verify/?code=*")
    assert page.title().startswith("Not verified")
    assert "No signed declaration has this verification code" in page.content()
    assert page.get_by_role("textbox", name="Verification code").get_attribute("aria-invalid") == "true"
    assert_accessible(page)

    # The right code, typed in lower case with spaces instead of dashes.
    raw = code.replace("-", "").lower()
    page.get_by_role("textbox", name="Verification code").fill(f"{raw[:4]} {raw[4:8]} {raw[8:]}")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/verify/{code}/")
    assert page.title().startswith("Authentic")
    assert declaration.partnership.name in page.content()
    assert_accessible(page)

    # Uploading the PDF itself finds the declaration.
    pdf_path = tmp_path / "copy.pdf"
    with declaration.pdf.open("rb") as stored:
        pdf_path.write_bytes(stored.read())
    page.goto(base + "/verify/")
    page.get_by_label("PDF file to check").set_input_files(str(pdf_path))
    page.get_by_role("button", name="Check the file").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "identical to the signed PDF" in page.content() and code in page.content()
    assert_accessible(page)

    # With the partnership unpublished: authentic, said plainly, and no link to a page that answers 404.
    partnership_update(partnership=declaration.partnership, is_published=False)
    page.goto(base + f"/verify/{code}/")
    assert "Authentic" in page.content() and "not public at the moment" in page.content()
    for href in page.locator("main a[href]").evaluate_all("links => links.map(a => a.getAttribute('href'))"):
        if href.startswith("/"):
            assert page.request.get(base + href).status != 404, href
    assert_accessible(page)
