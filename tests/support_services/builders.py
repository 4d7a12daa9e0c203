"""Builders for the support services' domains (Expressions of Interest, resources): through the services, as
the product's forms do."""

import itertools

from django.core.files.base import ContentFile
from django.utils import timezone

from partnerships.models import Ecosystem, Region
from support_services import services
from support_services.demo_files import make_docx, make_pdf
from support_services.models import EoiStatus, ResourceKind, SupportActivity, SupportActivityKind

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


def make_eoi_draft(*, step=3, contact=None, proposal=None, regions=("ITC4",), ecosystems=("digital",), **org):
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


def make_eoi_submitted(**kwargs):
    return services.eoi_submit(eoi=make_eoi_draft(**kwargs), consent=True)


def eoi_perform(to_status, eoi, staff):
    """Call the one service that leads to ``to_status`` (staff act where the applicant does not)."""
    if to_status == EoiStatus.SUBMITTED:
        return services.eoi_submit(eoi=eoi, consent=True)
    if to_status == EoiStatus.UNDER_ASSESSMENT:
        if eoi.status == EoiStatus.INFORMATION_REQUESTED:
            return services.eoi_answer(eoi=eoi, text="Twelve schools.")
        return services.eoi_start_assessment(eoi=eoi, by=staff)
    if to_status == EoiStatus.INFORMATION_REQUESTED:
        return services.eoi_request_information(eoi=eoi, by=staff, message="Which schools take part?")
    if to_status == EoiStatus.ACCEPTED:
        return services.eoi_accept(eoi=eoi, by=staff)
    if to_status == EoiStatus.DECLINED:
        return services.eoi_decline(eoi=eoi, by=staff, reason="Outside the Pact's scope")
    if to_status == EoiStatus.WITHDRAWN:
        return services.eoi_withdraw(eoi=eoi, reason="Changed our plans")
    raise AssertionError(to_status)


# The way from a draft to each status, as applications really go.
_WAY = {
    EoiStatus.DRAFT: (),
    EoiStatus.SUBMITTED: (EoiStatus.SUBMITTED,),
    EoiStatus.WITHDRAWN: (EoiStatus.SUBMITTED, EoiStatus.WITHDRAWN),
    EoiStatus.UNDER_ASSESSMENT: (EoiStatus.SUBMITTED, EoiStatus.UNDER_ASSESSMENT),
    EoiStatus.INFORMATION_REQUESTED: (
        EoiStatus.SUBMITTED,
        EoiStatus.UNDER_ASSESSMENT,
        EoiStatus.INFORMATION_REQUESTED,
    ),
    EoiStatus.ACCEPTED: (EoiStatus.SUBMITTED, EoiStatus.UNDER_ASSESSMENT, EoiStatus.ACCEPTED),
    EoiStatus.DECLINED: (EoiStatus.SUBMITTED, EoiStatus.UNDER_ASSESSMENT, EoiStatus.DECLINED),
}


def make_eoi_in_status(status, *, staff, **kwargs):
    """An application brought into ``status`` through the services; ``kwargs`` go to make_eoi_draft."""
    eoi = make_eoi_draft(**kwargs)
    for step in _WAY[status]:
        eoi = eoi_perform(step, eoi, staff)
    return eoi


# --- Lifecycle support ---------------------------------------------------------------------------------


def log_support_activity(*, partnership, kind=SupportActivityKind.MEETING, date=None, stage=None, **fields):
    """An entry of the support log (today, in the partnership's stage, unless told), saved as the admin does."""
    activity = SupportActivity(
        partnership=partnership,
        kind=kind,
        date=date or timezone.localdate(),
        stage=stage or partnership.stage,
        **fields,
    )
    return services.support_activity_save(activity=activity)


# --- Resources ---------------------------------------------------------------------------------------


def pdf_upload(name="file.pdf", text="A test document"):
    return ContentFile(make_pdf(text, ["Line one", "Line two"]), name=name)


def make_resource(
    *,
    title=None,
    kind=ResourceKind.HANDBOOK,
    summary="",
    stages=("design",),
    ecosystems=(),
    languages=("en",),
    deadline=None,
    is_published=True,
    link=None,
    **fields,
):
    n = next(_counter)
    title = title or f"Test resource {n}"
    resource = services.resource_create(
        slug=f"test-resource-{n}",
        title=title,
        kind=kind,
        summary=summary,
        stages=stages,
        ecosystems=list(Ecosystem.objects.filter(slug__in=ecosystems)),
        deadline=deadline,
        is_published=is_published,
        **fields,
    )
    for language in languages:
        if link:
            services.resource_version_add(resource=resource, language=language, external_url=link)
        else:
            services.resource_version_add(
                resource=resource, language=language, upload=pdf_upload(text=f"{title} ({language})")
            )
    return resource


def docx_bytes():
    return make_docx("A template", ["Row one"])
