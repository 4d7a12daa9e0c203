"""Lifecycle support: checklists, stage moves and the support log."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from partnerships import services as registry
from partnerships.models import (
    STAGE_ORDER,
    Partnership,
    Stage,
)

from ..models.lifecycle import (
    CHECKLIST_CLOSED,
    SUPPORT_STAGES,
    ChecklistItem,
    ChecklistStatus,
    PartnershipChecklistItem,
)


def checklist_open_items(*, partnership, stages):
    """Active checklist items of ``stages`` that this partnership has not closed (done or not applicable)."""
    closed = PartnershipChecklistItem.objects.filter(
        partnership=partnership, status__in=CHECKLIST_CLOSED
    ).values("item_id")
    return ChecklistItem.objects.filter(stage__in=stages, active=True).exclude(pk__in=closed)


def _stages_left_behind(from_stage, to_stage):
    """The stages whose checklist a forward move leaves behind (the current one, and any skipped)."""
    start, end = STAGE_ORDER.index(from_stage), STAGE_ORDER.index(to_stage)
    return [stage for stage in STAGE_ORDER[start:end] if stage in SUPPORT_STAGES]


def partnership_can_move_stage(*, partnership, to_stage, reason=""):
    """(allowed, reason): a step back, or a step forward leaving checklist items open, needs a reason."""
    allowed, refusal = registry.partnership_can_change_stage(
        partnership=partnership, to_stage=to_stage, note=reason
    )
    if not allowed:
        return False, refusal
    if STAGE_ORDER.index(to_stage) > STAGE_ORDER.index(partnership.stage) and not reason.strip():
        left_open = checklist_open_items(
            partnership=partnership, stages=_stages_left_behind(partnership.stage, to_stage)
        ).count()
        if left_open:
            return False, ngettext(
                "%(count)d checklist item is still open: give a reason for moving on.",
                "%(count)d checklist items are still open: give a reason for moving on.",
                left_open,
            ) % {"count": left_open}
    return True, ""


@transaction.atomic
def partnership_move_stage(*, partnership, to_stage, by, reason="", changed_on=None):
    """Move a partnership to another stage: guard on its checklist, record the change, tell the coordinators."""
    locked = Partnership.objects.select_for_update().get(pk=partnership.pk)
    allowed, refusal = partnership_can_move_stage(partnership=locked, to_stage=to_stage, reason=reason)
    if not allowed:
        raise ValidationError(refusal)
    from_stage = locked.stage
    change = registry.partnership_change_stage(
        partnership=locked, to_stage=to_stage, changed_by=by, note=reason, changed_on=changed_on
    )
    recipients = list(
        get_user_model()
        .objects.filter(coordinator_access__partnership=locked, is_active=True)
        .exclude(email="")
        .order_by("pk")
        .values_list("email", flat=True)
    )
    if recipients:
        registry.send_after_commit(
            subject=_("%(partnership)s is now in the %(stage)s stage")
            % {"partnership": locked.name, "stage": Stage(to_stage).label},
            template="support_services/email/stage_changed.txt",
            context={
                "partnership": locked,
                "from_stage": Stage(from_stage).label,
                "to_stage": Stage(to_stage).label,
                "reason": change.note,
                "profile_url": settings.PORTAL_URL.rstrip("/") + locked.get_absolute_url(),
            },
            recipients=recipients,
        )
    partnership.stage = to_stage
    return change


KEEP = object()  # "leave this field as it is"


@transaction.atomic
def checklist_item_set_status(*, partnership, item, status, by, date=None, note="", due_on=KEEP):
    """Record where a partnership stands on one checklist item (one row per partnership and item);
    the due date is kept unless ``due_on`` is given (``None`` clears it)."""
    row, _created = PartnershipChecklistItem.objects.select_for_update().get_or_create(
        partnership=partnership, item=item, defaults={"updated_by": by}
    )
    if status == ChecklistStatus.DONE and date is None:
        date = row.date or timezone.localdate()
    row.status, row.date, row.note, row.updated_by = status, date, (note or "").strip(), by
    if due_on is not KEEP:
        row.due_on = due_on
    row.full_clean()
    row.save()
    return row


def support_activity_save(*, activity):
    """Create or change an entry of the support log."""
    if activity.staff_id is not None and not activity.staff.is_staff:
        raise ValidationError({"staff": _("Only support-services staff can be named.")})
    activity.full_clean()
    activity.save()
    return activity
