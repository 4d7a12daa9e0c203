"""A coordinator's support request, as data run by ``pact_portal.workflow``.

open → answered → closed; staff may answer again (a correction, a second answer) until they close it. The
answer is the transition's note: public, e-mailed to the coordinator in the language they wrote in and shown
in their area. The request's own fields are its record (who answered, when; when it was closed).
"""

from functools import partial

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from pact_portal import workflow as wf
from pact_portal.mail import absolute_url, send_after_commit

from ..models.lifecycle import SupportActivity, SupportActivityKind
from ..models.support_requests import TOPIC_ACTIVITY_KIND, SupportRequest, SupportRequestStatus

# A module, not its names: the services import this module in turn (see support_services.services).
from ..services import lifecycle as lifecycle_services

S = SupportRequestStatus
STAFF = "support_services.change_supportrequest"


def _staff(ctx):
    return ctx.account if ctx.account is not None and ctx.account.is_staff else None


def store_answer(support_request, ctx):
    support_request.answer = ctx.note
    support_request.answered_by = ctx.account
    support_request.answered_at = timezone.now()
    if support_request.assigned_to_id is None and _staff(ctx) is not None:
        support_request.assigned_to = ctx.actor


def log_as_activity(support_request, ctx):
    """With ``log_activity=True``: the answer becomes a support activity's shared summary (once)."""
    if not ctx.extra.get("log_activity") or support_request.activity_id is not None:
        return
    support_request.activity = lifecycle_services.support_activity_save(
        activity=SupportActivity(
            partnership=support_request.partnership,
            kind=ctx.extra.get("activity_kind")
            or TOPIC_ACTIVITY_KIND.get(support_request.topic, SupportActivityKind.GUIDANCE),
            date=timezone.localdate(),
            stage=support_request.stage,
            staff=_staff(ctx),
            summary=ctx.note,
        )
    )
    support_request.save(update_fields=["activity"])


def stamp_closed(support_request, ctx):
    support_request.closed_at = timezone.now()


def tell_the_coordinator(support_request, ctx):
    coordinator = support_request.requested_by
    if coordinator is None or not coordinator.is_active or not coordinator.email:
        return
    send_after_commit(
        template="support_services/email/support_request_answered.txt",
        context={
            "support_request": support_request,
            "partnership": support_request.partnership,
            "requests_url": absolute_url(reverse("support_services:coordinator_requests")),
        },
        recipients=[coordinator.email],
        language=support_request.language,
    )


def on_the_request(support_request, ctx):
    """The audit step: the request's own fields (``answered_by``, ``answered_at``, ``closed_at``) are its
    record; no separate row."""
    return None


by_staff = partial(wf.Transition, may=STAFF)

SUPPORT_REQUEST = wf.Workflow(
    model=SupportRequest,
    audit=on_the_request,
    audience=gettext_lazy("the coordinator who asked"),
    wrong_state=gettext_lazy("A request that is “%(from)s” cannot become “%(to)s”."),
    select_related=("partnership", "requested_by"),
    transitions=[
        by_staff(
            name="answer",
            source=[S.OPEN, S.ANSWERED],
            target=S.ANSWERED,
            label=gettext_lazy("Answer"),
            note=wf.REQUIRED,
            note_visibility=wf.PUBLIC,
            note_label=gettext_lazy("Answer"),
            note_missing=gettext_lazy("Write the answer for the coordinator."),
            apply=store_answer,
            after=log_as_activity,
            notify=tell_the_coordinator,
            done=gettext_lazy("The answer was e-mailed to the coordinator."),
        ),
        by_staff(
            name="close",
            source=[S.OPEN, S.ANSWERED],
            target=S.CLOSED,
            label=gettext_lazy("Close the request"),
            confirm=gettext_lazy("Close this request? It can no longer be answered."),
            apply=stamp_closed,
        ),
    ],
)

# {status: {statuses reachable in one transition}}.
SUPPORT_REQUEST_TRANSITIONS = SUPPORT_REQUEST.graph()
