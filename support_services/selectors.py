"""Reads for the EoI pages and the admin: querysets shaped once, here."""

import datetime

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from partnerships.models import STAGE_ORDER, Partnership, Region, Stage, StageChange

from .models import (
    CHECKLIST_CLOSED,
    STEP_FIELDS,
    SUPPORT_STAGES,
    ChecklistItem,
    EoiEvent,
    EoiEventKind,
    EoiStatus,
    Event,
    ExpressionOfInterest,
    PartnershipChecklistItem,
    SupportActivity,
    SupportRequest,
    SupportRequestStatus,
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


def overdue_checklist_items(*, today=None):
    """Checklist rows past their due date and neither done nor not applicable (active items only)."""
    return PartnershipChecklistItem.objects.filter(
        item__active=True, due_on__lt=today or timezone.localdate()
    ).exclude(status__in=CHECKLIST_CLOSED)


def staff_dashboard(*, today=None, follow_up_days=7, follow_up_limit=20, list_limit=20):
    """Counts and short lists for the staff dashboard, in a fixed number of queries."""
    from commitments.models import Declaration, DeclarationStatus

    today = today or timezone.localdate()
    by_stage = dict(Partnership.objects.values_list("stage").annotate(n=Count("pk")).order_by())
    items_per_stage = dict(
        ChecklistItem.objects.filter(active=True).values_list("stage").annotate(n=Count("pk")).order_by()
    )
    # Closed items of the stage each partnership is in now; every other (partnership, item) pair is open.
    closed_per_stage = dict(
        PartnershipChecklistItem.objects.filter(
            item__active=True, item__stage=F("partnership__stage"), status__in=CHECKLIST_CLOSED
        )
        .values_list("item__stage")
        .annotate(n=Count("pk"))
        .order_by()
    )
    stages = [
        {
            "stage": stage,
            "label": stage.label,
            "partnerships": by_stage.get(stage, 0),
            "open_items": by_stage.get(stage, 0) * items_per_stage.get(stage, 0)
            - closed_per_stage.get(stage, 0)
            if stage in SUPPORT_STAGES
            else None,
        }
        for stage in STAGE_ORDER
    ]
    horizon = today + datetime.timedelta(days=follow_up_days)
    pending = SupportActivity.objects.filter(follow_up_done=False, follow_up_on__isnull=False)
    follow_up_counts = pending.aggregate(
        overdue=Count("pk", filter=Q(follow_up_on__lt=today)),
        due=Count("pk", filter=Q(follow_up_on__gte=today, follow_up_on__lte=horizon)),
    )
    follow_ups = list(
        pending.filter(follow_up_on__lte=horizon)
        .select_related("partnership", "staff")
        .order_by("follow_up_on", "pk")[:follow_up_limit]
    )
    last_event_kind = Subquery(
        EoiEvent.objects.filter(eoi=OuterRef("pk")).order_by("-created_at", "-id").values("kind")[:1]
    )
    eois = (
        ExpressionOfInterest.objects.filter(status__in=[EoiStatus.SUBMITTED, EoiStatus.UNDER_ASSESSMENT])
        .annotate(last_event_kind=last_event_kind)
        .aggregate(
            submitted=Count("pk", filter=Q(status=EoiStatus.SUBMITTED)),
            answered=Count(
                "pk", filter=Q(status=EoiStatus.UNDER_ASSESSMENT, last_event_kind=EoiEventKind.REPLY)
            ),
        )
    )
    declarations = Declaration.objects.filter(status=DeclarationStatus.SUBMITTED).count()
    overdue = overdue_checklist_items(today=today)
    open_requests = SupportRequest.objects.filter(status=SupportRequestStatus.OPEN)
    return {
        "overdue_items_count": overdue.count(),
        "overdue_items": list(
            overdue.select_related("partnership", "item").order_by("due_on", "pk")[:list_limit]
        ),
        "support_requests_open": open_requests.count(),
        "support_requests": list(
            open_requests.select_related("partnership", "assigned_to").order_by("created_at", "pk")[
                :list_limit
            ]
        ),
        "today": today,
        "stages": stages,
        "follow_ups": follow_ups,
        "follow_ups_overdue": follow_up_counts["overdue"],
        "follow_ups_due": follow_up_counts["due"],
        "follow_up_days": follow_up_days,
        "follow_up_until": horizon + datetime.timedelta(days=1),  # the admin's date filter bound is exclusive
        "eois_submitted": eois["submitted"],
        "eois_answered": eois["answered"],
        "declarations_to_review": declarations,
    }


def with_open_checklist_items(queryset):
    """Annotate partnerships with ``open_items``: active checklist items of their current stage not yet closed."""
    in_stage = (
        ChecklistItem.objects.filter(stage=OuterRef("stage"), active=True)
        .order_by()
        .values("stage")
        .annotate(n=Count("pk"))
        .values("n")
    )
    closed = (
        PartnershipChecklistItem.objects.filter(
            partnership=OuterRef("pk"),
            item__stage=OuterRef("stage"),
            item__active=True,
            status__in=CHECKLIST_CLOSED,
        )
        .order_by()
        .values("partnership")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(open_items=Coalesce(Subquery(in_stage), 0) - Coalesce(Subquery(closed), 0))


# --- Knowledge for partnerships: resources and the KPI repository ---------------------------------------


def resource_search(data):
    """The resource list's FilterSet over published resources, newest changes last, title order."""
    from .filters import ResourceFilter
    from .models import Resource

    return ResourceFilter(
        data or None, queryset=Resource.objects.filter(is_published=True).order_by("title", "pk")
    )


def resource_rows(queryset):
    """A page of resources with their ecosystems, stages and languages (three more queries)."""
    from .models import ResourceVersion

    return queryset.prefetch_related(
        "ecosystems",
        "stage_links",
        Prefetch("versions", queryset=ResourceVersion.objects.order_by("language")),
    )


def resource_detail_public(*, slug):
    from .models import Resource

    return resource_rows(Resource.objects.filter(is_published=True, slug=slug)).get()


def resource_version_public(*, slug, language):
    from .models import ResourceVersion

    return ResourceVersion.objects.select_related("resource").get(
        resource__slug=slug, resource__is_published=True, language=language
    )


def repository_kpis():
    from commitments.models import KPI, DeclarationStatus

    return KPI.objects.filter(
        declaration__status=DeclarationStatus.SIGNED, declaration__partnership__is_published=True
    )


def repository_targets():
    """Announced targets of partnerships whose signed declaration has not (yet) taken them over."""
    from commitments.models import Declaration, DeclarationStatus
    from partnerships.models import PledgedTarget

    signed = Declaration.objects.filter(
        partnership_id=OuterRef("partnership_id"), status=DeclarationStatus.SIGNED
    )
    return PledgedTarget.objects.filter(partnership__is_published=True).exclude(Exists(signed))


def kpi_units():
    """Every unit used in the repository, sorted (one query)."""
    units = (
        repository_kpis()
        .order_by()
        .values_list("unit", flat=True)
        .union(repository_targets().order_by().values_list("unit", flat=True))
    )
    return sorted(set(units), key=str.casefold)


KPI_ROW_FIELDS = [
    "source",
    "row_id",
    "row_indicator",
    "row_unit",
    "row_baseline",
    "row_target",
    "row_target_year",
    "partnership_id_",
    "partnership_name",
    "partnership_slug",
    "declaration_version",
    "latest_value",
    "latest_on",
]


def kpi_repository(data):
    """(filterset, rows): declared KPIs and pledged targets as one sortable, countable union of dicts."""
    from django.db.models import DateField, DecimalField, IntegerField, Value

    from commitments.models import KPIProgress

    from .filters import KpiFilter

    filterset = KpiFilter(data or None, queryset=repository_kpis(), units=kpi_units())
    if filterset.is_bound and not filterset.is_valid():
        # Invalid values are reported and ignored: filter by the valid ones only.
        for name in list(filterset.form.errors):
            filterset.form.cleaned_data.pop(name, None)
    cleaned = getattr(filterset.form, "cleaned_data", None)
    if cleaned is None:
        filterset.form.cleaned_data = {}
    latest = KPIProgress.objects.filter(kpi_id=OuterRef("pk")).order_by("-reported_on", "-id")
    decimal = DecimalField(max_digits=16, decimal_places=2)
    declared = filterset.filter_source(repository_kpis()).annotate(
        source=Value("declaration"),
        row_id=F("pk"),
        row_indicator=F("indicator"),
        row_unit=F("unit"),
        row_baseline=F("baseline"),
        row_target=F("target"),
        row_target_year=F("target_year"),
        partnership_id_=F("declaration__partnership_id"),
        partnership_name=F("declaration__partnership__name"),
        partnership_slug=F("declaration__partnership__slug"),
        declaration_version=F("declaration__version"),
        latest_value=Subquery(latest.values("value")[:1], output_field=decimal),
        latest_on=Subquery(latest.values("reported_on")[:1], output_field=DateField()),
    )
    pledged = filterset.filter_source(repository_targets()).annotate(
        source=Value("pledge"),
        row_id=F("pk"),
        row_indicator=F("indicator"),
        row_unit=F("unit"),
        row_baseline=Value(None, output_field=decimal),
        row_target=F("target"),
        row_target_year=F("target_year"),
        partnership_id_=F("partnership_id"),
        partnership_name=F("partnership__name"),
        partnership_slug=F("partnership__slug"),
        declaration_version=Value(None, output_field=IntegerField()),
        latest_value=Value(None, output_field=decimal),
        latest_on=Value(None, output_field=DateField()),
    )
    rows = (
        declared.order_by()
        .values(*KPI_ROW_FIELDS)
        .union(pledged.order_by().values(*KPI_ROW_FIELDS), all=True)
        .order_by("row_indicator", "partnership_name", "source", "row_id")
    )
    return filterset, rows


def kpi_rows_with_context(rows):
    """A page of repository rows, with each partnership's ecosystems and stage (one query)."""
    from partnerships.models import Partnership

    rows = list(rows)
    partnerships = {
        p.pk: p
        for p in Partnership.objects.filter(pk__in={r["partnership_id_"] for r in rows})
        .only("pk", "slug", "name", "stage")
        .prefetch_related("ecosystems")
    }
    for row in rows:
        row["partnership"] = partnerships.get(row["partnership_id_"])
    return rows


def coordinator_editable_declarations(*, user):
    """The declarations this user may add KPIs to: drafts (or sent back) of partnerships they coordinate."""
    from commitments.models import EDITABLE_STATUSES, Declaration
    from partnerships.models import CoordinatorAccess

    if not user.is_authenticated:
        return []
    return list(
        Declaration.objects.filter(
            status__in=EDITABLE_STATUSES,
            partnership_id__in=CoordinatorAccess.objects.filter(user=user).values("partnership_id"),
        )
        .select_related("partnership")
        .order_by("partnership__name", "version")
    )


# --- Events ------------------------------------------------------------------------------------------


def event_search(params, *, now=None):
    """The events list's FilterSet (upcoming or past, filtered); ``now`` fixes the clock for tests."""
    from .filters import EventFilter

    return EventFilter(
        params if params is not None else {}, queryset=Event.objects.all(), now=now or timezone.now()
    )


def event_rows(queryset):
    return queryset.prefetch_related("ecosystems")


def event_detail_public(*, slug):
    return Event.objects.prefetch_related(
        "ecosystems",
        "materials",
        Prefetch(
            "partnerships",
            queryset=Partnership.objects.filter(is_published=True).only("name", "slug").order_by("name"),
        ),
    ).get(slug=slug)


# Past events the calendar feed still carries, so subscribers keep what they attended recently.
CALENDAR_RECENT_DAYS = 180


def events_for_calendar(*, now=None, limit=500):
    """The feed's events in date order; past the limit, the oldest recent ones give way to the future."""
    now = now or timezone.now()
    recent = Event.objects.filter(ends_at__gte=now - datetime.timedelta(days=CALENDAR_RECENT_DAYS))
    upcoming = list(recent.filter(ends_at__gte=now).order_by("starts_at", "id")[:limit])
    past = list(recent.filter(ends_at__lt=now).order_by("-starts_at", "-id")[: limit - len(upcoming)])
    return past[::-1] + upcoming


def partnership_events(*, partnership, now=None):
    """A partnership's events in one query: (upcoming soonest first, past latest first)."""
    now = now or timezone.now()
    events = list(partnership.events.order_by("starts_at", "id"))
    upcoming = [event for event in events if event.ends_at >= now]
    past = [event for event in events if event.ends_at < now][::-1]
    return upcoming, past


# --- Coordinator area -------------------------------------------------------------------------------


def coordinator_support_requests(*, user):
    """The support requests of every partnership this user coordinates, newest first."""
    return (
        SupportRequest.objects.filter(partnership__coordinator_access__user=user)
        .select_related("partnership", "answered_by")
        .order_by("-created_at", "-id")
    )


def coordinator_support_record(*, partnership, today=None):
    """What a coordinator may see of the support record: checklist, shared summaries, stage history.

    The activities are read without their internal notes (``defer`` keeps them out of the query too).
    """
    today = today or timezone.localdate()
    checklist = partnership_checklist(partnership=partnership)
    overdue = {
        row.pk for _stage, _label, items in checklist for _item, row in items if row and row.is_overdue(today)
    }
    activities = (
        SupportActivity.objects.filter(partnership=partnership)
        .defer("internal_notes", "participants")
        .order_by("-date", "-id")
    )
    return {
        "checklist": checklist,
        "overdue_ids": overdue,
        "activities": activities,
        "stage_history": StageChange.objects.filter(partnership=partnership).order_by(
            "changed_on", "recorded_at", "id"
        ),
    }
