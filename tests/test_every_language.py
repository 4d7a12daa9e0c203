"""The portal in each of the 24 official languages: every public page and every step of the Expression of
Interest answers in the language asked for, says so (``lang``, Content-Language), names the ecosystems in it,
offers the other languages as people expect (own names, remembered choice, hreflang), and writes e-mails and
declaration PDFs in the language of their reader."""

import io
import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import translation
from django.utils.formats import date_format
from pypdf import PdfReader

from commitments import services as commitments_services
from pact_portal.i18n import account_language_remember
from pact_portal.models import AccountLanguage
from partnerships.models import Ecosystem
from partnerships.vocabulary import ECOSYSTEM_NAMES
from tests.commitments.builders import invite_all, make_approved, make_draft, make_signed
from tests.partnerships.builders import make_coordinator, make_partnership
from tests.support_services.builders import make_eoi_draft
from tests.test_permissions_matrix import MATRIX, build_world

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]
ECOSYSTEM_LINK = re.compile(r'<a href="/ecosystems/([\w-]+)/"[^>]*>([^<]+)</a>')


def in_language(code, text):
    with translation.override(code):
        return translation.gettext(text)


def public_pages(world):
    """The GET addresses anyone may open (the permission matrix's rows), and every step of an application."""
    paths = [row.url(world) for row in MATRIX if row.method == "get" and row.expected["anonymous"] == 200]
    draft = make_eoi_draft(step=3, ecosystems=("digital", "proximity-social-economy"))
    paths += [f"{draft.get_absolute_url()}?step={step}" for step in (1, 2, 3, 4)]
    paths += ["/partnerships/?ecosystem=digital", "/expression-of-interest/"]
    return paths


def test_every_public_page_and_application_step_in_every_language(reference_data):
    world, _users = build_world()
    pages = public_pages(world)
    failures = []
    for code in LANGUAGES:
        client = Client(HTTP_ACCEPT_LANGUAGE=code)
        skip_link = in_language(code, "Skip to main content")
        for path in pages:
            response = client.get(path)
            where = f"{path} [{code}]"
            if response.status_code != 200:
                failures.append(f"{where}: {response.status_code}")
                continue
            if not response["Content-Type"].startswith("text/html"):
                continue
            html = response.content.decode()
            if f'<html lang="{code}"' not in html or response["Content-Language"] != code:
                failures.append(f"{where}: the page does not say it is in {code}")
            if skip_link not in html:
                failures.append(f"{where}: the interface is not in {code}")
            for slug, text in ECOSYSTEM_LINK.findall(html):
                expected = in_language(code, Ecosystem.objects.get(slug=slug).name)
                if text.strip() != expected:
                    failures.append(f"{where}: ecosystem {slug} named {text!r}, not {expected!r}")
            if code != "en":
                for name in ECOSYSTEM_NAMES:
                    if in_language(code, name) != name and re.search(rf">\s*{re.escape(name)}\s*<", html):
                        failures.append(f"{where}: the English ecosystem name {name!r} is left")
    assert len(pages) > 30
    assert not failures, "\n".join(failures[:40])


def test_the_first_visit_follows_the_browser_and_the_choice_is_remembered(client, reference_data):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="el-GR,el;q=0.9,en;q=0.5").content.decode()
    assert '<html lang="el"' in html
    response = client.post("/i18n/setlang/", {"language": "ga", "next": "/statistics/"})
    assert response.status_code == 302 and response["Location"] == "/statistics/"
    html = client.get("/statistics/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert '<html lang="ga"' in html


def test_the_switcher_names_each_language_in_itself(client, reference_data):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    switcher = re.search(r'<select[^>]*id="language-select".*?</select>', html, re.S).group(0)
    options = dict(re.findall(r'<option value="(\w+)" lang="\w+"[^>]*>([^<]+)</option>', switcher))
    assert len(options) == 24
    assert options["de"] == "Deutsch" and options["el"] == "Ελληνικά" and options["ga"] == "Gaeilge"
    assert options["mt"] == "Malti" and options["bg"] == "Български" and options["fi"] == "Suomi"


def test_each_page_names_its_alternates_and_lang_asks_for_one(client, settings, reference_data):
    settings.PORTAL_URL = "https://skills.example.eu"
    html = client.get("/partnerships/?country=DE", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    links = dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">', html))
    assert len(links) == 25
    assert links["x-default"] == "https://skills.example.eu/partnerships/?country=DE"
    assert links["pl"] == "https://skills.example.eu/partnerships/?country=DE&amp;lang=pl"
    # The alternate answers in its language, whatever the visitor's browser or earlier choice.
    client.post("/i18n/setlang/", {"language": "de"})
    html = client.get("/partnerships/?country=DE&lang=pl", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="pl"' in html
    assert '<html lang="de"' in client.get("/partnerships/?country=DE").content.decode()
    # An unknown language is ignored, never an error.
    assert '<html lang="de"' in client.get("/partnerships/?lang=xx").content.decode()


def test_dates_take_one_style_per_language_maltese_included(client, reference_data):
    import datetime

    day = datetime.date(2027, 1, 17)
    styles = {}
    for code in LANGUAGES:
        with translation.override(code):
            styles[code] = date_format(day, "DATE_FORMAT")
    assert styles["mt"] == "17 Jannar 2027"
    assert styles["el"] != styles["en"] and "2027" in styles["el"]
    assert len(set(styles.values())) > 15


def test_maltese_form_errors_are_in_maltese(client, reference_data):
    html = client.post("/expression-of-interest/", {"idempotency_key": "k" * 20}, HTTP_ACCEPT_LANGUAGE="mt")
    html = html.content.decode()
    required = in_language("mt", "This field is required.")
    assert required != "This field is required." and required in html


# --- E-mails and PDFs in their reader's language -------------------------------------------------------------


def test_coordinators_are_written_to_in_the_language_they_read_the_portal_in(
    reference_data, staff, django_capture_on_commit_callbacks
):
    partnership = make_partnership(name="Mail language partnership", members=3)
    greek = make_coordinator(partnership)
    english = make_coordinator(partnership)
    account_language_remember(greek, "el")
    declaration = make_draft(partnership=partnership)
    commitments_services.declaration_submit(declaration=declaration)
    mail.outbox.clear()
    # The staff member works in French: it changes nothing for the readers.
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        commitments_services.declaration_approve(declaration=declaration, actor=staff)
    by_reader = {message.to[0]: message for message in mail.outbox}
    assert set(by_reader) == {greek.email, english.email}
    with translation.override("el"):
        greek_subject = translation.gettext(
            "Your declaration of commitment (v%(version)s) is approved: invite the signatories"
        ) % {"version": declaration.version}
    assert by_reader[greek.email].subject == greek_subject != by_reader[english.email].subject
    assert by_reader[english.email].subject.startswith("Your declaration of commitment")


def test_signing_in_and_switching_keep_the_account_language(client, reference_data):
    partnership = make_partnership(name="Switching partnership")
    coordinator = make_coordinator(partnership)
    coordinator.set_password("a long enough password 1")
    coordinator.save()
    client.post(
        "/accounts/login/",
        {"username": coordinator.username, "password": "a long enough password 1"},
        HTTP_ACCEPT_LANGUAGE="lt",
    )
    assert AccountLanguage.objects.get(user=coordinator).language == "lt"
    client.post("/i18n/setlang/", {"language": "sk"})
    assert AccountLanguage.objects.get(user=coordinator).language == "sk"


def test_signatories_are_written_to_in_the_language_the_declaration_was_drafted_in(
    reference_data, django_capture_on_commit_callbacks
):
    with translation.override("bg"):
        declaration = make_approved()
    assert declaration.language == "bg"
    mail.outbox.clear()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        invite_all(declaration)
    signatory_messages = [m for m in mail.outbox if m.to[0].startswith("signatory")]
    expected = in_language("bg", "Please sign the declaration of commitment of %(name)s") % {
        "name": declaration.partnership.name
    }
    assert signatory_messages and all(m.subject == expected for m in signatory_messages)


@pytest.mark.parametrize("code", ["el", "bg"])
def test_a_declaration_pdf_prints_its_labels_in_greek_and_cyrillic(code, reference_data):
    with translation.override(code):
        declaration = make_signed()
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(declaration.pdf.read())).pages)
    label = in_language(code, "Skills challenge")
    assert label != "Skills challenge" and label in text
    # The declaration's own text stays as written.
    assert "Shortage of welders" in text


def test_english_record_notes_say_they_are_english_on_other_pages(client, demo_registry):
    html = client.get("/partnerships/lombardy-rsp/", HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    notes = re.findall(r'<span class="small text-body-secondary" lang="en">– ([^<]+)</span>', html)
    assert notes and all(note.strip() for note in notes)
    english = client.get("/partnerships/lombardy-rsp/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="en">–' not in english
