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
from pypdf import PdfReader

from commitments import services as commitments_services
from commitments.models import Declaration
from pact_portal.i18n import account_language_set
from pact_portal.models import AccountLanguage
from partnerships.models import Ecosystem
from partnerships.vocabulary import ECOSYSTEM_NAMES
from support_services.models import EoiStatus, ExpressionOfInterest
from tests.commitments.builders import invite_all, make_approved, make_draft, sign_all
from tests.partnerships.builders import make_coordinator, make_join_request, make_partnership, make_superuser
from tests.support_services.builders import eoi_perform, make_eoi_draft
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
    account_language_set(user=greek, language="el")
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


def sign_in(client, user, **headers):
    user.set_password("a long enough password 1")
    user.save()
    response = client.post(
        "/accounts/login/", {"username": user.username, "password": "a long enough password 1"}, **headers
    )
    assert response.status_code == 302


def test_signing_in_and_switching_keep_the_account_language(client, reference_data):
    partnership = make_partnership(name="Switching partnership")
    coordinator = make_coordinator(partnership)
    sign_in(client, coordinator, HTTP_ACCEPT_LANGUAGE="lt")
    assert AccountLanguage.objects.get(user=coordinator).language == "lt"  # the browser's, for a start
    client.post("/i18n/setlang/", {"language": "sk"})
    assert AccountLanguage.objects.get(user=coordinator).language == "sk"
    # Signing in later from another device, whose browser speaks German: the choice stands.
    phone = Client()
    sign_in(phone, coordinator, HTTP_ACCEPT_LANGUAGE="de")
    assert AccountLanguage.objects.get(user=coordinator).language == "sk"
    # Choosing there, before signing in, is a choice.
    tablet = Client()
    tablet.post("/i18n/setlang/", {"language": "hu"})
    sign_in(tablet, coordinator)
    assert AccountLanguage.objects.get(user=coordinator).language == "hu"


def test_switching_language_on_an_alternate_leaves_its_lang(client, reference_data):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/statistics/?lang=el"})
    assert response.status_code == 302 and response["Location"] == "/statistics/"
    assert '<html lang="en"' in client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="el").content.decode()


def test_alternates_carry_only_what_the_page_reads(client, settings, reference_data):
    settings.PORTAL_URL = "https://skills.example.eu"
    html = client.get("/partnerships/?country=DE&utm_source=mail&lang=fr").content.decode()
    links = dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">', html))
    assert links["x-default"] == "https://skills.example.eu/partnerships/?country=DE"
    assert links["fi"] == "https://skills.example.eu/partnerships/?country=DE&amp;lang=fi"
    form = client.get("/expression-of-interest/?utm_source=mail").content.decode()
    assert 'hreflang="x-default" href="https://skills.example.eu/expression-of-interest/"' in form


def test_an_unknown_lang_is_answered_but_never_cached(client, settings, reference_data, count_queries):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    client.get("/statistics/?lang=el")
    assert count_queries(client, "/statistics/?lang=el") == 0  # a language the portal speaks: cached
    client.get("/statistics/?lang=zz")
    assert count_queries(client, "/statistics/?lang=zz") > 0  # junk: answered afresh each time


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
    with translation.override(code):  # the coordinator drafts in Greek or Bulgarian
        draft = make_draft()
    with translation.override("en"):  # staff and signatories act in English
        staff = make_superuser()
        commitments_services.declaration_submit(declaration=draft)
        commitments_services.declaration_approve(declaration=draft, actor=staff)
        sign_all(draft)
        commitments_services.declaration_countersign(declaration=draft, actor=staff)
    declaration = Declaration.objects.get(pk=draft.pk)
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


def test_an_accepted_applicant_is_written_to_in_the_language_they_applied_in(
    reference_data, staff, django_capture_on_commit_callbacks
):
    draft = make_eoi_draft(step=3)
    ExpressionOfInterest.objects.filter(pk=draft.pk).update(language="pl")
    eoi = ExpressionOfInterest.objects.get(pk=draft.pk)
    for step in (EoiStatus.SUBMITTED, EoiStatus.UNDER_ASSESSMENT):
        eoi = eoi_perform(step, eoi, staff)
    mail.outbox.clear()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        eoi = eoi_perform(EoiStatus.ACCEPTED, eoi, staff)
    eoi.refresh_from_db()
    assert eoi.partnership.text_language == "pl"
    expected = in_language("pl", "You coordinate %(partnership)s on the Pact for Skills portal") % {
        "partnership": eoi.partnership.name
    }
    subjects = [m.subject for m in mail.outbox if m.to == [eoi.contact_email]]
    assert expected in subjects, subjects


def test_coordinators_hear_of_a_request_to_join_in_their_language(
    reference_data, django_capture_on_commit_callbacks
):
    partnership = make_partnership(name="Joinable partnership")
    coordinator = make_coordinator(partnership)
    account_language_set(user=coordinator, language="hr")
    mail.outbox.clear()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        make_join_request(partnership)
    to_coordinator = [m for m in mail.outbox if m.to == [coordinator.email]]
    assert len(to_coordinator) == 1
    with translation.override("hr"):
        from django.template.loader import render_to_string

        first_line = (
            render_to_string(
                "partnerships/email/join_request_coordinators.txt",
                {"join_request": partnership.join_requests.get(), "requests_url": "x"},
            )
            .strip()
            .splitlines()[0]
        )
    assert to_coordinator[0].subject == first_line.strip()


@pytest.mark.parametrize("path", ["/resources/", "/events/", "/newsletter/"])
def test_ecosystem_options_follow_the_alphabet_of_the_page(client, reference_data, path):
    from pact_portal.search import fold_text

    html = client.get(path, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    labels = [in_language("de", name) for name in ECOSYSTEM_NAMES]
    positions = sorted(
        (html.index(f">{label}<") if f">{label}<" in html else html.index(label), label) for label in labels
    )
    shown = [label for _position, label in positions]
    assert shown == sorted(labels, key=fold_text) != sorted(ECOSYSTEM_NAMES)
