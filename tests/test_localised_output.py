"""What the interface languages must not change (numbers read by SVG and CSS) and what they must change
consistently (one date style per language, plural forms)."""

import datetime
import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone, translation

from commitments import services as commitments_services
from commitments.workflows import ready_to_countersign
from partnerships.models import Partnership
from partnerships.templatetags.charts import BAR_WIDTH
from support_services.models import Event, EventAttendance, EventKind
from tests.commitments.builders import make_approved, make_signed

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]
# Attributes whose value SVG or the browser parses as numbers, and the style properties that hold one.
NUMERIC_ATTRIBUTES = re.compile(
    r'\s(x|y|dx|dy|cx|cy|r|width|height|x1|x2|y1|y2|stroke-width|font-size|viewBox|data-[\w-]+)="([^"]*)"'
)
STYLE = re.compile(r'style="([^"]*)"')
NUMBER_IN_STYLE = re.compile(r":\s*(-?[\d.,]+)(px|%|em|rem)?\s*(;|$)")


def numbers_a_browser_reads(html):
    """Every number in SVG geometry, data attributes and inline styles: (where, text)."""
    found = []
    for name, value in NUMERIC_ATTRIBUTES.findall(html):
        if value.endswith("%") or not re.search(r"\d", value):
            value = value.rstrip("%")
            if not re.search(r"\d", value):
                continue
        if name.startswith("data-") and not re.fullmatch(r"-?[\d.,]+", value):
            continue  # a data attribute holding a word, not a number
        found += [(name, part) for part in value.split()]
    for style in STYLE.findall(html):
        found += [("style", number) for number, _unit, _end in NUMBER_IN_STYLE.findall(style)]
    return found


def chart_pages():
    lombardy = Partnership.objects.get(slug="lombardy-rsp")
    signed = make_signed(kpis=2)
    kpi = signed.kpis.first()
    commitments_services.kpi_progress_report(
        kpi=kpi, value=round(kpi.target / 3, 2), reported_on=datetime.date(2026, 1, 5)
    )
    return ["/statistics/", "/partnerships/map/", lombardy.get_absolute_url(), signed.get_absolute_url()]


def test_every_number_in_svg_css_and_data_attributes_parses_in_every_language(demo_registry):
    pages = chart_pages()
    for language in LANGUAGES:
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, url
            assert response["Content-Language"] == language
            html = response.content.decode()
            numbers = numbers_a_browser_reads(html)
            assert numbers, f"{url}: no chart numbers found"
            for where, text in numbers:
                try:
                    float(text)
                except ValueError:
                    pytest.fail(f"{url} in {language}: {where}={text!r} is not a number a browser reads")


def test_statistics_bars_have_their_width_in_french_and_german(client, demo_registry):
    for language in ("fr", "de"):
        html = client.get("/statistics/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        widths = [float(w) for w in re.findall(r'<rect [^>]*width="([^"]+)"', html)]
        assert (
            len(widths) > 20
            and max(widths) == BAR_WIDTH
            and any(0 < w < BAR_WIDTH and w != int(w) for w in widths)
        )


def test_a_declaration_without_kpis_says_so_in_a_sentence_not_an_empty_table(client):
    declaration = make_signed(kpis=0)
    html = client.get(declaration.get_absolute_url()).content.decode()
    section = html.split("Key performance indicators</h2>", 1)[1].split("<h2", 1)[0]
    assert "This declaration sets no key performance indicators." in section
    assert "<table" not in section and "<th" not in section
    with_kpis = make_signed(kpis=2)
    html = client.get(with_kpis.get_absolute_url()).content.decode()
    section = html.split("Key performance indicators</h2>", 1)[1].split("<h2", 1)[0]
    assert "<table" in section and "sets no key performance indicators" not in section


def test_the_kpi_unit_filter_offers_any_unit_once(client):
    make_signed(kpis=2)
    html = client.get("/resources/kpis/").content.decode()
    select = re.search(r'<select[^>]*name="unit".*?</select>', html, re.S).group(0)
    assert select.count("Any unit") == 1


def test_counts_use_the_plural_form_that_fits():
    declaration = make_approved(members=3)
    members = list(declaration.partnership.memberships.select_related("organisation")[:2])
    choices = {members[0].organisation: "one@example.org"}
    commitments_services.signatories_set(declaration=declaration, choices=choices)
    assert ready_to_countersign(declaration) == (False, "Waiting for 1 signature.")
    choices[members[1].organisation] = "two@example.org"
    commitments_services.signatories_set(declaration=declaration, choices=choices)
    assert ready_to_countersign(declaration) == (False, "Waiting for 2 signatures.")
    with translation.override("de"):
        assert ready_to_countersign(declaration)[1] == "Warten auf 2 Unterschriften."


def test_dates_are_written_one_way_per_language(client):
    """An event's date is written in each language's one style (German "17. Januar 2027", Maltese "17 Jannar 2027")."""
    start = timezone.make_aware(datetime.datetime(2027, 1, 17, 10, 0))
    event = Event(
        slug="date-style",
        title="Date style",
        kind=EventKind.WEBINAR,
        attendance=EventAttendance.ONLINE,
        online_url="https://example.org/join",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )
    event.full_clean()
    event.save()
    from django.utils.formats import date_format

    expected = {
        "en": "17 January 2027",
        "fr": "17 janvier 2027",
        "de": "17. Januar 2027",
        "mt": "17 Jannar 2027",
    }
    styles = set()
    for language in LANGUAGES:
        with translation.override(language):
            text = date_format(start.date(), "DATE_FORMAT")
        assert text == expected.get(language, text)
        html = client.get(event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert text in html, language
        styles.add(text)
    assert len(styles) > 15  # the languages write it their own way
