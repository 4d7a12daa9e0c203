"""The applicant's region list follows the chosen country: on the server (a "Show the regions" button, and
whenever the form comes back with a country), and in the page with JavaScript (tests/e2e)."""

import re

import pytest

from support_services.models import ExpressionOfInterest
from tests.support_services.builders import make_eoi_draft
from tests.support_services.test_views import START, step1

pytestmark = pytest.mark.django_db


def region_codes(page):
    select = re.search(r'<select name="organisation_region".*?</select>', page, re.S).group(0)
    return [value for value in re.findall(r'<option value="([^"]*)"', select) if value]


def test_before_a_country_is_chosen_every_region_is_offered(client, reference_data):
    codes = region_codes(client.get(START).content.decode())
    assert {code[:2] for code in codes} >= {"FR", "IT", "DE"}


def test_show_the_regions_narrows_the_list_and_keeps_the_answers(client, reference_data):
    response = client.post(START, step1(organisation_region="", show_regions="1"))
    page = response.content.decode()
    assert response.status_code == 200
    codes = region_codes(page)
    assert codes and all(code.startswith("FR") for code in codes) and "FRF1" in codes
    assert 'value="Région Grand Est"' in page and 'value="https://grandest.example.fr"' in page
    assert "is-invalid" not in page  # nothing checked yet
    assert not ExpressionOfInterest.objects.filter(organisation_name="Région Grand Est").exists()


def test_a_form_coming_back_with_errors_lists_the_countrys_regions(client, reference_data):
    page = client.post(START, step1(organisation_name="")).content.decode()
    assert all(code.startswith("FR") for code in region_codes(page))


def test_a_region_of_another_country_is_refused_with_a_clear_message(client, reference_data):
    page = client.post(START, step1(organisation_region="ITC4")).content.decode()
    assert "Choose a region in France." in page
    assert not ExpressionOfInterest.objects.filter(organisation_name="Région Grand Est").exists()


def test_a_saved_draft_shows_its_countrys_regions(client, reference_data):
    eoi = make_eoi_draft()  # Italy, ITC4
    page = client.get(eoi.get_absolute_url() + "?step=1").content.decode()
    codes = region_codes(page)
    assert "ITC4" in codes and all(code.startswith("IT") for code in codes)
    # and the button works on a draft too, without saving
    page = client.post(
        eoi.get_absolute_url() + "?step=1",
        step1(organisation_country="DE", organisation_region="", show_regions="1"),
    ).content.decode()
    assert all(code.startswith("DE") for code in region_codes(page))
    eoi.refresh_from_db()
    assert eoi.organisation_country_id == "IT"


def test_a_bogus_country_is_a_form_error_not_a_500(client, reference_data):
    response = client.post(START, step1(organisation_country="XX'--", show_regions="1"))
    assert response.status_code == 200
    response = client.post(START, step1(organisation_country="XX'--"))
    assert response.status_code == 200
