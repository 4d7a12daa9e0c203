"""Builders for declaration tests: they go through the services, as the product does."""

import datetime

from commitments import services
from commitments.models import Declaration
from partnerships.models import Membership
from tests.partnerships.builders import make_partnership, make_superuser


def make_draft(*, partnership=None, members=3, objectives=2, actions=1, kpis=2, actor=None):
    partnership = partnership or make_partnership(members=members)
    declaration = services.declaration_create(partnership=partnership, actor=actor)
    lead = Membership.objects.filter(partnership=partnership).first()
    services.declaration_save_content(
        declaration=declaration,
        actor=actor,
        challenge="Shortage of welders and digital skills in manufacturing.",
        ambition="Upskill 5 000 workers by 2030.",
        principles={"principle_lifelong_learning", "principle_partnerships"},
        objectives=[f"Objective number {i + 1}" for i in range(objectives)],
        actions=[
            {
                "what": f"Action number {i + 1}",
                "lead_organisation": lead.organisation if lead else None,
                "start": datetime.date(2026, 1, 1),
                "end": datetime.date(2027, 12, 31),
            }
            for i in range(actions)
        ],
        kpis=[
            {
                "indicator": f"Workers trained in skill {i + 1}",
                "unit": "people",
                "baseline": 0,
                "target": 1000 * (i + 1),
                "target_year": 2030,
            }
            for i in range(kpis)
        ],
    )
    declaration.refresh_from_db()
    return declaration


def make_approved(*, staff=None, **kwargs):
    declaration = make_draft(**kwargs)
    staff = staff or make_superuser()
    services.declaration_submit(declaration=declaration)
    services.declaration_approve(declaration=declaration, actor=staff)
    return declaration


def invite_all(declaration):
    """Choose every current member as signatory and send links; returns {signatory: token}."""
    memberships = declaration.partnership.memberships.current()
    choices = {
        m.organisation: f"signatory{m.organisation.pk}@example.eu"
        for m in memberships.select_related("organisation")
    }
    signatories = services.signatories_set(declaration=declaration, choices=choices)
    return {s: services.signatory_send_link(signatory=s) for s in signatories}


def sign_all(declaration):
    for signatory, token in invite_all(declaration).items():
        services.signature_sign_online(
            token=token, name=f"Signer {signatory.pk}", title="Director", statement_accepted=True
        )


def make_signed(*, staff=None, **kwargs):
    staff = staff or make_superuser()
    declaration = make_approved(staff=staff, **kwargs)
    sign_all(declaration)
    services.declaration_countersign(declaration=declaration, actor=staff)
    return Declaration.objects.get(pk=declaration.pk)


def declaration_form_data(**overrides):
    """What the coordinator's declaration form posts for a finished draft with no saved rows: one objective
    (and an empty second row), the empty action row, one KPI with its figures; ``overrides`` replace fields."""
    return {
        "challenge": "Too few nurses.",
        "ambition": "Train 300 nurses.",
        "principles": ["principle_equality"],
        "objectives-TOTAL_FORMS": "2",
        "objectives-INITIAL_FORMS": "0",
        "objectives-0-text": "Open two new courses",
        "objectives-1-text": "",
        "actions-TOTAL_FORMS": "1",
        "actions-INITIAL_FORMS": "0",
        "actions-0-what": "",
        "kpis-TOTAL_FORMS": "1",
        "kpis-INITIAL_FORMS": "0",
        "kpis-0-indicator": "Nurses trained",
        "kpis-0-unit": "people",
        "kpis-0-baseline": "0",
        "kpis-0-target": "300",
        "kpis-0-target_year": "2029",
        **overrides,
    }
