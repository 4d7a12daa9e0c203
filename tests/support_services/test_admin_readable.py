"""The application's page in the workspace shows the applicant's lists of choices as words, never as JSON."""

import pytest
from django.urls import reverse
from django.utils import translation

from partnerships.models import StakeholderType
from support_services.models import EoiStatus, NewsletterSubscription

pytestmark = pytest.mark.django_db


def test_partner_types_and_support_stages_read_as_labels(staff_client, make_in_status):
    eoi = make_in_status(EoiStatus.SUBMITTED)
    page = staff_client.get(
        reverse("admin:support_services_expressionofinterest_change", args=[eoi.pk])
    ).content.decode()
    assert "Types of potential partners" in page
    assert "Education and training provider: VET" in page
    assert "Company" in page
    assert "Design" in page
    assert "vet_provider" not in page and '["design"]' not in page and "[&quot;" not in page


def test_labels_follow_the_interface_language(staff_client, make_in_status, settings):
    eoi = make_in_status(EoiStatus.SUBMITTED)
    with translation.override("fr"):
        expected = str(StakeholderType.COMPANY.label)
    assert expected != "Company"
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    page = staff_client.get(
        reverse("admin:support_services_expressionofinterest_change", args=[eoi.pk])
    ).content.decode()
    assert expected in page and "vet_provider" not in page


def test_newsletter_stages_read_as_labels(staff_client):
    subscription = NewsletterSubscription.objects.create(email="reader@example.org", stages=["set_up"])
    page = staff_client.get(
        reverse("admin:support_services_newslettersubscription_change", args=[subscription.pk])
    ).content.decode()
    assert "Set-up" in page and "set_up" not in page
