"""Reads for lifecycle support: checklists, stage history, support log, the staff dashboard."""

import datetime

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from partnerships.models import STAGE_ORDER, Partnership, Stage, StageChange

from ..models.applications import EoiEvent, EoiEventKind, EoiStatus, ExpressionOfInterest
from ..models.lifecycle import (
    CHECKLIST_CLOSED,
    SUPPORT_STAGES,
    ChecklistItem,
    PartnershipChecklistItem,
    StaffAssignmentEvent,
    SupportActivity,
)
from ..models.support_requests import SupportRequest, SupportRequestStatus


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
        .order_by("recorded_at", "id")  # the order of the changes; a published date may be unknown
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
        "stage_history": StageChange.objects.filter(partnership=partnership).order_by("recorded_at", "id"),
    }


def partnership_assignment_record(*, partnership, limit=50):
    """Who assigned whom to this partnership, or took them off, newest first."""
    return list(
        StaffAssignmentEvent.objects.filter(partnership=partnership).select_related("staff", "by")[:limit]
    )
