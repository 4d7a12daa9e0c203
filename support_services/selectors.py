"""Reads for the EoI pages and the admin: querysets shaped once, here."""

from django.db.models import Prefetch

from partnerships.models import Region, Stage, StageChange

from .models import (
    SUPPORT_STAGES,
    ChecklistItem,
    EoiEvent,
    EoiEventKind,
    ExpressionOfInterest,
    PartnershipChecklistItem,
    SupportActivity,
)


def eoi_by_token(*, token):
    """The application behind a secret link, with what its pages show; DoesNotExist otherwise."""
    return (
        ExpressionOfInterest.objects.select_related(
            "organisation_country", "organisation_region", "partnership"
        )
        .prefetch_related(
            "regions",
            "ecosystems",
            Prefetch(
                "events",
                queryset=EoiEvent.objects.exclude(kind__in=[EoiEventKind.NOTE, EoiEventKind.ASSIGNMENT]),
                to_attr="public_events",
            ),
        )
        .get(token=token)
    )


def eoi_admin_timeline(*, eoi):
    return EoiEvent.objects.filter(eoi=eoi).select_related("actor").order_by("created_at", "id")


def country_choices():
    return Region.objects.filter(level=0).order_by("name")


def region_choices():
    """NUTS 2 regions: the level at which Regional Skills Partnerships are usually drawn."""
    return Region.objects.filter(level=2).order_by("code")


def eoi_export_data(*, eoi):
    """Everything stored about one applicant, for a subject-access request (JSON-serialisable)."""
    fields = [
        "reference",
        "status",
        "language",
        "organisation_name",
        "organisation_type",
        "organisation_is_sme",
        "organisation_country_id",
        "organisation_region_id",
        "organisation_website",
        "is_pact_member",
        "contact_name",
        "contact_role",
        "contact_email",
        "contact_phone",
        "partnership_name",
        "scope",
        "challenge",
        "objectives",
        "potential_partners",
        "partner_types",
        "support_stages",
        "support_wanted",
        "privacy_notice_version",
        "consent_at",
        "created_at",
        "submitted_at",
        "decided_at",
        "purged_at",
    ]
    data = {}
    for name in fields:
        value = getattr(eoi, name)
        data[name.removesuffix("_id")] = value.isoformat() if hasattr(value, "isoformat") else value
    data["regions"] = sorted(eoi.regions.values_list("code", flat=True))
    data["ecosystems"] = sorted(eoi.ecosystems.values_list("slug", flat=True))
    data["messages"] = [
        {
            "when": event.created_at.isoformat(),
            "kind": event.kind,
            "from": event.from_status,
            "to": event.to_status,
            "by_applicant": event.by_applicant,
            "text": event.text,
        }
        for event in eoi.events.exclude(kind__in=[EoiEventKind.NOTE, EoiEventKind.ASSIGNMENT]).order_by(
            "created_at", "id"
        )
    ]
    return data


# --- Lifecycle support ------------------------------------------------------------------------------


def partnership_checklist(*, partnership):
    """[(stage, label, [(item, status row or None), …]), …] for the support stages, in lifecycle order."""
    rows = {
        row.item_id: row
        for row in PartnershipChecklistItem.objects.filter(partnership=partnership).select_related(
            "updated_by"
        )
    }
    by_stage = {stage: [] for stage in SUPPORT_STAGES}
    for item in ChecklistItem.objects.filter(active=True).order_by("order", "id"):
        by_stage[item.stage].append((item, rows.get(item.pk)))
    return [(stage, Stage(stage).label, items) for stage, items in by_stage.items()]


def partnership_stage_history(*, partnership):
    return (
        StageChange.objects.filter(partnership=partnership)
        .select_related("changed_by")
        .order_by("changed_on", "recorded_at", "id")
    )


def partnership_support_log(*, partnership, limit=20):
    return (
        SupportActivity.objects.filter(partnership=partnership)
        .select_related("staff")
        .order_by("-date", "-id")[:limit]
    )
