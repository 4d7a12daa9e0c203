"""Demo declarations: each real partnership's announced pledges become a signed declaration.

The signatories are the partnership's leading organisations; their signatures are invented and recorded
as demo signatures (the PDF and the pages say so). Idempotent: a partnership that already has a
declaration is left as it is. Everything goes through the services, as in production.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from partnerships.models import Partnership

from . import services
from .models import CHARTER_PRINCIPLES, Declaration, SignatureMethod

NOT_PUBLISHED = "Not stated in the public Pact for Skills sources (demo declaration)."


def seed_partnership_declaration(partnership):
    """Create, approve, sign and countersign version 1 from the pledges; None when nothing to declare."""
    if Declaration.objects.filter(partnership=partnership).exists():
        return None
    commitments = [c.text for c in partnership.pledged_commitments.all()]
    targets = list(partnership.pledged_targets.all())
    leads = list(partnership.memberships.current().filter(is_lead=True).select_related("organisation"))
    if not (commitments or targets) or not leads:
        return None
    declaration = services.declaration_create(partnership=partnership, is_demo=True)
    services.declaration_save_content(
        declaration=declaration,
        challenge=partnership.challenge or NOT_PUBLISHED,
        ambition=partnership.ambition or NOT_PUBLISHED,
        principles={field for field, _label in CHARTER_PRINCIPLES},
        objectives=commitments,
        actions=[],
        kpis=[
            {
                "indicator": t.indicator,
                "unit": t.unit,
                "baseline": 0,
                "target": t.target,
                "target_year": t.target_year,
            }
            for t in targets
            if t.target_year  # a declaration's KPI needs a year; an announced target may not give one
        ],
    )
    return declaration_sign_as_demo(
        declaration=declaration,
        organisations=[m.organisation for m in leads],
        name="Demo signatory",
        title="Representative (demo)",
        signed_at=timezone.make_aware(
            datetime.datetime.combine(partnership.launch_date or datetime.date(2024, 1, 1), datetime.time(12))
        ),
        comment="Demo: approved when seeding.",
    )


def declaration_sign_as_demo(*, declaration, organisations, name, title, signed_at=None, comment=""):
    """Submit and approve a draft, record an invented signature for each of ``organisations`` and countersign
    it: a signed declaration for the demo registry and the benchmarks, through the services."""
    services.declaration_submit(declaration=declaration)
    services.declaration_approve(declaration=declaration, actor=None, comment=comment)
    signatories = services.signatories_set(declaration=declaration, choices=dict.fromkeys(organisations, ""))
    for signatory in signatories:
        services.signature_record(
            signatory=signatory,
            name=name,
            title=title,
            actor=None,
            signed_at=signed_at,
            method=SignatureMethod.DEMO,
        )
    return services.declaration_countersign(declaration=declaration, actor=None)


def seed_demo(*, progress=None):
    partnerships = list(
        Partnership.objects.published()
        .prefetch_related("pledged_commitments", "pledged_targets")
        .order_by("slug")
    )
    iterable = progress(partnerships) if progress else partnerships
    created = 0
    with transaction.atomic():
        for partnership in iterable:
            created += seed_partnership_declaration(partnership) is not None
    return created
