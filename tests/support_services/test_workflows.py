"""The EoI machine as declared: who reads each note, seen where the applicant sees it (status page, e-mail)."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from pact_portal import workflow as wf
from support_services import services
from support_services.models import EoiStatus
from support_services.workflows import APPLICATION
from tests.partnerships.builders import make_staff

pytestmark = pytest.mark.django_db


def applicant_mail(outbox):
    return [message for message in outbox if message.to == ["giulia.bianchi@example.it"]]


def test_the_visibility_of_every_note_is_declared():
    declared = {t.name: (t.note, t.note_visibility) for t in APPLICATION if t.note != wf.NONE}
    assert declared == {
        "start_assessment": (wf.OPTIONAL, wf.INTERNAL),
        "request_information": (wf.REQUIRED, wf.PUBLIC),
        "answer": (wf.REQUIRED, wf.PUBLIC),
        "accept": (wf.OPTIONAL, wf.INTERNAL),
        "decline": (wf.REQUIRED, wf.PUBLIC),
        "withdraw": (wf.OPTIONAL, wf.PUBLIC),
    }


def test_internal_notes_of_start_assessment_and_accept_never_reach_the_applicant(
    make_in_status, staff, client, staff_client, django_capture_on_commit_callbacks
):
    eoi = make_in_status(EoiStatus.SUBMITTED)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.eoi_start_assessment(eoi=eoi, by=staff, note="Weak budget, check with DG EMPL")
        services.eoi_accept(eoi=eoi, by=staff, note="Accepted despite the thin partner list")
    sent = applicant_mail(mail.outbox)
    assert [m.subject for m in sent if "Under assessment" in m.subject or "Accepted" in m.subject]
    page = client.get(eoi.get_absolute_url()).content.decode()
    assert "Under assessment" in page and "Accepted" in page
    for secret in ("Weak budget", "thin partner list"):
        assert secret not in page
        assert all(secret not in message.body for message in sent)
    # The staff keep them, as internal notes on the timeline.
    admin_page = staff_client.get(
        reverse("admin:support_services_expressionofinterest_change", args=[eoi.pk])
    ).content.decode()
    assert "Weak budget, check with DG EMPL" in admin_page
    assert "Accepted despite the thin partner list" in admin_page
    assert set(eoi.events.filter(text__contains="Weak budget").values_list("kind", flat=True)) == {"note"}


def test_public_notes_of_request_information_and_decline_reach_the_applicant(
    make_in_status, staff, client, django_capture_on_commit_callbacks
):
    eoi = make_in_status(EoiStatus.UNDER_ASSESSMENT)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.eoi_request_information(eoi=eoi, by=staff, message="Which schools take part?")
        services.eoi_answer(eoi=eoi, text="Twelve schools.")
        services.eoi_decline(eoi=eoi, by=staff, reason="The region already has a partnership.")
    bodies = [message.body for message in applicant_mail(mail.outbox)]
    assert any("Which schools take part?" in body for body in bodies)
    assert any("The region already has a partnership." in body for body in bodies)
    page = client.get(eoi.get_absolute_url()).content.decode()
    assert "Which schools take part?" in page and "Twelve schools." in page
    assert "The region already has a partnership." in page and "Declined" in page


def test_the_accepted_status_page_and_mail_name_the_new_partnership(
    make_in_status, staff, client, django_capture_on_commit_callbacks
):
    eoi = make_in_status(EoiStatus.UNDER_ASSESSMENT)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.eoi_accept(eoi=eoi, by=staff)
    status_mail = next(m for m in applicant_mail(mail.outbox) if "Accepted" in m.subject)
    assert "now exists in the registry, in the design stage" in status_mail.body
    page = client.get(eoi.get_absolute_url()).content.decode()
    assert "has been created in the registry in the design stage" in page


def test_staff_may_only_act_with_the_permission(make_in_status):
    eoi = make_in_status(EoiStatus.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.eoi_start_assessment(eoi=eoi, by=make_staff(apps=()))
    eoi.refresh_from_db()
    assert eoi.status == EoiStatus.SUBMITTED
