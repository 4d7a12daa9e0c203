"""Demo Expressions of Interest, one per stage of the queue, built through the services; and the events.

Every one is flagged ``is_demo``, its organisation is named "Demo …" and its contact uses example.org.
Idempotent: each has a fixed idempotency key and is skipped when it exists. None is accepted, so the
demo registry keeps exactly the real partnerships.
"""

import datetime

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from partnerships.models import Ecosystem, Partnership, Region

from .checklist import checklist_seed
from .models.applications import EoiStatus, ExpressionOfInterest
from .models.events import Event, EventAttendance, EventKind
from .models.lifecycle import ChecklistItem
from .selectors.events import EVENT_TIME_ZONE
from .services.applications import (
    eoi_decline,
    eoi_request_information,
    eoi_save_step,
    eoi_start,
    eoi_start_assessment,
    eoi_submit,
)
from .services.knowledge import resource_create, resource_version_add

DEMO_EOIS = [
    {
        "key": "demo-eoi-carinthia",
        "status": EoiStatus.SUBMITTED,
        "organisation": ("Demo Regional Development Agency – Carinthia", "regional_authority", "AT", "AT21"),
        "contact": (
            "Demo Applicant Anna Gruber",
            "Head of regional skills strategy",
            "demo.anna.gruber@example.org",
        ),
        "proposal": (
            "Demo Carinthia Microelectronics Skills Partnership",
            "single_region",
            ["AT21"],
            ["electronics"],
        ),
    },
    {
        "key": "demo-eoi-baltic",
        "status": EoiStatus.UNDER_ASSESSMENT,
        "organisation": ("Demo Baltic Maritime Cluster", "business_association", "EE", "EE00"),
        "contact": ("Demo Applicant Kristjan Tamm", "Cluster manager", "demo.kristjan.tamm@example.org"),
        "proposal": (
            "Demo Baltic Blue Economy Skills Network",
            "macro_region",
            ["EE00", "LV00"],
            ["mobility-transport-automotive", "tourism"],
        ),
    },
    {
        "key": "demo-eoi-andalusia",
        "status": EoiStatus.INFORMATION_REQUESTED,
        "organisation": ("Demo Andalusian Chamber of Commerce", "chamber_of_commerce", "ES", "ES61"),
        "contact": ("Demo Applicant Lucía Romero", "Director of training", "demo.lucia.romero@example.org"),
        "proposal": ("Demo Andalusia Agri-food Skills Alliance", "single_region", ["ES61"], ["agri-food"]),
    },
    {
        "key": "demo-eoi-wallonia",
        "status": EoiStatus.DECLINED,
        "organisation": ("Demo Walloon VET Centre", "vet_provider", "BE", "BE32"),
        "contact": ("Demo Applicant Marc Dubois", "Project officer", "demo.marc.dubois@example.org"),
        "proposal": ("Demo Hainaut Construction Skills", "single_region", ["BE32"], ["construction"]),
    },
    {
        "key": "demo-eoi-draft",
        "status": EoiStatus.DRAFT,
        "organisation": ("Demo Municipality of Tampere", "local_authority", "FI", "FI19"),
        "contact": ("Demo Applicant Aino Virtanen", "Development manager", "demo.aino.virtanen@example.org"),
        "proposal": None,
    },
]


def _seed_one(row):
    name, stakeholder_type, country, region = row["organisation"]
    eoi, _created = eoi_start(
        idempotency_key=row["key"],
        is_demo=True,
        data={
            "organisation_name": name,
            "organisation_type": stakeholder_type,
            "organisation_country": Region.objects.get(code=country),
            "organisation_region": Region.objects.get(code=region),
            "is_pact_member": False,
        },
    )
    contact_name, role, email = row["contact"]
    eoi = eoi_save_step(
        eoi=eoi, step=2, data={"contact_name": contact_name, "contact_role": role, "contact_email": email}
    )
    if row["proposal"] is None:
        return eoi
    partnership_name, scope, regions, ecosystems = row["proposal"]
    eoi = eoi_save_step(
        eoi=eoi,
        step=3,
        data={
            "partnership_name": partnership_name,
            "scope": scope,
            "challenge": "Demo data: employers report unfilled vacancies for technicians and digital skills gaps.",
            "objectives": "Demo data: map skills needs, co-design short courses, reach 1,000 learners by 2028.",
            "potential_partners": "Demo data: vocational schools, universities, employers' organisations.",
            "partner_types": ["vet_provider", "higher_education", "company"],
            "support_stages": ["design"],
        },
        regions=list(Region.objects.filter(code__in=regions)),
        ecosystems=list(Ecosystem.objects.filter(slug__in=ecosystems)),
    )
    eoi = eoi_submit(eoi=eoi, consent=True)
    if row["status"] == EoiStatus.SUBMITTED:
        return eoi
    eoi = eoi_start_assessment(eoi=eoi, by=None, note="Demo data.")
    if row["status"] == EoiStatus.INFORMATION_REQUESTED:
        eoi = eoi_request_information(
            eoi=eoi, by=None, message="Demo data: which employers have already committed to the partnership?"
        )
    elif row["status"] == EoiStatus.DECLINED:
        eoi = eoi_decline(
            eoi=eoi, by=None, reason="Demo data: the region is already covered by an existing partnership."
        )
    return eoi


def seed_demo():
    """Create the demo applications that do not exist yet; returns how many were created."""
    created = 0
    # Demo applicants do not exist: send their e-mails nowhere.
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
        transaction.atomic(),
    ):
        for row in DEMO_EOIS:
            if ExpressionOfInterest.objects.filter(idempotency_key=row["key"]).exists():
                continue
            _seed_one(row)
            created += 1
    seed_resources()
    seed_events()
    # The stage checklists, with the languages the catalogues have translated since (the columns left empty).
    checklist_seed(ChecklistItem)
    return created


# --- Resources ---------------------------------------------------------------------------------------
# Two resources rest on real facts from partnerships/data/pact/partnerships.json ("context"): the Charter's
# four principles and the title and date of a Peer Learning Activity. The data holds no address for either,
# so the first carries a summary generated here and the second no file or link at all. Every other resource
# is invented for the demonstration: flagged is_demo, titled "Demo …", its files generated locally.


def _pact_context():
    import json

    from partnerships.reference_data import DATA_DIR

    with open(DATA_DIR / "pact" / "partnerships.json", encoding="utf-8") as fh:
        return json.load(fh)["context"]


def _demo_resources(today):
    import datetime

    from .models.knowledge import ResourceKind as K

    context = _pact_context()
    principles = context["charter_principles"]
    activity = context["peer_learning_activity"]
    demo_note = "Demo document generated for the demonstration portal: not an official publication."
    return [
        {
            "slug": "pact-for-skills-charter-principles",
            "title": "Pact for Skills Charter: the four principles",
            "kind": K.HANDBOOK,
            "summary": (
                f"The Pact for Skills was launched on {context['pact_launched']}. Every member subscribes to the "
                "four principles of its Charter. This one-page summary, prepared for this portal, lists them; "
                "it is not the Charter itself."
            ),
            "stages": ["design", "set_up", "delivery"],
            "ecosystems": [],
            "is_demo": False,
            "versions": [("en", "", "pdf", ["Summary prepared for this portal.", *principles])],
        },
        {
            "slug": "pla-establishing-regional-skills-partnerships",
            "title": activity["title"],
            "kind": K.GOOD_PRACTICE,
            "summary": (
                f"Peer Learning Activity of the Pact for Skills held on {activity['date']}. "
                "The portal does not hold its material yet."
            ),
            "stages": ["design", "set_up"],
            "ecosystems": [],
            "is_demo": False,
            "versions": [],
        },
        {
            "slug": "demo-rsp-set-up-handbook",
            "title": "Demo handbook: setting up a Regional Skills Partnership",
            "kind": K.HANDBOOK,
            "summary": "Demo data: steps from a first meeting of regional stakeholders to an agreed governance.",
            "stages": ["design", "set_up"],
            "ecosystems": [],
            "is_demo": True,
            "versions": [
                ("en", "", "pdf", ["Step 1: map the stakeholders.", "Step 2: agree roles.", demo_note]),
                (
                    "fr",
                    "Manuel (démo) : créer un partenariat régional pour les compétences",
                    "pdf",
                    ["Étape 1 : cartographier les acteurs.", "Document de démonstration."],
                ),
                (
                    "de",
                    "Demo-Handbuch: eine regionale Kompetenzpartnerschaft gründen",
                    "pdf",
                    ["Schritt 1: Akteure erfassen.", "Demonstrationsdokument."],
                ),
            ],
        },
        {
            "slug": "demo-kpi-table-template",
            "title": "Demo template: KPI table for a declaration of commitment",
            "kind": K.TEMPLATE,
            "summary": "Demo data: a table with indicator, unit, baseline, target and target year.",
            "stages": ["design"],
            "ecosystems": [],
            "is_demo": True,
            "versions": [
                ("en", "", "docx", ["Indicator | Unit | Baseline | Target | Target year", demo_note])
            ],
        },
        {
            "slug": "demo-kpi-examples-digital-skills",
            "title": "Demo KPI examples for digital skills partnerships",
            "kind": K.KPI_EXAMPLE,
            "summary": "Demo data: indicators such as people trained in basic digital skills, and how to count them.",
            "stages": ["set_up", "delivery"],
            "ecosystems": ["digital"],
            "is_demo": True,
            "versions": [("en", "", "pdf", ["People trained (people, per year).", demo_note])],
        },
        {
            "slug": "demo-monitoring-framework",
            "title": "Demo monitoring framework for partnership KPIs",
            "kind": K.MONITORING_FRAMEWORK,
            "summary": "Demo data: who reports which value, when, and how progress against targets is reviewed.",
            "stages": ["set_up", "delivery"],
            "ecosystems": [],
            "is_demo": True,
            "versions": [
                ("en", "", "pdf", ["Report each KPI twice a year.", demo_note]),
                ("it", "Quadro di monitoraggio (demo) degli indicatori", "pdf", ["Documento dimostrativo."]),
            ],
        },
        {
            "slug": "demo-skills-needs-workshop-training",
            "title": "Demo training material: running a skills-needs workshop",
            "kind": K.TRAINING_MATERIAL,
            "summary": "Demo data: a half-day workshop format for employers and training providers.",
            "stages": ["design"],
            "ecosystems": ["health", "tourism"],
            "is_demo": True,
            "versions": [("en", "", "pdf", ["Agenda of a half-day workshop.", demo_note])],
        },
        {
            "slug": "demo-funding-regional-upskilling-pilots",
            "title": "Demo funding call: regional upskilling pilots",
            "kind": K.FUNDING_OPPORTUNITY,
            "summary": "Demo data: an invented call for pilot upskilling projects run by regional partnerships.",
            "stages": ["delivery"],
            "ecosystems": [],
            "deadline": today + datetime.timedelta(days=120),
            "is_demo": True,
            "versions": [("en", "", "pdf", ["Invented call for proposals.", demo_note])],
        },
        {
            "slug": "demo-funding-green-skills-2025",
            "title": "Demo funding call: green skills 2025",
            "kind": K.FUNDING_OPPORTUNITY,
            "summary": "Demo data: an invented call that closed in 2025.",
            "stages": ["delivery"],
            "ecosystems": ["renewable-energy"],
            "deadline": datetime.date(2025, 6, 30),
            "is_demo": True,
            "versions": [("en", "", "pdf", ["Invented call for proposals (closed).", demo_note])],
        },
    ]


def seed_resources(*, today=None):
    """Create the resources that do not exist yet (by slug), published; returns how many were created."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from partnerships.models import Ecosystem

    from .demo_files import make_docx, make_pdf
    from .models.knowledge import Resource

    created = 0
    with transaction.atomic():
        for row in _demo_resources(today or timezone.localdate()):
            if Resource.objects.filter(slug=row["slug"]).exists():
                continue
            resource = resource_create(
                slug=row["slug"],
                title=row["title"],
                kind=row["kind"],
                summary=row["summary"],
                stages=row["stages"],
                ecosystems=list(Ecosystem.objects.filter(slug__in=row["ecosystems"])),
                deadline=row.get("deadline"),
                is_demo=row["is_demo"],
                is_published=True,
            )
            for language, title, file_format, lines in row["versions"]:
                heading = title or row["title"]
                data = make_docx(heading, lines) if file_format == "docx" else make_pdf(heading, lines)
                resource_version_add(
                    resource=resource,
                    language=language,
                    title=title,
                    upload=ContentFile(data, name=f"{row['slug']}.{file_format}"),
                )
            created += 1
    return created


# --- Events: one real Peer Learning Activity, demo working-group meetings and a demo webinar ------------

PLA = {
    "slug": "pla-establishing-regional-skills-partnerships-2024",
    "title": "Establishing regional skills partnerships: lessons learnt and success stories",
    "date": datetime.date(2024, 10, 10),
}
WORKING_GROUPS = [
    ("digital", "Digital", datetime.date(2026, 2, 10), ["digital"]),
    ("health", "Health", datetime.date(2026, 3, 10), ["health"]),
    ("research-innovation", "Research and innovation", datetime.date(2026, 4, 14), []),
    ("territorial-development", "Territorial development", datetime.date(2026, 5, 12), []),
]
DEMO_LINK = "https://example.org/demo-meeting"


def _brussels(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=EVENT_TIME_ZONE)


def _event_rows(today):
    yield {
        # Real: the title and date come from partnerships/data/pact/partnerships.json (context); only the
        # date is known, so it is a whole-day event with no place stated.
        "slug": PLA["slug"],
        "title": PLA["title"],
        "kind": EventKind.PEER_LEARNING,
        "starts_at": _brussels(PLA["date"], 0),
        "ends_at": _brussels(PLA["date"], 23, 59),
        "all_day": True,
        "attendance": EventAttendance.NOT_STATED,
        "theme": "Regional Skills Partnerships",
        "description": (
            "A Peer Learning Activity of the Pact for Skills on setting up Regional Skills Partnerships: "
            "lessons learnt and success stories. By October 2024, seven Regional Skills Partnerships had "
            "been established."
        ),
        "is_demo": False,
        "ecosystems": [],
    }
    for slug, name, day, ecosystems in WORKING_GROUPS:
        yield {
            "slug": f"demo-harnessing-talent-{slug}-working-group",
            "title": f"Harnessing Talent Platform: {name} working group meeting",
            "kind": EventKind.WORKING_GROUP,
            "starts_at": _brussels(day, 10),
            "ends_at": _brussels(day, 12),
            "all_day": False,
            "attendance": EventAttendance.ONLINE,
            "online_url": DEMO_LINK,
            "theme": "Harnessing Talent Platform",
            "description": (
                f"The Harnessing Talent Platform's {name} working group runs until May 2026. "
                "Demo data: the date, time and link of this meeting are invented."
            ),
            "is_demo": True,
            "ecosystems": ecosystems,
        }
    # Dated from the first seeding so a fresh demo registry always has something upcoming.
    day = today + datetime.timedelta(days=45)
    yield {
        "slug": "demo-webinar-funding-regional-skills-partnerships",
        "title": "Webinar: funding opportunities for Regional Skills Partnerships",
        "kind": EventKind.WEBINAR,
        "starts_at": _brussels(day, 14),
        "ends_at": _brussels(day, 15, 30),
        "all_day": False,
        "attendance": EventAttendance.ONLINE,
        "online_url": DEMO_LINK,
        "theme": "Regional Skills Partnerships",
        "description": "Demo data: an invented webinar showing how events appear on the portal.",
        "is_demo": True,
        "ecosystems": [],
        "partnerships": ["lombardy-rsp"],
    }


def seed_events(today=None):
    """Create the events that do not exist yet (by slug); returns how many were created."""
    today = today or timezone.localdate()
    created = 0
    with transaction.atomic():
        for row in _event_rows(today):
            if Event.objects.filter(slug=row["slug"]).exists():
                continue
            ecosystems = row.pop("ecosystems")
            partnerships = row.pop("partnerships", [])
            event = Event(**row)
            event.full_clean()
            event.save()
            event.ecosystems.set(Ecosystem.objects.filter(slug__in=ecosystems))
            event.partnerships.set(Partnership.objects.filter(slug__in=partnerships))
            created += 1
    return created
