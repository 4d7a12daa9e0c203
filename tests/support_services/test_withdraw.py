"""Withdrawing an application asks first, on a page of its own: GET shows what it means, POST does it."""

import pytest

from support_services.models import EoiStatus
from tests.support_services.builders import make_eoi_draft

pytestmark = pytest.mark.django_db


def test_the_status_page_links_to_a_confirmation_that_changes_nothing(make_in_status, client):
    eoi = make_in_status(EoiStatus.UNDER_ASSESSMENT)
    status_page = client.get(eoi.get_absolute_url()).content.decode()
    withdraw_url = eoi.get_absolute_url() + "withdraw/"
    assert f'href="{withdraw_url}"' in status_page
    response = client.get(withdraw_url)
    page = response.content.decode()
    assert response.status_code == 200
    assert f"Withdraw application {eoi.reference}?" in page
    assert "This cannot be undone." in page
    assert "Yes, withdraw the application" in page and "No, go back" in page
    assert 'method="post"' in page
    eoi.refresh_from_db()
    assert eoi.status == EoiStatus.UNDER_ASSESSMENT  # looking is not withdrawing


def test_confirming_withdraws_and_says_so(make_in_status, client):
    eoi = make_in_status(EoiStatus.SUBMITTED)
    response = client.post(
        eoi.get_absolute_url() + "withdraw/", {"reason": "Merged with a neighbour"}, follow=True
    )
    eoi.refresh_from_db()
    assert eoi.status == EoiStatus.WITHDRAWN
    page = response.content.decode()
    assert "Your application has been withdrawn." in page and "Merged with a neighbour" in page
    assert "withdraw/" not in page  # nothing left to withdraw


def test_a_closed_application_has_no_confirmation_page(make_in_status, client):
    eoi = make_in_status(EoiStatus.DECLINED)
    response = client.get(eoi.get_absolute_url() + "withdraw/", follow=True)
    assert response.redirect_chain[-1][0] == eoi.get_absolute_url()
    assert "cannot become" in response.content.decode()


def test_a_too_long_reason_is_a_form_error_on_the_confirmation_page(make_in_status, client):
    eoi = make_in_status(EoiStatus.SUBMITTED)
    response = client.post(eoi.get_absolute_url() + "withdraw/", {"reason": "x" * 1001})
    assert response.status_code == 200
    assert "This cannot be undone." in response.content.decode()
    eoi.refresh_from_db()
    assert eoi.status == EoiStatus.SUBMITTED


def test_a_draft_is_discarded_after_confirmation(client):
    eoi = make_eoi_draft()
    form_page = client.get(eoi.get_absolute_url()).content.decode()
    assert "Discard this draft…" in form_page
    page = client.get(eoi.get_absolute_url() + "withdraw/").content.decode()
    assert "Discard this draft?" in page and "This cannot be undone." in page
    client.post(eoi.get_absolute_url() + "withdraw/", {"reason": ""})
    eoi.refresh_from_db()
    assert eoi.status == EoiStatus.WITHDRAWN
