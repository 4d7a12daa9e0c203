"""Query counts of the EoI pages do not grow with the number of rows."""

import pytest
from django.urls import reverse

from support_services import services
from support_services.models import EoiStatus

pytestmark = pytest.mark.django_db


def test_status_page_queries_do_not_grow_with_the_history(client, make_in_status, staff, count_queries):
    eoi = make_in_status(EoiStatus.INFORMATION_REQUESTED, regions=("ITC4",), ecosystems=("digital",))
    few = count_queries(client, eoi.get_absolute_url())
    for n in range(10):
        services.eoi_answer(eoi=eoi, text=f"Answer {n}")
        services.eoi_request_information(eoi=eoi, by=staff, message=f"Question {n}")
    many = count_queries(client, eoi.get_absolute_url())
    assert many <= few


def test_admin_queue_queries_do_not_grow_with_the_applications(client, make_in_status, staff, count_queries):
    client.force_login(staff)
    url = reverse("admin:support_services_expressionofinterest_changelist")
    make_in_status(EoiStatus.SUBMITTED)
    make_in_status(EoiStatus.UNDER_ASSESSMENT)
    few = count_queries(client, url)
    for _ in range(8):
        make_in_status(EoiStatus.UNDER_ASSESSMENT)
        make_in_status(EoiStatus.DRAFT)
    many = count_queries(client, url)
    assert many <= few


def test_admin_change_page_queries_do_not_grow_with_the_timeline(
    client, make_in_status, staff, count_queries
):
    client.force_login(staff)
    eoi = make_in_status(EoiStatus.UNDER_ASSESSMENT)
    url = reverse("admin:support_services_expressionofinterest_change", args=[eoi.pk])
    few = count_queries(client, url)
    for n in range(10):
        services.eoi_add_note(eoi=eoi, by=staff, text=f"Note {n}")
    many = count_queries(client, url)
    assert many <= few
