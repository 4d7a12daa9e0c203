"""Reads for the EoI pages and the admin: querysets shaped once, here."""

from django.db.models import Prefetch

from partnerships.models import Region

from ..models.applications import STEP_FIELDS, EoiEvent, EoiEventKind, ExpressionOfInterest


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


def region_choices(*, country=None):
    """NUTS 2 regions (the level at which Regional Skills Partnerships are usually drawn), of one country if
    given (a NUTS code starts with its country's)."""
    regions = Region.objects.filter(level=2).order_by("code")
    return regions.filter(code__startswith=country.code) if country is not None else regions


def eoi_export_data(*, eoi):
    """Everything stored about one applicant, for a subject-access request (JSON-serialisable)."""
    # The applicant's answers are the form's fields, step by step (foreign keys by their key).
    answers = [
        f"{name}_id" if name in ("organisation_country", "organisation_region") else name
        for step in sorted(STEP_FIELDS)
        for name in STEP_FIELDS[step]
    ]
    fields = [
        "reference",
        "status",
        "language",
        *answers,
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
