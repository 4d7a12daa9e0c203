"""Every write to an Expression of Interest goes through these functions (keyword-only, <noun>_<verb>).

Each status change: ``transaction.atomic``, ``select_for_update`` on the application, a guard returning
``(allowed, reason)``, the update, an ``EoiEvent`` (the audit timeline), e-mail after commit.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerships import services as registry
from partnerships.models import (
    EU_MEMBER_STATES,
    GeographicScope,
    MembershipRole,
    PartnershipKind,
    Stage,
    StakeholderType,
)

from ..models.applications import (
    EOI_TRANSITIONS,
    OPEN_STATUSES,
    STEP_FIELDS,
    EoiEvent,
    EoiEventKind,
    EoiReferenceCounter,
    EoiStatus,
    ExpressionOfInterest,
)

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


# --- Rules shared by the forms and the services -------------------------------------------------------


def organisation_problems(*, stakeholder_type, is_sme, country, region):
    """Cross-field rules of step 1, as {field: message}."""
    problems = {}
    if stakeholder_type == StakeholderType.COMPANY and is_sme is None:
        problems["organisation_is_sme"] = _("Say whether the company is an SME (fewer than 250 staff).")
    if region is not None and country is not None and region.code[:2] != country.code:
        problems["organisation_region"] = _("Choose a region in %(country)s.") % {"country": country.name}
    return problems


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


# --- E-mail ---------------------------------------------------------------------------------------------


def _status_url(eoi):
    return settings.PORTAL_URL.rstrip("/") + eoi.get_absolute_url()


def _mail_applicant(eoi, template, **context):
    registry.send_after_commit(
        template=template,
        context={"eoi": eoi, "status_url": _status_url(eoi), **context},
        recipients=[eoi.contact_email] if eoi.contact_email else [],
        language=eoi.language,
    )


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
    """Create a draft from step 1. Posting the same idempotency key again returns the first draft.

    Returns (eoi, created).
    """
    if idempotency_key:
        existing = ExpressionOfInterest.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing, False
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
def eoi_save_step(*, eoi, step, data, regions=None, ecosystems=None):
    """Save one step of a draft; after the contact step the applicant gets the secret link by e-mail."""
    locked = ExpressionOfInterest.objects.select_for_update().get(pk=eoi.pk)
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
    if step == 2 and locked.contact_email and locked.contact_email != locked.resume_link_sent_to:
        locked.resume_link_sent_to = locked.contact_email
        locked.save(update_fields=["resume_link_sent_to"])
        _mail_applicant(
            locked, "support_services/email/resume_link.txt", expiry_days=settings.EOI_DRAFT_EXPIRY_DAYS
        )
    return locked


def eoi_can_transition(*, eoi, to_status):
    """(allowed, reason) by the state machine of DESIGN §3."""
    if to_status not in EOI_TRANSITIONS.get(eoi.status, set()):
        return False, _("An application that is “%(from)s” cannot become “%(to)s”.") % {
            "from": EoiStatus(eoi.status).label,
            "to": EoiStatus(to_status).label,
        }
    if eoi_is_expired(eoi=eoi):
        return False, _("This draft has expired.")
    return True, ""


def _transition(eoi, to_status, *, by=None, by_applicant=False, note=""):
    """Lock, guard, change, audit. Returns the locked, updated row."""
    locked = ExpressionOfInterest.objects.select_for_update().get(pk=eoi.pk)
    allowed, reason = eoi_can_transition(eoi=locked, to_status=to_status)
    if not allowed:
        raise ValidationError(reason)
    EoiEvent.objects.create(
        eoi=locked,
        kind=EoiEventKind.STATUS,
        from_status=locked.status,
        to_status=to_status,
        actor=by,
        by_applicant=by_applicant,
        text=note,
    )
    locked.status = to_status
    if to_status in (EoiStatus.ACCEPTED, EoiStatus.DECLINED, EoiStatus.WITHDRAWN):
        locked.decided_at = timezone.now()
    return locked


def _next_reference(year):
    counter, _created = EoiReferenceCounter.objects.select_for_update().get_or_create(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"EOI-{year}-{counter.last_number:04d}"


@transaction.atomic
def eoi_submit(*, eoi, consent):
    """Submit a complete draft: a gap-free reference for the year, consent recorded, e-mails after commit."""
    locked = ExpressionOfInterest.objects.select_for_update().get(pk=eoi.pk)
    if locked.status == EoiStatus.SUBMITTED and locked.reference:
        return locked  # a double click or retried POST: already done
    if not consent:
        raise ValidationError({"consent": _("Accept the privacy notice to submit the application.")})
    missing = eoi_missing_fields(eoi=locked)
    if missing:
        raise ValidationError(_("Some required answers are missing: complete every step first."))
    problems = proposal_problems(scope=locked.scope, regions=locked.regions.all())
    if problems:
        raise ValidationError(problems)
    locked = _transition(locked, EoiStatus.SUBMITTED, by_applicant=True)
    now = timezone.now()
    locked.reference = _next_reference(timezone.localdate(now).year)
    locked.submitted_at = now
    locked.consent_at = now
    locked.privacy_notice_version = settings.PRIVACY_NOTICE_VERSION
    locked.expires_at = None
    locked.save()
    summary = {"regions": list(locked.regions.all()), "ecosystems": list(locked.ecosystems.all())}
    _mail_applicant(locked, "support_services/email/submitted.txt", **summary)
    registry.send_after_commit(
        template="support_services/email/submitted_staff.txt",
        context={
            "eoi": locked,
            "admin_url": settings.PORTAL_URL.rstrip("/")
            + f"/admin/support_services/expressionofinterest/{locked.pk}/change/",
            **summary,
        },
        recipients=[settings.SUPPORT_SERVICES_EMAIL],
        language=settings.LANGUAGE_CODE,
    )
    return locked


@transaction.atomic
def eoi_answer(*, eoi, text):
    """The applicant answers an information request; the application goes back to assessment."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write your answer.")})
    locked = _transition(eoi, EoiStatus.UNDER_ASSESSMENT, by_applicant=True, note="")
    locked.save()
    EoiEvent.objects.create(eoi=locked, kind=EoiEventKind.REPLY, by_applicant=True, text=text)
    registry.send_after_commit(
        template="support_services/email/answered_staff.txt",
        context={"eoi": locked, "text": text},
        recipients=[
            locked.assigned_to.email
            if locked.assigned_to and locked.assigned_to.email
            else settings.SUPPORT_SERVICES_EMAIL
        ],
        language=settings.LANGUAGE_CODE,
    )
    return locked


@transaction.atomic
def eoi_withdraw(*, eoi, reason=""):
    """The applicant withdraws an open application (a draft included)."""
    locked = _transition(eoi, EoiStatus.WITHDRAWN, by_applicant=True, note=(reason or "").strip())
    locked.save()
    _mail_applicant(locked, "support_services/email/status_changed.txt", note=locked.events.last().text)
    return locked


def eoi_resend_links(*, email):
    """E-mail the links of every open application of this contact address (always silent about the result)."""
    email = (email or "").strip()
    open_ones = [
        eoi
        for eoi in ExpressionOfInterest.objects.filter(contact_email__iexact=email, status__in=OPEN_STATUSES)
        if not eoi_is_expired(eoi=eoi)
    ]
    if open_ones:
        registry.send_after_commit(
            template="support_services/email/links.txt",
            context={"applications": [(eoi, _status_url(eoi)) for eoi in open_ones]},
            recipients=[open_ones[0].contact_email],
            language=open_ones[0].language,
        )
    return len(open_ones)


# --- Support services ---------------------------------------------------------------------------------


@transaction.atomic
def eoi_start_assessment(*, eoi, by, note=""):
    locked = _transition(eoi, EoiStatus.UNDER_ASSESSMENT, by=by, note=note.strip())
    if locked.assigned_to_id is None:
        locked.assigned_to = by
    locked.save()
    _mail_applicant(locked, "support_services/email/status_changed.txt", note="")
    return locked


@transaction.atomic
def eoi_request_information(*, eoi, by, message):
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": _("Write the question for the applicant.")})
    locked = _transition(eoi, EoiStatus.INFORMATION_REQUESTED, by=by)
    locked.save()
    EoiEvent.objects.create(eoi=locked, kind=EoiEventKind.MESSAGE, actor=by, text=message)
    _mail_applicant(locked, "support_services/email/information_requested.txt", message=message)
    return locked


@transaction.atomic
def eoi_decline(*, eoi, by, reason):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for declining; it is sent to the applicant.")})
    locked = _transition(eoi, EoiStatus.DECLINED, by=by, note=reason)
    locked.save()
    _mail_applicant(locked, "support_services/email/status_changed.txt", note=reason)
    return locked


@transaction.atomic
def eoi_accept(*, eoi, by, note=""):
    """Accept: create the partnership (RSP, design, unpublished), its coordinator organisation and account."""
    locked = ExpressionOfInterest.objects.select_for_update().get(pk=eoi.pk)
    allowed, reason = eoi_can_transition(eoi=locked, to_status=EoiStatus.ACCEPTED)
    if not allowed:
        raise ValidationError(reason)
    organisation, _created = registry.organisation_get_or_create(
        name=locked.organisation_name,
        country_code=locked.organisation_country_id,
        stakeholder_type=locked.organisation_type,
        is_sme=locked.organisation_is_sme,
        region_code=locked.organisation_region_id,
        website=locked.organisation_website,
    )
    partnership = registry.partnership_create(
        name=locked.partnership_name,
        kind=PartnershipKind.RSP,
        scope=locked.scope,
        stage=Stage.DESIGN,
        regions=list(locked.regions.all()),
        ecosystems=list(locked.ecosystems.all()),
        challenge=locked.challenge,
        ambition=locked.objectives,
        contact_email=locked.contact_email,
        website="",
        is_published=False,
        changed_by=by,
        stage_note=_("Created from the Expression of Interest %(reference)s.")
        % {"reference": locked.reference},
    )
    registry.membership_add(
        partnership=partnership,
        organisation=organisation,
        role=MembershipRole.COORDINATOR,
        joined_on=timezone.localdate(),
    )
    first_name, _sep, last_name = locked.contact_name.strip().partition(" ")
    registry.coordinator_invite(
        partnership=partnership,
        email=locked.contact_email,
        first_name=first_name[:150],
        last_name=last_name[:150],
        invited_by=by,
    )
    locked = _transition(locked, EoiStatus.ACCEPTED, by=by, note=(note or "").strip())
    locked.partnership = partnership
    locked.organisation = organisation
    locked.save()
    _mail_applicant(locked, "support_services/email/status_changed.txt", note=locked.events.last().text)
    return locked


@transaction.atomic
def eoi_assign(*, eoi, to, by):
    """Assign the application to a staff member (or nobody); recorded on the timeline."""
    if to is not None and not to.is_staff:
        raise ValidationError({"assigned_to": _("Only support-services staff can be assigned.")})
    locked = ExpressionOfInterest.objects.select_for_update().get(pk=eoi.pk)
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
    for eoi in closed.select_for_update():
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
