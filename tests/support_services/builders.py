"""Builders for Expressions of Interest: through the services, as the applicant's form does."""

import itertools

from partnerships.models import Ecosystem, Region
from support_services import services

_counter = itertools.count(1)

ORGANISATION = {
    "organisation_name": "Agenzia Regionale per il Lavoro",
    "organisation_type": "regional_authority",
    "organisation_is_sme": None,
    "organisation_country": "IT",
    "organisation_region": "ITC4",
    "organisation_website": "https://lavoro.example.it",
    "is_pact_member": True,
}
CONTACT = {
    "contact_name": "Giulia Bianchi",
    "contact_role": "Head of skills policy",
    "contact_email": "giulia.bianchi@example.it",
    "contact_phone": "+39 02 1234 5678",
}
PROPOSAL = {
    "partnership_name": "Lombardy Green Skills Partnership",
    "scope": "single_region",
    "challenge": "Too few technicians for the energy transition.",
    "objectives": "Train 5,000 technicians by 2030.",
    "potential_partners": "Vocational schools, utilities",
    "partner_types": ["vet_provider", "company"],
    "support_stages": ["design"],
    "support_wanted": "Help with governance.",
}


def organisation_data(**overrides):
    data = {**ORGANISATION, **overrides}
    for key in ("organisation_country", "organisation_region"):
        if isinstance(data[key], str):
            data[key] = Region.objects.get(code=data[key])
    return data


def make_draft(*, step=3, contact=None, proposal=None, regions=("ITC4",), ecosystems=("digital",), **org):
    eoi, _created = services.eoi_start(
        idempotency_key=f"test-{next(_counter)}", data=organisation_data(**org)
    )
    if step >= 2:
        eoi = services.eoi_save_step(eoi=eoi, step=2, data={**CONTACT, **(contact or {})})
    if step >= 3:
        eoi = services.eoi_save_step(
            eoi=eoi,
            step=3,
            data={**PROPOSAL, **(proposal or {})},
            regions=list(Region.objects.filter(code__in=regions)),
            ecosystems=list(Ecosystem.objects.filter(slug__in=ecosystems)),
        )
    return eoi


def make_submitted(**kwargs):
    return services.eoi_submit(eoi=make_draft(**kwargs), consent=True)


def make_staff(django_user_model, username="staff", **fields):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user(
        username=username,
        email=f"{username}@support.example.eu",
        password="x-staff-Password-1",
        is_staff=True,
        **fields,
    )
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="support_services", codename__endswith="expressionofinterest"
        )
    )
    return user
