"""The demo: real partnerships' pledges become signed demo declarations, idempotently."""

import hashlib

import pytest
from django.core.management import call_command

from commitments import demo
from commitments.models import Declaration, DeclarationStatus, SignatureMethod
from partnerships.models import Partnership

pytestmark = pytest.mark.django_db


def test_demo_turns_pledges_into_signed_declarations(demo_registry):
    created = demo.seed_demo()
    assert created == Declaration.objects.count() >= 5
    ecrn = Declaration.objects.get(partnership__slug="ecrn-rsp")
    partnership = Partnership.objects.get(slug="ecrn-rsp")
    assert ecrn.status == DeclarationStatus.SIGNED and ecrn.is_demo
    assert [o.text for o in ecrn.objectives.all()] == [c.text for c in partnership.pledged_commitments.all()]
    assert [(k.indicator, k.target) for k in ecrn.kpis.all()] == [
        (t.indicator, t.target) for t in partnership.pledged_targets.all()
    ]
    leads = set(partnership.memberships.filter(is_lead=True).values_list("organisation_id", flat=True))
    assert set(ecrn.signatures.values_list("organisation_id", flat=True)) == leads
    assert set(ecrn.signatures.values_list("method", flat=True)) == {SignatureMethod.DEMO}
    assert hashlib.sha256(ecrn.pdf.read()).hexdigest() == ecrn.pdf_sha256
    # The pledges stay where they were.
    assert partnership.pledged_commitments.exists()


def test_seed_demo_command_is_idempotent_for_declarations():
    call_command("seed_demo", verbosity=0)
    first = list(Declaration.objects.values_list("pk", "pdf_sha256", "verification_code"))
    call_command("seed_demo", verbosity=0)
    assert list(Declaration.objects.values_list("pk", "pdf_sha256", "verification_code")) == first
    assert len(first) >= 5
