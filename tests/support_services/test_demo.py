import pytest
from django.core import mail
from django.core.management import call_command

from partnerships.models import Partnership
from support_services.models import EoiStatus, ExpressionOfInterest, Resource, ResourceVersion

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_labelled_demo_applications_once_and_sends_no_mail(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", verbosity=0)
        call_command("seed_demo", verbosity=0)
    demo = ExpressionOfInterest.objects.filter(is_demo=True)
    assert demo.count() == ExpressionOfInterest.objects.count() == 5
    assert set(demo.values_list("status", flat=True)) == {
        EoiStatus.DRAFT,
        EoiStatus.SUBMITTED,
        EoiStatus.UNDER_ASSESSMENT,
        EoiStatus.INFORMATION_REQUESTED,
        EoiStatus.DECLINED,
    }
    assert all(name.startswith("Demo ") for name in demo.values_list("organisation_name", flat=True))
    assert all(email.endswith("@example.org") for email in demo.values_list("contact_email", flat=True))
    assert Partnership.objects.count() == 24  # no demo application is accepted
    # The resources too are seeded once: 7 demo resources and 2 resting on the Pact data.
    assert Resource.objects.count() == 9 and Resource.objects.filter(is_demo=True).count() == 7
    assert ResourceVersion.objects.count() == 11
    assert mail.outbox == []


def test_demo_status_page_shows_the_demo_badge(client):
    call_command("seed_demo", verbosity=0)
    eoi = ExpressionOfInterest.objects.get(status=EoiStatus.INFORMATION_REQUESTED)
    page = client.get(eoi.get_absolute_url()).content.decode()
    assert "badge-demo" in page and "which employers have already committed" in page
