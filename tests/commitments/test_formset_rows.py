"""The declaration form's "Add rows": without JavaScript a submit button that brings the page back with more
empty rows, keeping everything typed and saving nothing."""

import re

import pytest
from django.urls import reverse

from tests.commitments.builders import declaration_form_data, make_draft
from tests.partnerships.builders import make_coordinator

pytestmark = pytest.mark.django_db


def posted(**extra):
    """The form half filled in, over the draft's one saved objective: no ambition and no KPI figures yet
    (adding rows must not complain)."""
    unfinished = {"ambition": "", "kpis-0-baseline": "", "kpis-0-target": "", "kpis-0-target_year": ""}
    return declaration_form_data(**{"objectives-INITIAL_FORMS": "1", **unfinished, **extra})


def rows(page, prefix, field):
    return re.findall(rf'name="{prefix}-(\d+)-{field}"', page)


@pytest.fixture
def edit(client):
    declaration = make_draft(objectives=1, kpis=0, actions=0)
    client.force_login(make_coordinator(declaration.partnership))
    url = reverse("commitments:coordinator_declaration_edit", args=[declaration.pk])
    return declaration, url


def test_the_form_offers_add_rows_for_each_list(client, edit):
    _declaration, url = edit
    page = client.get(url).content.decode()
    for label in ("Add objective rows", "Add action rows", "Add KPI rows"):
        assert label in page
    assert 'name="add_rows_kpis"' in page and 'for="add-rows-kpis"' in page
    assert "js/formset.js" in page and "<template data-formset-template>" in page


def test_add_rows_adds_as_many_empty_rows_as_asked_and_keeps_what_was_typed(client, edit):
    declaration, url = edit
    response = client.post(url, posted(add_rows="kpis", add_rows_kpis="3"))
    page = response.content.decode()
    assert response.status_code == 200
    assert rows(page, "kpis", "indicator") == ["0", "1", "2", "3"]
    assert 'value="Nurses trained"' in page and "Too few nurses." in page
    assert re.search(r'value="principle_equality"[^>]*checked', page)
    assert rows(page, "objectives", "text") == ["0", "1"]  # the other lists as they were
    assert "Open two new courses" in page
    assert 'name="kpis-TOTAL_FORMS" value="4"' in page
    assert "This field is required" not in page  # nothing is checked yet
    declaration.refresh_from_db()
    assert declaration.challenge != "Too few nurses."  # nothing saved


def test_rows_added_then_filled_are_saved(client, edit):
    declaration, url = edit
    client.post(url, posted(add_rows="objectives", add_rows_objectives="2"))
    data = posted(
        ambition="Train 300 nurses.",
        **{
            "objectives-TOTAL_FORMS": "4",
            "objectives-1-text": "Second",
            "objectives-2-text": "Third",
            "objectives-3-text": "",
            "kpis-0-baseline": "0",
            "kpis-0-target": "300",
            "kpis-0-target_year": "2029",
        },
    )
    assert client.post(url, data).status_code == 302
    assert [o.text for o in declaration.objectives.all()] == ["Open two new courses", "Second", "Third"]


@pytest.mark.parametrize("asked, expected", [("0", 1), ("-4", 1), ("many", 1), ("500", 20)])
def test_the_number_of_rows_is_bounded(client, edit, asked, expected):
    _declaration, url = edit
    page = client.post(url, posted(add_rows="actions", add_rows_actions=asked)).content.decode()
    # the posted empty row stays, plus the rows asked for
    assert len(rows(page, "actions", "what")) == 1 + expected


def test_a_tampered_management_form_is_no_error(client, edit):
    _declaration, url = edit
    response = client.post(url, posted(add_rows="kpis", **{"kpis-TOTAL_FORMS": "lots"}))
    assert response.status_code == 200
