"""The Expression of Interest's state machine (DESIGN §3), as data run by ``pact_portal.workflow``.

draft → submitted → under_assessment ⇄ information_requested → accepted | declined; withdrawn from any
open state. The applicant acts through the secret link (submit, answer, withdraw); the support services
through the admin (start assessment, request information, accept, decline). Accepting creates the
partnership, its coordinator organisation and the coordinator's account.

Who reads a note is declared here: the question of "request information" and the reason of "decline" (or
"withdraw") are public (status page and e-mail); the notes of "start assessment" and "accept" are internal
and are kept as internal timeline notes, never shown nor e-mailed to the applicant.
"""

from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pact_portal import workflow as wf
from pact_portal.i18n import record_note
from pact_portal.mail import absolute_url, send_after_commit
from partnerships import services as registry
from partnerships.models import EU_MEMBER_STATES, GeographicScope, MembershipRole, PartnershipKind, Stage

from ..models.applications import (
    OPEN_STATUSES,
    EoiEvent,
    EoiEventKind,
    EoiReferenceCounter,
    EoiStatus,
    ExpressionOfInterest,
)

S = EoiStatus
STAFF = "support_services.change_expressionofinterest"
APPLICANT = wf.ANYONE  # the holder of the secret link: the views check the token
REQUIRED_FOR_SUBMIT = [
    "organisation_name",
    "organisation_type",
    "organisation_country",
    "contact_name",
    "contact_role",
    "contact_email",
    "partnership_name",
    "scope",
    "challenge",
    "objectives",
]
# A transition whose note is its own timeline entry (the status change itself stays without text).
NOTE_EVENTS = {"request_information": EoiEventKind.MESSAGE, "answer": EoiEventKind.REPLY}


# --- Rules shared by the forms, the services and the guards ---------------------------------------------


def proposal_problems(*, scope, regions):
    """Cross-field rules of step 3 (the scope and the regions it names), as {field: message}."""
    regions = list(regions)
    countries = {region.code[:2] for region in regions}
    if scope == GeographicScope.SINGLE_REGION and len(regions) != 1:
        return {"regions": _("A single-region partnership names exactly one region.")}
    if scope == GeographicScope.MACRO_REGION and len(countries & EU_MEMBER_STATES) < 2:
        return {"regions": _("A macro-region spans regions in more than one Member State.")}
    if scope == GeographicScope.NETWORK_OF_REGIONS:
        if len(regions) < 2:
            return {"regions": _("A network of regions names at least two regions.")}
        if len(countries) > 1:
            return {"regions": _("A network of regions lies within one Member State.")}
    if scope and not regions:
        return {"regions": _("Choose at least one region.")}
    return {}


def eoi_is_expired(*, eoi, now=None):
    return (
        eoi.status == EoiStatus.DRAFT
        and eoi.expires_at is not None
        and eoi.expires_at <= (now or timezone.now())
    )


def eoi_missing_fields(*, eoi):
    """Names of what still has to be filled in before the application can be submitted."""
    missing = [name for name in REQUIRED_FOR_SUBMIT if getattr(eoi, name) in ("", None)]
    if eoi.pk and not eoi.ecosystems.exists():
        missing.append("ecosystems")
    return missing


# --- Guards: (allowed, reason) on the row as it is ------------------------------------------------------


def not_expired(eoi):
    if eoi_is_expired(eoi=eoi):
        return False, _("This draft has expired.")
    return True, ""


def ready_to_submit(eoi):
    allowed, reason = not_expired(eoi)
    if not allowed:
        return allowed, reason
    if eoi_missing_fields(eoi=eoi):
        return False, _("Some required answers are missing: complete every step first.")
    problems = proposal_problems(scope=eoi.scope, regions=eoi.regions.all())
    if problems:
        return False, " ".join(str(message) for message in problems.values())
    return True, ""


# --- Changes on the locked row ------------------------------------------------------------------------


def next_reference(year):
    """The next gap-free reference of ``year``: the counter's row stays locked until the submission commits."""
    EoiReferenceCounter.objects.get_or_create(year=year)
    counter = wf.lock(EoiReferenceCounter, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"EOI-{year}-{counter.last_number:04d}"


def number_and_record_consent(eoi, ctx):
    if not ctx.extra.get("consent"):
        raise ValidationError({"consent": _("Accept the privacy notice to submit the application.")})
    now = timezone.now()
    eoi.reference = next_reference(timezone.localdate(now).year)
    eoi.submitted_at = now
    eoi.consent_at = now
    eoi.privacy_notice_version = settings.PRIVACY_NOTICE_VERSION
    eoi.expires_at = None


def assign_to_assessor(eoi, ctx):
    if eoi.assigned_to_id is None and ctx.actor is not None:
        eoi.assigned_to = ctx.actor


def stamp_decided(eoi, ctx):
    eoi.decided_at = timezone.now()


def create_partnership(eoi, ctx):
    """The partnership (RSP, design stage, unpublished), its coordinator organisation and account: made
    here, before the row is saved, because an accepted application must name its partnership."""
    organisation, _created = registry.organisation_get_or_create(
        name=eoi.organisation_name,
        country_code=eoi.organisation_country_id,
        stakeholder_type=eoi.organisation_type,
        is_sme=eoi.organisation_is_sme,
        region_code=eoi.organisation_region_id,
        website=eoi.organisation_website,
    )
    partnership = registry.partnership_create(
        name=eoi.partnership_name,
        kind=PartnershipKind.RSP,
        scope=eoi.scope,
        stage=Stage.DESIGN,
        regions=list(eoi.regions.all()),
        ecosystems=list(eoi.ecosystems.all()),
        challenge=eoi.challenge,
        ambition=eoi.objectives,
        contact_email=eoi.contact_email,
        website="",
        is_published=False,
        # The applicant wrote the challenge and objectives in the language they applied in.
        text_language=eoi.language,
        changed_by=ctx.actor,
        stage_note=record_note(
            gettext_lazy("Created from the Expression of Interest %(reference)s."), reference=eoi.reference
        ),
    )
    registry.membership_add(
        partnership=partnership,
        organisation=organisation,
        role=MembershipRole.COORDINATOR,
        joined_on=timezone.localdate(),
    )
    first_name, _sep, last_name = eoi.contact_name.strip().partition(" ")
    registry.coordinator_invite(
        partnership=partnership,
        email=eoi.contact_email,
        first_name=first_name[:150],
        last_name=last_name[:150],
        invited_by=ctx.actor,
        language=eoi.language,
    )
    eoi.partnership = partnership
    eoi.organisation = organisation
    stamp_decided(eoi, ctx)


# --- The timeline ---------------------------------------------------------------------------------------


def write_event(eoi, ctx):
    """The status change on the timeline; an internal note becomes an internal note entry of its own."""
    by_applicant = ctx.transition.may is APPLICANT
    actor = None if by_applicant else ctx.actor
    note_kind = EoiEventKind.NOTE if ctx.internal else NOTE_EVENTS.get(ctx.transition.name)
    event = EoiEvent.objects.create(
        eoi=eoi,
        kind=EoiEventKind.STATUS,
        from_status=ctx.from_state,
        to_status=ctx.to_state,
        actor=actor,
        by_applicant=by_applicant,
        text="" if note_kind else ctx.note,
    )
    if note_kind and ctx.note:
        EoiEvent.objects.create(
            eoi=eoi, kind=note_kind, actor=actor, by_applicant=by_applicant, text=ctx.note
        )
    return event


# --- E-mails (prepared in the transaction, sent after commit) ----------------------------------------------


def status_url(eoi):
    return absolute_url(eoi.get_absolute_url())


def mail_applicant(eoi, template, **context):
    send_after_commit(
        template=template,
        context={"eoi": eoi, "status_url": status_url(eoi), **context},
        recipients=[eoi.contact_email] if eoi.contact_email else [],
        language=eoi.language,
    )


def confirm_submission(eoi, ctx):
    summary = {"regions": list(eoi.regions.all()), "ecosystems": list(eoi.ecosystems.all())}
    mail_applicant(eoi, "support_services/email/submitted.txt", **summary)
    send_after_commit(
        template="support_services/email/submitted_staff.txt",
        context={
            "eoi": eoi,
            "admin_url": absolute_url(f"/admin/support_services/expressionofinterest/{eoi.pk}/change/"),
            **summary,
        },
        recipients=[settings.SUPPORT_SERVICES_EMAIL],
        language=settings.LANGUAGE_CODE,
    )


def tell_applicant_status(eoi, ctx):
    # Only a public note reaches the applicant: an internal one stays on the staff's timeline.
    mail_applicant(eoi, "support_services/email/status_changed.txt", note="" if ctx.internal else ctx.note)


def ask_applicant(eoi, ctx):
    mail_applicant(eoi, "support_services/email/information_requested.txt", message=ctx.note)


def tell_assessor(eoi, ctx):
    assessor = eoi.assigned_to
    send_after_commit(
        template="support_services/email/answered_staff.txt",
        context={"eoi": eoi, "text": ctx.note},
        recipients=[assessor.email if assessor and assessor.email else settings.SUPPORT_SERVICES_EMAIL],
        language=settings.LANGUAGE_CODE,
    )


# --- The machine ---------------------------------------------------------------------------------------

by_staff = partial(wf.Transition, may=STAFF)
by_applicant = partial(wf.Transition, may=APPLICANT, admin=False)  # from the secret link's pages
# Starting the assessment and accepting take a note for the staff's timeline only (module docstring).
by_staff_noting_internally = partial(
    by_staff,
    note=wf.OPTIONAL,
    note_visibility=wf.INTERNAL,
    note_label=gettext_lazy("Note for the timeline (optional)"),
)

APPLICATION = wf.Workflow(
    model=ExpressionOfInterest,
    audit=write_event,
    audience=gettext_lazy("the applicant"),
    wrong_state=gettext_lazy("An application that is “%(from)s” cannot become “%(to)s”."),
    select_related=("assigned_to",),
    transitions=[
        by_applicant(
            name="submit",
            source=[S.DRAFT],
            target=S.SUBMITTED,
            label=gettext_lazy("Submit"),
            guard=ready_to_submit,
            apply=number_and_record_consent,
            notify=confirm_submission,
        ),
        by_staff_noting_internally(
            name="start_assessment",
            # From "information requested" too: staff resume when the answer came another way (a call).
            source=[S.SUBMITTED, S.INFORMATION_REQUESTED],
            target=S.UNDER_ASSESSMENT,
            label=gettext_lazy("Start assessment"),
            apply=assign_to_assessor,
            notify=tell_applicant_status,
        ),
        by_staff(
            name="request_information",
            source=[S.UNDER_ASSESSMENT],
            target=S.INFORMATION_REQUESTED,
            label=gettext_lazy("Request information"),
            note=wf.REQUIRED,
            note_visibility=wf.PUBLIC,
            note_label=gettext_lazy("Question for the applicant (e-mailed)"),
            note_missing=gettext_lazy("Write the question for the applicant."),
            notify=ask_applicant,
        ),
        by_applicant(
            name="answer",
            source=[S.INFORMATION_REQUESTED],
            target=S.UNDER_ASSESSMENT,
            label=gettext_lazy("Send the answer"),
            note=wf.REQUIRED,
            note_visibility=wf.PUBLIC,
            note_missing=gettext_lazy("Write your answer."),
            notify=tell_assessor,
        ),
        by_staff_noting_internally(
            name="accept",
            source=[S.UNDER_ASSESSMENT],
            target=S.ACCEPTED,
            label=gettext_lazy("Accept and create the partnership"),
            confirm=gettext_lazy(
                "Accept this application? The partnership is created in the registry (design stage, not "
                "published), with the applicant's organisation as coordinator, and the contact person is "
                "invited to the coordinator area. This cannot be undone."
            ),
            apply=create_partnership,
            notify=tell_applicant_status,
        ),
        by_staff(
            name="decline",
            source=[S.UNDER_ASSESSMENT],
            target=S.DECLINED,
            label=gettext_lazy("Decline"),
            note=wf.REQUIRED,
            note_visibility=wf.PUBLIC,
            note_label=gettext_lazy("Reason (e-mailed to the applicant)"),
            note_missing=gettext_lazy("Give the reason for declining; it is sent to the applicant."),
            confirm=gettext_lazy(
                "Decline this application? The applicant is told by e-mail, with the reason. This cannot "
                "be undone."
            ),
            apply=stamp_decided,
            notify=tell_applicant_status,
        ),
        by_applicant(
            name="withdraw",
            source=OPEN_STATUSES,
            target=S.WITHDRAWN,
            label=gettext_lazy("Withdraw"),
            guard=not_expired,
            note=wf.OPTIONAL,
            note_visibility=wf.PUBLIC,
            note_label=gettext_lazy("Reason"),
            apply=stamp_decided,
            notify=tell_applicant_status,
        ),
    ],
)

# The table of DESIGN §3: {status: {statuses reachable in one transition}}.
EOI_TRANSITIONS = APPLICATION.graph()
