"""Lifecycle support: checklists, stage moves, staff assignments and the support log.

A stage move is a transition of the stage workflow (``support_services.workflows.lifecycle``): these
functions are its named entry points."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pact_portal import workflow
from partnerships.models import STAGE_ORDER

from ..models.lifecycle import (
    ChecklistItem,
    ChecklistStatus,
    PartnershipChecklistItem,
    StaffAssignment,
    StaffAssignmentAction,
    StaffAssignmentEvent,
)
from ..workflows.lifecycle import STAGE, move_name, reason_needed


def checklist_open_items(*, partnership, stages):
    """Active checklist items of ``stages`` that this partnership has not closed (done or not applicable)."""
    return ChecklistItem.objects.open_for(partnership=partnership, stages=stages)


# --- Stage moves -------------------------------------------------------------------------------------------


def partnership_can_move_stage(*, partnership, to_stage, reason=""):
    """(allowed, reason): a step back, or a step forward leaving checklist items open, needs a reason."""
    if to_stage not in STAGE_ORDER:
        return False, _("Unknown stage.")
    allowed, refusal = STAGE.check(partnership, move_name(to_stage))
    if not allowed:
        return False, refusal
    if not (reason or "").strip():
        needed, why = reason_needed(partnership, to_stage)
        if needed:
            return False, why
    return True, ""


@transaction.atomic  # the row stays locked until its StageChange is read back
def partnership_move_stage(*, partnership, to_stage, by, reason="", changed_on=None):
    """Move a partnership to another stage: checked on the locked row, recorded on its public stage history
    (dated ``changed_on``, default today), its coordinators e-mailed after commit. Returns the StageChange."""
    if to_stage not in STAGE_ORDER:
        raise ValidationError(_("Unknown stage."))
    STAGE.run(partnership, move_name(to_stage), actor=by, note=reason, changed_on=changed_on)
    return partnership.stage_changes.latest("pk")


# --- The checklist -----------------------------------------------------------------------------------------

KEEP = object()  # "leave this field as it is"


@transaction.atomic
def checklist_item_set_status(*, partnership, item, status, by, date=None, note="", due_on=KEEP):
    """Record where a partnership stands on one checklist item (one row per partnership and item);
    the due date is kept unless ``due_on`` is given (``None`` clears it)."""
    row, _created = workflow.lock_or_create(
        PartnershipChecklistItem, partnership=partnership, item=item, defaults={"updated_by": by}
    )
    if status == ChecklistStatus.DONE and date is None:
        date = row.date or timezone.localdate()
    row.status, row.date, row.note, row.updated_by = status, date, (note or "").strip(), by
    if due_on is not KEEP:
        row.due_on = due_on
    row.full_clean()
    row.save()
    return row


# --- Staff assignments -------------------------------------------------------------------------------------


def _assignment_event(*, partnership, staff, action, by):
    return StaffAssignmentEvent.objects.create(
        partnership=partnership,
        staff=staff,
        action=action,
        by=by if by is not None and by.is_authenticated else None,
    )


@transaction.atomic
def staff_assign(*, partnership, staff, by, is_lead=False):
    """Assign a support-services staff member to a partnership (or change whether they are its lead
    contact); each change is recorded: who assigned whom, when. Assigning twice changes nothing."""
    if not staff.is_staff:
        raise ValidationError({"staff": _("Only support-services staff can be assigned.")})
    assignment, created = workflow.lock_or_create(
        StaffAssignment, partnership=partnership, staff=staff, defaults={"is_lead": is_lead}
    )
    if created:
        _assignment_event(partnership=partnership, staff=staff, action=StaffAssignmentAction.ASSIGNED, by=by)
        if is_lead:
            _assignment_event(partnership=partnership, staff=staff, action=StaffAssignmentAction.LEAD, by=by)
    elif assignment.is_lead != is_lead:
        assignment.is_lead = is_lead
        assignment.save(update_fields=["is_lead"])
        _assignment_event(
            partnership=partnership,
            staff=staff,
            action=StaffAssignmentAction.LEAD if is_lead else StaffAssignmentAction.NOT_LEAD,
            by=by,
        )
    return assignment


@transaction.atomic
def staff_unassign(*, assignment, by):
    """Take a staff member off a partnership; the record of the assignment stays."""
    _assignment_event(
        partnership=assignment.partnership,
        staff=assignment.staff,
        action=StaffAssignmentAction.UNASSIGNED,
        by=by,
    )
    assignment.delete()


# --- The support log ---------------------------------------------------------------------------------------


def support_activity_save(*, activity):
    """Create or change an entry of the support log."""
    if activity.staff_id is not None and not activity.staff.is_staff:
        raise ValidationError({"staff": _("Only support-services staff can be named.")})
    activity.full_clean()
    activity.save()
    return activity
