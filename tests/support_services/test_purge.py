"""Retention: personal data of closed applications is erased; expired drafts disappear."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from support_services.models import EoiStatus, ExpressionOfInterest
from tests.support_services.builders import make_eoi_draft

pytestmark = pytest.mark.django_db


def age(eoi, days, field="decided_at"):
    ExpressionOfInterest.objects.filter(pk=eoi.pk).update(
        **{field: timezone.now() - datetime.timedelta(days=days)}
    )


def test_purge_erases_personal_data_after_the_retention_period_only(make_in_status, settings, capsys):
    settings.EOI_RETENTION_DAYS = 30
    old_declined = make_in_status(EoiStatus.DECLINED)
    old_withdrawn = make_in_status(EoiStatus.WITHDRAWN)
    recent_declined = make_in_status(EoiStatus.DECLINED)
    old_accepted = make_in_status(EoiStatus.ACCEPTED)
    open_one = make_in_status(EoiStatus.INFORMATION_REQUESTED)
    for eoi in (old_declined, old_withdrawn, old_accepted):
        age(eoi, 31)
    age(recent_declined, 29)
    expired_draft = make_eoi_draft()
    age(expired_draft, 31, field="expires_at")
    fresh_draft = make_eoi_draft()
    withdrawn_draft = make_eoi_draft()
    from support_services import services

    services.eoi_withdraw(eoi=withdrawn_draft)
    age(withdrawn_draft, 31)

    call_command("purge_eoi_personal_data")
    assert "Personal data erased from 2 applications; 2 expired drafts deleted;" in capsys.readouterr().out

    for eoi in (old_declined, old_withdrawn):
        eoi.refresh_from_db()
        assert eoi.purged_at is not None
        assert (eoi.contact_name, eoi.contact_email, eoi.contact_phone, eoi.challenge) == ("", "", "", "")
        assert eoi.reference and eoi.status in ("declined", "withdrawn")  # kept for statistics
        assert not eoi.events.exclude(text="").exists()
    for eoi in (recent_declined, old_accepted, open_one, fresh_draft):
        eoi.refresh_from_db()
        assert eoi.contact_email == "giulia.bianchi@example.it" and eoi.purged_at is None
    assert not ExpressionOfInterest.objects.filter(pk__in=[expired_draft.pk, withdrawn_draft.pk]).exists()

    # Running it again finds nothing new.
    call_command("purge_eoi_personal_data")
    assert "erased from 0 applications; 0 expired drafts" in capsys.readouterr().out


def test_the_retention_period_can_be_given_on_the_command_line(make_in_status, capsys):
    eoi = make_in_status(EoiStatus.DECLINED)
    age(eoi, 2)
    call_command("purge_eoi_personal_data", "--retention-days", "1")
    eoi.refresh_from_db()
    assert eoi.contact_email == "" and eoi.purged_at is not None
