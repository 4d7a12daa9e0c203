"""Every write to an Expression of Interest goes through these functions (keyword-only, <noun>_<verb>).

Each status change: ``transaction.atomic``, ``select_for_update`` on the application, a guard returning
``(allowed, reason)``, the update, an ``EoiEvent`` (the audit timeline), e-mail after commit.
"""

import datetime
import hashlib
import hmac
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from partnerships import services as registry
from partnerships.models import (
    EU_MEMBER_STATES,
    STAGE_ORDER,
    GeographicScope,
    MembershipRole,
    Partnership,
    PartnershipKind,
    Stage,
    StakeholderType,
)

from .models import (
    CHECKLIST_CLOSED,
    EOI_TRANSITIONS,
    OPEN_STATUSES,
    STEP_FIELDS,
    SUPPORT_REQUEST_TRANSITIONS,
    SUPPORT_STAGES,
    ChecklistItem,
    ChecklistStatus,
    EoiEvent,
    EoiEventKind,
    EoiReferenceCounter,
    EoiStatus,
    ExpressionOfInterest,
    NewsletterSubscription,
    PartnershipChecklistItem,
    StaffAssignment,
    SubscriptionStatus,
    SupportActivity,
    SupportActivityKind,
    SupportRequest,
    SupportRequestStatus,
    SupportTopic,
)

logger = logging.getLogger(__name__)

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


# --- Lifecycle support: checklists and stage moves ----------------------------------------------------


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


# --- Resources -------------------------------------------------------------------------------------


def resource_set_stages(*, resource, stages):
    """Make the resource's stages exactly ``stages`` (design, set-up, delivery)."""
    from .models import ResourceStage

    wanted = set(stages)
    ResourceStage.objects.filter(resource=resource).exclude(stage__in=wanted).delete()
    existing = set(ResourceStage.objects.filter(resource=resource).values_list("stage", flat=True))
    for stage in sorted(wanted - existing):
        link = ResourceStage(resource=resource, stage=stage)
        link.full_clean()
        link.save()


@transaction.atomic
def resource_create(*, slug, title, kind, summary="", stages=(), ecosystems=(), deadline=None, **fields):
    from .models import Resource

    resource = Resource(slug=slug, title=title, kind=kind, summary=summary, deadline=deadline, **fields)
    resource.full_clean()
    resource.save()
    resource.ecosystems.set(ecosystems)
    resource_set_stages(resource=resource, stages=stages)
    return resource


def resource_version_prepare_file(*, version, upload):
    """Check an upload by its content and name it after the resource, its language and its real type."""
    from .uploads import check_upload

    file_type = check_upload(upload)
    version.content_type = file_type.content_type
    version.file_size = upload.size
    return file_type


@transaction.atomic
def resource_version_add(*, resource, language, title="", upload=None, external_url=""):
    """Add a language version carrying either an uploaded file (checked by content) or an external link."""
    from .models import ResourceVersion

    if (upload is None) == (not external_url):
        raise ValidationError(_("Give either a file or an external link (one of the two)."))
    version = ResourceVersion(resource=resource, language=language, title=title, external_url=external_url)
    if upload is not None:
        resource_version_prepare_file(version=version, upload=upload)
        version.file.save(upload.name, upload, save=False)
    try:
        version.full_clean()
    except ValidationError:
        if version.file:
            version.file.delete(save=False)
        raise
    version.save()
    return version


# --- Newsletter: double opt-in, one-click unsubscribe ------------------------------------------------

CONFIRM_SALT = "support_services.newsletter.confirm"


def newsletter_confirm_token(*, subscription):
    """A signed, timestamped token for the confirmation link (checked against NEWSLETTER_CONFIRM_DAYS)."""
    return signing.dumps(subscription.token, salt=CONFIRM_SALT, compress=False)


def newsletter_by_confirm_token(*, token):
    """The subscription behind a confirmation token; raises SignatureExpired (older than
    NEWSLETTER_CONFIRM_DAYS), BadSignature or NewsletterSubscription.DoesNotExist."""
    max_age = datetime.timedelta(days=settings.NEWSLETTER_CONFIRM_DAYS)
    value = signing.loads(token, salt=CONFIRM_SALT, max_age=max_age)
    return NewsletterSubscription.objects.get(token=value)


def ip_hash(address):
    """A keyed hash of the client address: enough to spot abuse in the consent record, not to find anyone."""
    return hmac.new(
        settings.SECRET_KEY.encode(), f"newsletter-ip:{address}".encode(), hashlib.sha256
    ).hexdigest()[:32]


def _unsubscribe_url(subscription):
    return settings.PORTAL_URL.rstrip("/") + subscription.get_unsubscribe_url()


def _unsubscribe_headers(subscription):
    # RFC 2369 and RFC 8058: mail clients offer an unsubscribe button that POSTs to the link.
    return {
        "List-Unsubscribe": f"<{_unsubscribe_url(subscription)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _newsletter_mail(subscription, template, context=None, connection=None):
    """Render in the subscriber's language; returns an EmailMessage with the unsubscribe headers."""
    with translation.override(subscription.language or settings.LANGUAGE_CODE):
        text = render_to_string(
            template,
            {
                "PORTAL_URL": settings.PORTAL_URL,
                "subscription": subscription,
                "unsubscribe_url": _unsubscribe_url(subscription),
                **(context or {}),
            },
        )
    subject, _sep, body = text.strip().partition("\n")
    return EmailMessage(
        subject.strip(),
        body.strip() + "\n",
        to=[subscription.email],
        headers=_unsubscribe_headers(subscription),
        connection=connection,
    )


def _send_after_commit(message):
    message.connection = message.connection or get_connection()

    def send():
        try:
            message.send()
        except Exception:  # the subscription is saved; the visitor can ask again
            logger.exception("Newsletter e-mail %r could not be sent", message.subject)

    transaction.on_commit(send)


def _may_mail(subscription, now):
    interval = datetime.timedelta(minutes=settings.NEWSLETTER_MAIL_INTERVAL_MINUTES)
    return subscription.last_mailed_at is None or now - subscription.last_mailed_at >= interval


@transaction.atomic
def newsletter_subscribe(*, email, language="en", ecosystems=(), stages=(), now=None):
    """Record a request to subscribe and e-mail a confirmation link.

    The caller shows the same answer whatever happens here, so nobody can learn whether an address is
    subscribed; an address gets at most one e-mail per NEWSLETTER_MAIL_INTERVAL_MINUTES.
    Returns the subscription and whether an e-mail was sent.
    """
    now = now or timezone.now()
    email = email.strip()
    subscription, created = NewsletterSubscription.objects.select_for_update().get_or_create(
        email__iexact=email, defaults={"email": email.lower(), "language": language}
    )
    if not created and not _may_mail(subscription, now):
        return subscription, False
    if subscription.status == SubscriptionStatus.CONFIRMED:
        # Already subscribed: tell the owner (not the visitor), and change nothing else.
        subscription.last_mailed_at = now
        subscription.save(update_fields=["last_mailed_at"])
        template, context = "support_services/email/newsletter_already_subscribed.txt", {}
    else:
        subscription.status = SubscriptionStatus.PENDING
        subscription.language = language
        subscription.stages = [str(stage) for stage in stages]
        subscription.last_mailed_at = now
        subscription.full_clean(exclude=["email"])
        subscription.save()
        subscription.ecosystems.set(ecosystems)
        confirm_path = reverse(
            "newsletter:confirm", kwargs={"token": newsletter_confirm_token(subscription=subscription)}
        )
        template = "support_services/email/newsletter_confirm.txt"
        context = {
            "confirm_url": settings.PORTAL_URL.rstrip("/") + confirm_path,
            "days": settings.NEWSLETTER_CONFIRM_DAYS,
        }
    _send_after_commit(_newsletter_mail(subscription, template, context))
    return subscription, True


@transaction.atomic
def newsletter_confirm(*, subscription, ip_address="", now=None):
    """The owner followed the link: the subscription becomes active and the consent is recorded."""
    subscription = NewsletterSubscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.status == SubscriptionStatus.CONFIRMED:
        return subscription
    subscription.status = SubscriptionStatus.CONFIRMED
    subscription.confirmed_at = now or timezone.now()
    subscription.consent_ip_hash = ip_hash(ip_address) if ip_address else ""
    subscription.privacy_notice_version = settings.PRIVACY_NOTICE_VERSION
    subscription.unsubscribed_at = None
    subscription.save()
    return subscription


@transaction.atomic
def newsletter_unsubscribe(*, subscription, now=None):
    """Stop every newsletter e-mail to this address; the consent record is cleared with it."""
    subscription = NewsletterSubscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.status == SubscriptionStatus.UNSUBSCRIBED:
        return subscription
    subscription.status = SubscriptionStatus.UNSUBSCRIBED
    subscription.unsubscribed_at = now or timezone.now()
    subscription.confirmed_at = None
    subscription.consent_ip_hash = ""
    subscription.save()
    return subscription


def send_newsletter(*, subject, body):
    """Send one newsletter to every confirmed subscriber, each with their own unsubscribe link and the
    List-Unsubscribe headers; returns how many e-mails were sent."""
    connection = get_connection()
    messages = [
        _newsletter_mail(
            subscription,
            "support_services/email/newsletter.txt",
            {"subject": " ".join(str(subject).split()), "body": body},
            connection=connection,
        )
        for subscription in NewsletterSubscription.objects.filter(
            status=SubscriptionStatus.CONFIRMED
        ).order_by("pk")
    ]
    return connection.send_messages(messages) or 0


# --- Support requests from coordinators ---------------------------------------------------------------


def _staff_emails(partnership):
    """The partnership's assigned staff (lead first), else the support services' shared address."""
    emails = [
        email
        for email in StaffAssignment.objects.filter(partnership=partnership, staff__is_active=True)
        .order_by("-is_lead", "pk")
        .values_list("staff__email", flat=True)
        if email
    ]
    return emails or [settings.SUPPORT_SERVICES_EMAIL]


def _admin_url(request):
    return settings.PORTAL_URL.rstrip("/") + f"/admin/support_services/supportrequest/{request.pk}/change/"


@transaction.atomic
def support_request_create(*, partnership, user, topic, message, stage="", language=None):
    """A coordinator asks the support services for help; the assigned staff are told by e-mail."""
    if not registry.coordinator_can_manage(user=user, partnership=partnership):
        raise PermissionDenied
    lead = (
        StaffAssignment.objects.filter(partnership=partnership, staff__is_active=True)
        .order_by("-is_lead", "pk")
        .select_related("staff")
        .first()
    )
    request = SupportRequest(
        partnership=partnership,
        requested_by=user,
        language=language or translation.get_language() or settings.LANGUAGE_CODE,
        topic=topic,
        stage=stage or partnership.stage,
        message=(message or "").strip(),
        assigned_to=lead.staff if lead else None,
    )
    request.full_clean()
    request.save()
    registry.send_after_commit(
        template="support_services/email/support_request_staff.txt",
        context={"support_request": request, "partnership": partnership, "admin_url": _admin_url(request)},
        recipients=_staff_emails(partnership),
        language=settings.LANGUAGE_CODE,
    )
    return request


def support_request_can_transition(*, support_request, to_status):
    """(allowed, reason), as for every workflow here."""
    if to_status not in SUPPORT_REQUEST_TRANSITIONS.get(support_request.status, set()):
        return False, _("A request that is “%(status)s” cannot become “%(to)s”.") % {
            "status": support_request.get_status_display(),
            "to": SupportRequestStatus(to_status).label,
        }
    return True, ""


def _lock_request(support_request, to_status):
    # Lock the request row only: PostgreSQL refuses FOR UPDATE on the nullable side of an outer join.
    locked = (
        SupportRequest.objects.select_for_update(of=("self",))
        .select_related("partnership", "requested_by")
        .get(pk=support_request.pk)
    )
    allowed, reason = support_request_can_transition(support_request=locked, to_status=to_status)
    if not allowed:
        raise ValidationError(reason)
    return locked


@transaction.atomic
def support_request_answer(*, support_request, by, answer, log_activity=False, activity_kind=None):
    """Staff answer a request: stored, shown in the coordinator area and e-mailed in the coordinator's
    language; optionally logged as a support activity (the answer becomes its shared summary)."""
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Write the answer for the coordinator.")})
    locked = _lock_request(support_request, SupportRequestStatus.ANSWERED)
    locked.status = SupportRequestStatus.ANSWERED
    locked.answer, locked.answered_by, locked.answered_at = answer, by, timezone.now()
    if locked.assigned_to_id is None and by is not None and by.is_staff:
        locked.assigned_to = by
    if log_activity and locked.activity_id is None:
        locked.activity = support_activity_save(
            activity=SupportActivity(
                partnership=locked.partnership,
                kind=activity_kind or TOPIC_ACTIVITY_KIND.get(locked.topic, SupportActivityKind.GUIDANCE),
                date=timezone.localdate(),
                stage=locked.stage,
                staff=by if by is not None and by.is_staff else None,
                summary=answer,
            )
        )
    locked.full_clean()
    locked.save()
    coordinator = locked.requested_by
    if coordinator is not None and coordinator.is_active and coordinator.email:
        registry.send_after_commit(
            template="support_services/email/support_request_answered.txt",
            context={
                "support_request": locked,
                "partnership": locked.partnership,
                "requests_url": settings.PORTAL_URL.rstrip("/")
                + reverse("support_services:coordinator_requests"),
            },
            recipients=[coordinator.email],
            language=locked.language,
        )
    support_request.status = locked.status
    return locked


@transaction.atomic
def support_request_close(*, support_request, by):
    locked = _lock_request(support_request, SupportRequestStatus.CLOSED)
    locked.status, locked.closed_at = SupportRequestStatus.CLOSED, timezone.now()
    locked.save(update_fields=["status", "closed_at"])
    support_request.status = locked.status
    return locked


TOPIC_ACTIVITY_KIND = {
    SupportTopic.FUNDING: SupportActivityKind.FUNDING_ADVICE,
    SupportTopic.MATCHMAKING: SupportActivityKind.MATCHMAKING,
    SupportTopic.VISIBILITY: SupportActivityKind.VISIBILITY,
}


def newsletter_purge_unconfirmed(*, now=None):
    """Delete subscriptions nobody confirmed within NEWSLETTER_CONFIRM_DAYS (their link has expired): the
    address may have been typed by someone else, so it is not kept. Returns how many were deleted."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.NEWSLETTER_CONFIRM_DAYS)
    stale = NewsletterSubscription.objects.filter(status=SubscriptionStatus.PENDING).filter(
        Q(last_mailed_at__lt=cutoff) | Q(last_mailed_at__isnull=True, created_at__lt=cutoff)
    )
    deleted, _by_model = stale.delete()
    return deleted
