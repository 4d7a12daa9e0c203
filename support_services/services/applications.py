"""Every write to an Expression of Interest goes through these functions (keyword-only, <noun>_<verb>).

Each status change runs a transition of ``support_services.workflows.applications.APPLICATION`` through the
workflow core: lock, guard, update, an ``EoiEvent`` (the audit timeline), e-mail after commit.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from pact_portal import workflow as wf
from pact_portal.mail import send_after_commit
from partnerships.services import organisation_problems  # noqa: F401  (re-exported for the forms)

from ..models.applications import (
    OPEN_STATUSES,
    STEP_FIELDS,
    EoiEvent,
    EoiEventKind,
    EoiStatus,
    ExpressionOfInterest,
)
from ..workflows.applications import (  # noqa: F401  (the rules are re-exported for the forms and views)
    APPLICATION,
    REQUIRED_FOR_SUBMIT,
    eoi_is_expired,
    eoi_missing_fields,
    mail_applicant,
    proposal_problems,
    status_url,
)

# Personal data erased by the retention purge; the reference, status, dates and scope stay for statistics.
PERSONAL_FIELDS = {
    "contact_name": "",
    "contact_role": "",
    "contact_email": "",
    "contact_phone": "",
    "resume_link_sent_to": "",
    "organisation_website": "",
    "potential_partners": "",
    "support_wanted": "",
    "challenge": "",
    "objectives": "",
}


# --- Applicant: draft, steps, submit, answer, withdraw ---------------------------------------------------


def _expiry(now=None):
    return (now or timezone.now()) + datetime.timedelta(days=settings.EOI_DRAFT_EXPIRY_DAYS)


def _apply(eoi, data, fields):
    for name in fields:
        if name in data:
            value = data[name]
            setattr(eoi, name, "" if value is None and name not in _NULLABLE else value)


_NULLABLE = {"organisation_is_sme", "organisation_country", "organisation_region", "is_pact_member"}


def eoi_start(*, idempotency_key, data, language="en", is_demo=False):
    """Create a draft from step 1. The same idempotency key again, within EOI_IDEMPOTENCY_MINUTES of the first
    post and while that draft is still a draft, returns it (a retry or a double click); later, the key is
    spent and a new draft is made without one. Web callers bind the key to the browser (views/applications.py).

    Returns (eoi, created).
    """
    if idempotency_key:
        existing = ExpressionOfInterest.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            window = timezone.now() - datetime.timedelta(minutes=settings.EOI_IDEMPOTENCY_MINUTES)
            if existing.status == EoiStatus.DRAFT and existing.created_at >= window:
                return existing, False
            idempotency_key = None
    problems = organisation_problems(
        stakeholder_type=data.get("organisation_type"),
        is_sme=data.get("organisation_is_sme"),
        country=data.get("organisation_country"),
        region=data.get("organisation_region"),
    )
    if problems:
        raise ValidationError(problems)
    eoi = ExpressionOfInterest(
        idempotency_key=idempotency_key or None,
        language=language,
        is_demo=is_demo,
        last_step=1,
        expires_at=_expiry(),
    )
    _apply(eoi, data, STEP_FIELDS[1])
    eoi.full_clean(exclude=["token", "idempotency_key"])
    try:
        with transaction.atomic():
            eoi.save()
    except IntegrityError:
        # A parallel request with the same key won the race: its draft is the one.
        existing = ExpressionOfInterest.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return existing, False
    return eoi, True


def eoi_can_edit(*, eoi):
    if eoi.status != EoiStatus.DRAFT:
        return False, _("The application has been submitted and can no longer be changed.")
    if eoi_is_expired(eoi=eoi):
        return False, _("This draft has expired.")
    return True, ""


@transaction.atomic
def eoi_save_step(*, eoi, step, data, regions=None, ecosystems=None, send_resume_link=True):
    """Save one step of a draft; after the contact step the applicant gets the secret link by e-mail (to each
    new address; not when the caller's limits say no: the step is saved all the same)."""
    locked = wf.lock(ExpressionOfInterest, pk=eoi.pk)
    allowed, reason = eoi_can_edit(eoi=locked)
    if not allowed:
        raise ValidationError(reason)
    if step == 1:
        problems = organisation_problems(
            stakeholder_type=data.get("organisation_type"),
            is_sme=data.get("organisation_is_sme"),
            country=data.get("organisation_country"),
            region=data.get("organisation_region"),
        )
        if problems:
            raise ValidationError(problems)
    if step == 3:
        problems = proposal_problems(scope=data.get("scope"), regions=regions or [])
        if problems:
            raise ValidationError(problems)
    _apply(locked, data, STEP_FIELDS[step])
    locked.last_step = max(locked.last_step, step)
    locked.expires_at = _expiry()
    locked.full_clean(exclude=["token", "idempotency_key"])
    locked.save()
    if regions is not None:
        locked.regions.set(regions)
    if ecosystems is not None:
        locked.ecosystems.set(ecosystems)
    if send_resume_link and eoi_will_send_resume_link(eoi=locked, step=step):
        locked.resume_link_sent_to = locked.contact_email
        locked.save(update_fields=["resume_link_sent_to"])
        mail_applicant(
            locked, "support_services/email/resume_link.txt", expiry_days=settings.EOI_DRAFT_EXPIRY_DAYS
        )
    return locked


def eoi_will_send_resume_link(*, eoi, step, contact_email=None):
    """Whether saving this step (with this address) sends the secret link: only the contact step (2) does, once
    per new address."""
    email = eoi.contact_email if contact_email is None else contact_email
    return step == 2 and bool(email) and email != eoi.resume_link_sent_to


def eoi_can_transition(*, eoi, to_status):
    """(allowed, reason) by the state machine of DESIGN §3 and its guards."""
    return APPLICATION.can_move(eoi, to_status)


def eoi_submit(*, eoi, consent):
    """Submit a complete draft: a gap-free reference for the year, consent recorded, e-mails after commit."""
    try:
        return APPLICATION.run(eoi, "submit", consent=consent)
    except ValidationError:
        current = ExpressionOfInterest.objects.get(pk=eoi.pk)
        if current.status == EoiStatus.SUBMITTED and current.reference:
            return current  # a double click or retried POST: the first one submitted it
        raise


def eoi_answer(*, eoi, text):
    """The applicant answers an information request; the application goes back to assessment."""
    return APPLICATION.run(eoi, "answer", note=text)


def eoi_withdraw(*, eoi, reason=""):
    """The applicant withdraws an open application (a draft included)."""
    return APPLICATION.run(eoi, "withdraw", note=reason)


def eoi_resend_links(*, email):
    """E-mail the links of every open application of this contact address (always silent about the result)."""
    email = (email or "").strip()
    open_ones = [
        eoi
        for eoi in ExpressionOfInterest.objects.filter(contact_email__iexact=email, status__in=OPEN_STATUSES)
        if not eoi_is_expired(eoi=eoi)
    ]
    if open_ones:
        send_after_commit(
            template="support_services/email/links.txt",
            context={"applications": [(eoi, status_url(eoi)) for eoi in open_ones]},
            recipients=[open_ones[0].contact_email],
            language=open_ones[0].language,
        )
    return len(open_ones)


# --- Support services ---------------------------------------------------------------------------------


def eoi_start_assessment(*, eoi, by, note=""):
    """The note is internal: it stays on the staff's timeline."""
    return APPLICATION.run(eoi, "start_assessment", actor=by, note=note)


def eoi_request_information(*, eoi, by, message):
    """The question is e-mailed to the applicant and shown on the status page."""
    return APPLICATION.run(eoi, "request_information", actor=by, note=message)


def eoi_decline(*, eoi, by, reason):
    """The reason is e-mailed to the applicant and shown on the status page."""
    return APPLICATION.run(eoi, "decline", actor=by, note=reason)


def eoi_accept(*, eoi, by, note=""):
    """Accept: create the partnership (RSP, design, unpublished), its coordinator organisation and account.
    The note is internal."""
    return APPLICATION.run(eoi, "accept", actor=by, note=note)


@transaction.atomic
def eoi_assign(*, eoi, to, by):
    """Assign the application to a staff member (or nobody); recorded on the timeline."""
    if to is not None and not to.is_staff:
        raise ValidationError({"assigned_to": _("Only support-services staff can be assigned.")})
    locked = wf.lock(ExpressionOfInterest, pk=eoi.pk)
    if locked.assigned_to_id == (to.pk if to else None):
        return locked
    locked.assigned_to = to
    locked.save(update_fields=["assigned_to", "updated_at"])
    EoiEvent.objects.create(
        eoi=locked,
        kind=EoiEventKind.ASSIGNMENT,
        actor=by,
        text=(to.get_full_name() or to.get_username()) if to else _("Unassigned"),
    )
    return locked


def eoi_add_note(*, eoi, by, text):
    """An internal note for the support services; the applicant never sees it."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("The note is empty.")})
    return EoiEvent.objects.create(eoi=eoi, kind=EoiEventKind.NOTE, actor=by, text=text)


# --- Privacy ------------------------------------------------------------------------------------------


@transaction.atomic
def eoi_purge_personal_data(*, now=None, retention_days=None):
    """Erase personal data of declined and withdrawn applications, and delete expired drafts, once the
    retention period has passed. Returns (anonymised, deleted)."""
    now = now or timezone.now()
    days = settings.EOI_RETENTION_DAYS if retention_days is None else retention_days
    cutoff = now - datetime.timedelta(days=days)
    closed = ExpressionOfInterest.objects.filter(
        status__in=[EoiStatus.DECLINED, EoiStatus.WITHDRAWN], decided_at__lt=cutoff, purged_at__isnull=True
    )
    anonymised = 0
    for eoi in wf.lock_all(closed):
        if eoi.reference is None:  # a withdrawn draft: nothing worth keeping
            continue
        for field, empty in PERSONAL_FIELDS.items():
            setattr(eoi, field, empty)
        eoi.purged_at = now
        eoi.save()
        # Replies and messages may quote personal data.
        eoi.events.update(text="")
        anonymised += 1
    # Drafts that expired, or were withdrawn before submission, hold no reference: delete them outright.
    _total, per_model = ExpressionOfInterest.objects.filter(
        Q(status=EoiStatus.DRAFT, expires_at__lt=cutoff)
        | Q(status=EoiStatus.WITHDRAWN, reference__isnull=True, decided_at__lt=cutoff)
    ).delete()
    return anonymised, per_model.get(ExpressionOfInterest._meta.label, 0)
