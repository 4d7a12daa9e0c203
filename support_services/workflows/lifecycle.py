"""A partnership's lifecycle stage (DESIGN §3), as data run by ``pact_portal.workflow``.

design → set-up → delivery → closed. Any stage can be reached from any other, in one step, by the
transition named after it (``to_set_up``...). Forward moves are free, with two exceptions that ask for a
reason instead of refusing: a step back, and a move that leaves checklist items of the stages left behind
open. The reason is public: it is written on the partnership's stage history (a ``StageChange``, the audit
entry of every move) and e-mailed to its coordinators after commit.
"""

from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from pact_portal import workflow as wf
from pact_portal.mail import absolute_url, lazy_format, send_to_accounts
from partnerships.models import STAGE_ORDER, Partnership, Stage
from partnerships.selectors import coordinator_accounts
from partnerships.services import stage_change_record

from ..models.lifecycle import SUPPORT_STAGES, ChecklistItem

STAFF = "support_services.change_partnershipsupport"
MOVE_LABELS = {
    Stage.DESIGN: gettext_lazy("Move to Design"),
    Stage.SET_UP: gettext_lazy("Move to Set-up"),
    Stage.DELIVERY: gettext_lazy("Move to Delivery"),
    Stage.CLOSED: gettext_lazy("Move to Closed"),
}


def move_name(stage):
    """The transition that moves a partnership to ``stage``."""
    return f"to_{stage}"


def stages_left_behind(from_stage, to_stage):
    """The stages whose checklist a forward move leaves behind (the current one, and any skipped)."""
    start, end = STAGE_ORDER.index(from_stage), STAGE_ORDER.index(to_stage)
    return [stage for stage in STAGE_ORDER[start:end] if stage in SUPPORT_STAGES]


# --- The rule: (needs a reason, why) ---------------------------------------------------------------------


def reason_needed(partnership, to_stage):
    """(True, why) when moving ``partnership`` to ``to_stage`` needs a reason, else (False, "")."""
    if STAGE_ORDER.index(to_stage) < STAGE_ORDER.index(partnership.stage):
        return True, _("Give a reason for moving the partnership back to an earlier stage.")
    left_open = ChecklistItem.objects.open_for(
        partnership=partnership, stages=stages_left_behind(partnership.stage, to_stage)
    ).count()
    if left_open:
        return True, ngettext(
            "%(count)d checklist item is still open: give a reason for moving on.",
            "%(count)d checklist items are still open: give a reason for moving on.",
            left_open,
        ) % {"count": left_open}
    return False, ""


def _note_mode(to_stage):
    def mode(partnership):
        return wf.REQUIRED if reason_needed(partnership, to_stage)[0] else wf.OPTIONAL

    return mode


def _note_missing(to_stage):
    def missing(partnership):
        return reason_needed(partnership, to_stage)[1]

    return missing


# --- Audit and e-mail ----------------------------------------------------------------------------------


def record_stage_change(partnership, ctx):
    actor = ctx.actor if ctx.actor is not None and ctx.actor.is_authenticated else None
    return stage_change_record(
        partnership=partnership,
        from_stage=ctx.from_state,
        changed_by=actor,
        note=ctx.note,
        changed_on=ctx.extra.get("changed_on"),
    )


def tell_coordinators(partnership, ctx):
    send_to_accounts(
        accounts=coordinator_accounts(partnership),
        subject=lazy_format(
            gettext_lazy("%(partnership)s is now in the %(stage)s stage"),
            partnership=partnership.name,
            stage=Stage(ctx.to_state).label,
        ),
        template="support_services/email/stage_changed.txt",
        context={
            "partnership": partnership,
            "from_stage": Stage(ctx.from_state).label,
            "to_stage": Stage(ctx.to_state).label,
            "reason": ctx.event.note,
            "profile_url": absolute_url(partnership.get_absolute_url()),
        },
    )


# --- The machine ---------------------------------------------------------------------------------------

STAGE = wf.Workflow(
    model=Partnership,
    field="stage",
    audit=record_stage_change,
    audience=gettext_lazy("visitors of the partnership's public page and its coordinators"),
    # Every other stage leads to each one: the only wrong state is the one the partnership is in.
    wrong_state=gettext_lazy("The partnership is already in the “%(to)s” stage."),
    transitions=[
        wf.Transition(
            name=move_name(stage),
            source=[other for other in STAGE_ORDER if other != stage],
            target=stage,
            label=MOVE_LABELS[stage],
            may=STAFF,
            note=_note_mode(stage),
            note_visibility=wf.PUBLIC,
            note_label=gettext_lazy("Reason"),
            note_missing=_note_missing(stage),
            notify=tell_coordinators,
            done=format_lazy(
                gettext_lazy(
                    "The partnership is now in the “{stage}” stage; its coordinators are informed by e-mail."
                ),
                stage=stage.label,
            ),
        )
        for stage in STAGE_ORDER
    ],
)

# {stage: {stages reachable in one move}}.
STAGE_TRANSITIONS = STAGE.graph()
