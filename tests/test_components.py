"""The shared page components (templates/includes/, pact_portal/templatetags/portal_tags.py).

Every list page is built from one layout, so a visitor meets the same search box, chips, empty
state, pagination and breadcrumbs everywhere; these tests render each page and check that.
"""

import re
from pathlib import Path

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

from partnerships.models import CoordinatorAccess
from partnerships.services import coordinator_grant
from tests.partnerships.builders import make_partnership

# Each list page, with one filter that is valid but matches nothing in an empty registry, and what
# its breadcrumb trail ends with.
LIST_PAGES = [
    ("/partnerships/", {"q": "zzzz nothing"}, "Partnerships"),
    ("/organisations/", {"q": "zzzz nothing"}, "Organisations"),
    ("/resources/", {"q": "zzzz nothing"}, "Resources"),
    ("/resources/kpis/", {"q": "zzzz nothing"}, "KPI repository"),
    ("/events/", {"kind": "webinar"}, "Events"),
]

CHIPS = re.compile(
    r'<ul class="list-inline mb-3" aria-label="Filters in force">\s*<li class="list-inline-item mb-1">'
    r'<span class="badge[^"]*">[^<]+\s*<a class="ms-1" href="\?[^"]*" aria-label="Remove the filter [^"]+">×</a>'
)
BREADCRUMBS = re.compile(
    r'<nav aria-label="Breadcrumb"><ol class="breadcrumb">\s*'
    r'<li class="breadcrumb-item"><a href="/">Home</a></li>\s*'
    r'<li class="breadcrumb-item active" aria-current="page">([^<]+)</li>\s*</ol></nav>'
)


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "params", "here"), LIST_PAGES)
def test_each_list_page_shows_chips_empty_state_and_breadcrumbs_from_the_shared_components(
    client, reference_data, url, params, here
):
    response = client.get(url, params)
    assert response.status_code == 200
    used = {t.name for t in response.templates}
    assert {
        "includes/list_page.html",
        "includes/chips.html",
        "includes/filter_select.html",
        "includes/breadcrumbs.html",
    } <= used
    html = response.content.decode()
    assert CHIPS.search(html), "the filter in force is shown as a removable chip"
    assert re.search(r'<div class="alert alert-info" id="empty-state">\s*<h3 class="h6">[^<]+</h3>', html)
    trail = BREADCRUMBS.search(html) or re.search(
        r'<nav aria-label="Breadcrumb">.*?aria-current="page">([^<]+)</li>', html, re.S
    )
    assert trail and trail.group(1) == here
    # One filter sidebar and one results heading, the same on every list page.
    assert html.count('aria-labelledby="filters-heading"') == 1
    assert html.count('id="results-heading"') == 1
    assert '<form method="get" action="' in html


@pytest.mark.django_db
def test_the_search_box_keeps_the_other_filters_and_the_list_pages_still_read_french(client, reference_data):
    html = client.get("/resources/", {"kind": "handbook", "q": "x", "page": "2"}).content.decode()
    search = re.search(r'<form method="get" action="/resources/" role="search".*?</form>', html, re.S).group(
        0
    )
    assert '<input type="hidden" name="kind" value="handbook">' in search
    assert 'name="page"' not in search and 'aria-describedby="search-help"' in search

    french = client.get("/partnerships/", {"q": "zzzz"}, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Appliquer les filtres" in french and "Fil d'Ariane" in french
    assert '<a href="/">Accueil</a>' in french and 'aria-current="page">Partenariats</li>' in french


def render(source, **context):
    return Template("{% load i18n portal_tags %}" + source).render(Context(context))


def test_breadcrumbs_link_each_step_and_mark_the_current_page():
    html = render('{% breadcrumbs _("Home") "partnerships:home" "Regions" "/regions/EU/" here="Lombardy" %}')
    assert re.findall(r'<li class="breadcrumb-item"><a href="([^"]+)">([^<]+)</a></li>', html) == [
        ("/", "Home"),
        ("/regions/EU/", "Regions"),
    ]
    assert html.count("aria-current") == 1
    assert '<li class="breadcrumb-item active" aria-current="page">Lombardy</li>' in html


def test_breadcrumbs_leave_out_a_step_without_label_and_splice_a_trail():
    html = render(
        '{% breadcrumbs "Coordinator area" "/coordinator/" declaration.short_name "/x/" trail here="Edit" %}',
        declaration=None,
        trail=[("Italy", "/regions/IT/"), ("Nord-Ovest", "/regions/ITC/")],
    )
    labels = re.findall(r'<a href="[^"]+">([^<]+)</a>', html)
    assert labels == ["Coordinator area", "Italy", "Nord-Ovest"]


@pytest.mark.django_db
def test_an_anonymous_page_runs_no_query_for_the_coordinator_link(client, reference_data):
    table = CoordinatorAccess._meta.db_table
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/accessibility/").content.decode()
    assert not [q for q in queries.captured_queries if table in q["sql"]]
    assert "/coordinator/" not in html


@pytest.mark.django_db
def test_the_coordinator_link_shows_for_coordinators_only(client, django_user_model, reference_data):
    partnership = make_partnership(name="Alpine Skills Partnership")
    member = django_user_model.objects.create_user(username="m@example.org", password="pw-long-enough-1")
    client.force_login(member)
    assert 'href="/coordinator/"' not in client.get("/accessibility/").content.decode()
    coordinator_grant(partnership=partnership, user=member)
    assert 'href="/coordinator/">My partnerships</a>' in client.get("/accessibility/").content.decode()


# --- Accessibility of the shared components (WCAG 2.2 AA, issue 16) ---------------------------------------------

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"


def test_every_data_table_of_the_portal_sits_in_a_labelled_scroll_region():
    """A wide table scrolls inside its own box, never the page (1.4.10); the admin's pages, PDFs and e-mails
    have their own layouts."""
    unwrapped = []
    for path in sorted(TEMPLATES_DIR.rglob("*.html")):
        relative = path.relative_to(TEMPLATES_DIR).as_posix()
        text = path.read_text(encoding="utf-8")
        if relative.startswith(("admin/", "pdf/")) or "/email/" in relative or 'extends "admin/' in text:
            continue
        if text.count("<table") != text.count("{% table_region "):
            unwrapped.append(relative)
    assert not unwrapped, f"wrap these tables in {{% table_region %}}: {unwrapped}"


def test_the_table_region_is_a_named_focusable_region():
    rendered = Template(
        '{% load portal_tags %}{% table_region label="Targets" %}<table></table>{% endtable_region %}'
        '{% table_region labelledby="heading" %}<table></table>{% endtable_region %}'
    ).render(Context())
    assert rendered == (
        '<div class="table-region" role="region" aria-label="Targets" tabindex="0"><table></table></div>'
        '<div class="table-region" role="region" aria-labelledby="heading" tabindex="0"><table></table></div>'
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "params", "title"),
    [
        ("/partnerships/", {}, "<title>Partnerships · Pact for Skills</title>"),
        (
            "/partnerships/",
            {"kind": "lsp", "q": "skills"},
            "<title>Partnerships (Search: skills; Kind: Large-Scale Skills Partnership) · Pact for Skills</title>",
        ),
        (
            "/partnerships/",
            {"page": "2", "q": "title"},
            "<title>Partnerships (Search: title) · page 2 of 2 · Pact for Skills</title>",
        ),
    ],
)
def test_a_filtered_list_and_its_later_pages_have_titles_of_their_own(
    client, reference_data, url, params, title
):
    for number in range(21):  # two pages of 20
        make_partnership(name=f"Title partnership {number}")
    html = client.get(url, params).content.decode()
    assert re.search(r"<title>.*?</title>", html, re.S).group(0) == title


@pytest.mark.django_db
def test_texts_in_another_language_than_the_page_say_so(client, reference_data):
    partnership = make_partnership(
        name="Language partnership", summary="Upskilling the workforce.", ecosystems=["digital"]
    )
    english = client.get(partnership.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<p class="lead">Upskilling the workforce.</p>' in english
    french = client.get(partnership.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<p class="lead" lang="en">Upskilling the workforce.</p>' in french
    # Ecosystem names are vocabulary, translated like the interface: no lang mark.
    assert '<a href="/ecosystems/digital/">Numérique</a>' in french
    # A partnership that writes in French is marked on the English pages instead.
    partnership.text_language = "fr"
    partnership.save()
    assert (
        '<p class="lead">'
        in client.get(partnership.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    )
    assert '<p class="lead" lang="fr">' in client.get(partnership.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_the_error_summary_links_a_radio_question_to_its_first_radio(client, reference_data):
    response = client.post("/expression-of-interest/", {"organisation_name": "Radio test"})
    html = response.content.decode()
    assert 'href="#id_is_pact_member_0"' in html
    assert 'id="id_is_pact_member_0"' in html
    assert 'href="#"' not in html
    assert "Answers marked" in html and "are required." in html
