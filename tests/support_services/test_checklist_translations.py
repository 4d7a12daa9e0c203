"""Checklist items in every language: each language's text in the row (django-modeltranslation), filled from the
catalogues by the seed, edited by staff in the admin, English where a language is empty."""

import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from partnerships.models import Stage
from support_services.checklist import CHECKLIST, checklist_seed, checklist_translations_fill
from support_services.models import ChecklistItem
from tests.partnerships.builders import make_coordinator, make_partnership

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("checklist")]

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


@pytest.fixture
def partnership():
    return make_partnership(name="Alpine Skills Partnership", stage=Stage.DESIGN)


@pytest.fixture
def coordinator_client(client, partnership):
    client.force_login(make_coordinator(partnership, username="ana@alpine.example.org"))
    return client


def record_url(partnership):
    return reverse("support_services:coordinator_record", args=[partnership.slug])


def page_in(client, url, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def goals():
    return ChecklistItem.objects.get(stage=Stage.DESIGN, title_en="Goals")


def base_title(item):
    """The base ``title`` column, which the unique title per stage compares (modeltranslation reads ``title`` as
    the active language's column otherwise)."""
    return ChecklistItem.objects.rewrite(False).values_list("title", flat=True).get(pk=item.pk)


def change_url(item):
    return reverse("admin:support_services_checklistitem_change", args=[item.pk])


def change_form_data(item, **changes):
    """What the admin's change form posts for ``item`` untouched, with ``changes``."""
    data = {"stage": item.stage, "order": item.order, "active": "on" if item.active else ""}
    for code in LANGUAGE_CODES:
        for field in ("title", "description"):
            data[f"{field}_{code}"] = getattr(item, f"{field}_{code}") or ""
    data.update(changes)
    return data


# --- What coordinators read ---------------------------------------------------------------------------------


def test_the_support_record_shows_the_checklist_in_the_visitors_language(coordinator_client, partnership):
    french = page_in(coordinator_client, record_url(partnership), "fr")
    assert "Objectifs" in french and "Réunions régulières" in french
    assert "Fixer les objectifs du partenariat et son ambition." in french
    assert ">Goals<" not in french and "Regular meetings" not in french

    english = page_in(coordinator_client, record_url(partnership), "en")
    assert "Goals" in english and "Regular meetings" in english
    assert "Objectifs" not in english and "Réunions régulières" not in english


def test_a_language_without_a_translation_shows_the_english(coordinator_client, partnership):
    ChecklistItem.objects.filter(pk=goals().pk).update(title_de=None, description_de=None)
    added = ChecklistItem.objects.create(
        stage=Stage.DESIGN, title_en="Budget", description_en="Agree who pays for what.", order=50
    )
    assert added.title_fr is None and added.title_mt is None

    german = page_in(coordinator_client, record_url(partnership), "de")
    assert "Goals" in german and "Set the partnership&#x27;s goals and its ambition." in german
    assert "Potenzielle Mitglieder" in german  # the other items keep their German
    french = page_in(coordinator_client, record_url(partnership), "fr")
    assert "Budget" in french and "Agree who pays for what." in french
    # Maltese has the seeded items from its catalogue; an item staff added in English only shows in English.
    maltese = page_in(coordinator_client, record_url(partnership), "mt")
    assert "Budget" in maltese and "Agree who pays for what." in maltese
    assert ChecklistItem.objects.get(stage=Stage.SET_UP, title_en="Regular meetings").title_mt in maltese


def test_the_language_adds_no_query_to_the_checklist_pages(
    client, coordinator_client, partnership, staff, count_queries
):
    def counts(language):
        coordinator_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return count_queries(coordinator_client, record_url(partnership))

    # What the first visit caches (content types, the session) is not the language's doing.
    coordinator_client.get(record_url(partnership))
    assert counts("fr") == counts("en") == counts("mt")

    client.force_login(staff)
    for url in [
        reverse("admin:support_services_partnershipsupport_change", args=[partnership.pk]),
        reverse("admin:support_services_checklistitem_changelist"),
        change_url(goals()),
        reverse("support_services:staff_dashboard"),
    ]:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        client.get(url)  # what the first visit caches (content types, the session)
        english = count_queries(client, url)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
        assert count_queries(client, url) == english, url


def test_the_staff_support_page_and_dashboard_name_the_items_in_the_staff_language(
    staff_client, partnership, staff
):
    from support_services import services

    services.checklist_item_set_status(
        partnership=partnership, item=goals(), status="in_progress", by=staff, due_on="2020-01-01"
    )
    support = page_in(
        staff_client, reverse("admin:support_services_partnershipsupport_change", args=[partnership.pk]), "fr"
    )
    assert "Objectifs" in support and "Réunions régulières" in support
    dashboard = page_in(staff_client, reverse("support_services:staff_dashboard"), "fr")
    assert "Objectifs" in dashboard


# --- What staff edit ----------------------------------------------------------------------------------------


def test_the_change_form_has_a_labelled_field_for_each_language(staff_client):
    item = goals()
    page = page_in(staff_client, change_url(item), "en")
    for code in LANGUAGE_CODES:
        for field in ("title", "description"):
            assert re.search(
                rf'<label[^>]* for="id_{field}_{code}"[^>]*>{field.capitalize()} \[{code}\]', page
            ), (
                field,
                code,
            )
            assert f'name="{field}_{code}"' in page
    assert 'value="Objectifs"' in page and 'value="Goals"' in page
    # Nothing loaded from elsewhere (the tabbed variants would fetch jQuery UI from a CDN).
    assert "jquery-ui" not in page.lower() and "tabbed_translation_fields" not in page

    response = staff_client.post(change_url(item), change_form_data(item))
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title_en, item.title_fr, base_title(item)) == ("Goals", "Objectifs", "Goals")


def test_staff_editing_the_french_title_change_the_french_page_only(
    staff_client, client, partnership, settings
):
    item = goals()
    # The staff member reads the admin in French: the base column stays English all the same.
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = staff_client.post(
        change_url(item), change_form_data(item, title_fr="Objectifs et ambition du partenariat")
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title_fr == "Objectifs et ambition du partenariat"
    assert (base_title(item), item.title_en, item.title_de) == ("Goals", "Goals", "Ziele")

    client.force_login(make_coordinator(partnership, username="bo@alpine.example.org"))
    assert "Objectifs et ambition du partenariat" in page_in(client, record_url(partnership), "fr")
    english = page_in(client, record_url(partnership), "en")
    assert "Goals" in english and "Objectifs" not in english
    german = page_in(client, record_url(partnership), "de")
    assert "Ziele" in german and "Objectifs" not in german


def test_staff_add_an_item_in_english_only(staff_client):
    data = change_form_data(ChecklistItem(stage=Stage.SET_UP, order=90, active=True))
    data.update(title_en="Budget", description_en="Agree who pays for what.")
    response = staff_client.post(reverse("admin:support_services_checklistitem_add"), data)
    assert response.status_code == 302
    added = ChecklistItem.objects.get(title_en="Budget")
    assert base_title(added) == "Budget" and added.title_fr is None  # empty languages do not collide
    with translation.override("fr"):
        assert added.title == "Budget"


def test_a_title_already_in_the_stage_is_refused_on_the_form(staff_client):
    data = change_form_data(ChecklistItem(stage=Stage.DESIGN, order=90, active=True))
    data.update(title_en="Goals")
    response = staff_client.post(reverse("admin:support_services_checklistitem_add"), data)
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert ChecklistItem.objects.filter(title_en="Goals").count() == 1


def test_the_english_title_is_unique_per_stage_whatever_the_language_it_is_saved_in():
    with translation.override("fr"), pytest.raises(IntegrityError), transaction.atomic():
        ChecklistItem.objects.create(stage=Stage.DESIGN, title_en="Goals", title_fr="Buts", order=90)
    with translation.override("fr"):
        item = ChecklistItem.objects.create(
            stage=Stage.DESIGN, title_en="Aims", title_fr="Objectifs bis", order=91
        )
    assert base_title(item) == "Aims"
    # Another stage may have its own "Goals".
    ChecklistItem.objects.create(stage=Stage.DELIVERY, title_en="Goals", order=90)


def test_the_admin_finds_an_item_by_its_text_in_any_language(staff_client):
    changelist = reverse("admin:support_services_checklistitem_changelist")
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = staff_client.get(changelist, {"q": "Réunions"}).content.decode()
    assert "Regular meetings" in page and "Goals" not in page


def test_the_checklist_admin_list_does_not_grow_in_queries(staff_client, count_queries):
    url = reverse("admin:support_services_checklistitem_changelist")
    few = count_queries(staff_client, url)
    for n in range(10):
        ChecklistItem.objects.create(stage=Stage.DELIVERY, title_en=f"Extra {n}", order=100 + n)
    assert count_queries(staff_client, url) <= few


# --- The seed ---------------------------------------------------------------------------------------------


def test_the_seed_fills_empty_languages_from_the_catalogues_and_keeps_what_staff_wrote():
    ChecklistItem.objects.filter(stage=Stage.SET_UP).update(title_fr=None, description_fr=None)
    ChecklistItem.objects.filter(pk=goals().pk).update(title_fr="Buts")
    before = ChecklistItem.objects.count()

    checklist_seed(ChecklistItem)
    checklist_seed(ChecklistItem)

    assert ChecklistItem.objects.count() == before
    meetings = ChecklistItem.objects.get(stage=Stage.SET_UP, title_en="Regular meetings")
    assert meetings.title_fr == "Réunions régulières"
    assert meetings.description_fr and meetings.description_fr != meetings.description_en
    assert goals().title_fr == "Buts"
    # Where the catalogue says the same as the English, nothing is written: the page falls back.
    actions = ChecklistItem.objects.get(stage=Stage.DESIGN, title_en="Actions")
    assert actions.title_fr is None
    # Every seeded item has a Maltese title from the Maltese catalogue.
    assert ChecklistItem.objects.filter(title_mt__isnull=False).count() == before


def test_seed_demo_completes_the_languages_the_catalogues_have_since():
    ChecklistItem.objects.update(title_fr=None, description_fr=None)
    call_command("seed_demo", verbosity=0)
    assert goals().title_fr == "Objectifs"
    with translation.override("fr"):
        translated = {title for items in CHECKLIST.values() for title, _d in items if gettext(title) != title}
    assert "Actions" not in translated  # "Actions" in French too: the page shows the English
    assert (
        set(ChecklistItem.objects.filter(title_fr__isnull=False).values_list("title_en", flat=True))
        == translated
    )


def test_the_seed_finds_its_items_whatever_the_active_language():
    before = ChecklistItem.objects.count()
    with translation.override("fr"):
        checklist_seed(ChecklistItem)
    assert ChecklistItem.objects.count() == before
    assert not ChecklistItem.objects.filter(title_en__isnull=True).exists()


def historical_checklist_item(migration):
    """ChecklistItem as the migrations see it at ``migration`` (no modeltranslation: plain columns)."""
    state = MigrationLoader(connection).project_state(("support_services", migration))
    return state.apps.get_model("support_services", "ChecklistItem")


def test_the_data_migration_fills_english_and_the_catalogued_languages_of_existing_rows():
    ChecklistItem.objects.rewrite(False).update(
        title_en=None, description_en=None, title_fr=None, title_de=None
    )
    staff_written = ChecklistItem.objects.create(stage=Stage.DELIVERY, title_en="Budget", order=90)
    ChecklistItem.objects.filter(pk=staff_written.pk).update(title_en=None)

    assert checklist_translations_fill(historical_checklist_item("0009_fill_checklist_translations")) > 0

    meetings = ChecklistItem.objects.get(title_en="Regular meetings")
    assert (meetings.title_fr, meetings.title_de) == ("Réunions régulières", "Regelmäßige Treffen")
    assert meetings.description_en == "Set up a calendar of regular meetings."
    staff_written.refresh_from_db()
    assert (staff_written.title_en, staff_written.title_fr) == ("Budget", None)
    assert not ChecklistItem.objects.filter(title_en__isnull=True).exists()


def test_the_first_seed_migration_runs_before_the_language_columns_exist():
    model = historical_checklist_item("0003_seed_checklist")
    assert checklist_translations_fill(model) == 0
    checklist_seed(model)  # finds the items on the base column
    assert model.objects.count() == ChecklistItem.objects.count()
