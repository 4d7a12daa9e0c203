"""The shared page components (templates/includes/, pact_portal/templatetags/portal_tags.py).

Every list page is built from one layout, so a visitor meets the same search box, chips, empty
state, pagination and breadcrumbs everywhere; these tests render each page and check that.
"""

import re

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
