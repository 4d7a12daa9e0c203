"""Every write to a declaration goes through these functions (keyword-only, named <noun>_<verb>).

Each status change is one service: atomic, row-locked, guarded by the same rule the pages use to show or
hide the action, audited as a ReviewEvent, and followed by its e-mails once the transaction commits.
"""

import hashlib
import json
import secrets
from datetime import timedelta

import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pact_portal.pdf import render_pdf
from partnerships.models import CoordinatorAccess, Membership
from partnerships.services import send_after_commit

from . import signing
from .models import (
    CHARTER_PRINCIPLES,
    EDITABLE_STATUSES,
    KPI,
    TRANSITIONS,
    Action,
    Declaration,
    DeclarationStatus,
    KPIProgress,
    Objective,
    ReviewEvent,
    Signatory,
    Signature,
    SignatureMethod,
)

S = DeclarationStatus
OPEN_STATUSES = {S.DRAFT, S.SUBMITTED, S.CHANGES_REQUESTED, S.APPROVED}
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


# --- Content and its fingerprint -------------------------------------------------------------------


def declaration_content(declaration):
    """The declaration's content as plain data, in a fixed order: what signatories sign."""
    return {
        "partnership": {"slug": declaration.partnership.slug, "name": declaration.partnership.name},
        "version": declaration.version,
        "challenge": declaration.challenge,
        "ambition": declaration.ambition,
        "principles": {field: getattr(declaration, field) for field, _label in CHARTER_PRINCIPLES},
        "objectives": [o.text for o in declaration.objectives.all()],
        "actions": [
            {
                "what": a.what,
                "lead": a.lead_organisation.name if a.lead_organisation_id else "",
                "start": a.start.isoformat() if a.start else "",
                "end": a.end.isoformat() if a.end else "",
            }
            for a in declaration.actions.all()
        ],
        "kpis": [
            {
                "indicator": k.indicator,
                "unit": k.unit,
                "baseline": f"{k.baseline:.2f}",
                "target": f"{k.target:.2f}",
                "target_year": k.target_year,
            }
            for k in declaration.kpis.all()
        ],
    }


def declaration_fingerprint(declaration):
    """SHA-256 over the canonical JSON serialisation (sorted keys, no spaces, UTF-8) of the content."""
    canonical = json.dumps(
        declaration_content(declaration), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def declaration_text(declaration):
    """The content as readable lines, for the reviewers' diff against the previous version."""
    content = declaration_content(declaration)
    lines = [
        f"# {_('Skills challenge')}",
        content["challenge"],
        "",
        f"# {_('Ambition')}",
        content["ambition"],
    ]
    lines += ["", f"# {_('Charter principles')}"]
    lines += [f"[{'x' if getattr(declaration, f) else ' '}] {label}" for f, label in CHARTER_PRINCIPLES]
    lines += ["", f"# {_('Objectives')}"] + [f"- {text}" for text in content["objectives"]]
    lines += ["", f"# {_('Actions')}"]
    lines += [f"- {a['what']} | {a['lead']} | {a['start']} – {a['end']}" for a in content["actions"]]
    lines += ["", f"# {_('KPIs')}"]
    lines += [
        f"- {k['indicator']}: {k['baseline']} → {k['target']} {k['unit']} ({k['target_year']})"
        for k in content["kpis"]
    ]
    return "\n".join(lines).splitlines()


# --- Guards --------------------------------------------------------------------------------------


def declaration_can_transition(*, declaration, to_status):
    """(allowed, reason) for moving ``declaration`` to ``to_status``."""
    if to_status not in TRANSITIONS.get(declaration.status, set()):
        return False, _("A declaration cannot go from “%(from)s” to “%(to)s”.") % {
            "from": S(declaration.status).label,
            "to": S(to_status).label,
        }
    if to_status == S.SUBMITTED:
        if not declaration.challenge.strip() or not declaration.ambition.strip():
            return False, _("Describe the skills challenge and the ambition before submitting.")
        if not declaration.objectives.exists() and not declaration.kpis.exists():
            return False, _("Add at least one objective or KPI before submitting.")
    if to_status == S.SIGNED:
        if declaration_fingerprint(declaration) != declaration.approved_fingerprint:
            return False, _("The declaration changed after approval; it must be reviewed again.")
        signatories = list(declaration.signatories.all())
        if not signatories:
            return False, _("Choose the signatories first.")
        signed = set(Signature.objects.filter(declaration=declaration).values_list("signatory_id", flat=True))
        missing = [s for s in signatories if s.pk not in signed]
        if missing:
            return False, _("Waiting for %(count)s signature(s).") % {"count": len(missing)}
    return True, ""


def _lock(declaration):
    return Declaration.objects.select_for_update().select_related("partnership").get(pk=declaration.pk)


def _audit(declaration, *, actor, action, from_status="", to_status="", comment=""):
    return ReviewEvent.objects.create(
        declaration=declaration,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
    )


def _coordinator_emails(partnership):
    return list(
        CoordinatorAccess.objects.filter(partnership=partnership, user__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )


def _transition(declaration, *, to_status, actor, action, comment="", **updates):
    locked = _lock(declaration)
    allowed, reason = declaration_can_transition(declaration=locked, to_status=to_status)
    if not allowed:
        raise ValidationError(reason)
    from_status = locked.status
    locked.status = to_status
    for field, value in updates.items():
        setattr(locked, field, value)
    locked.full_clean()
    locked.save()
    _audit(locked, actor=actor, action=action, from_status=from_status, to_status=to_status, comment=comment)
    declaration.refresh_from_db()
    return locked


def _notify_coordinators(declaration, *, subject, comment=""):
    recipients = _coordinator_emails(declaration.partnership)
    if recipients:
        send_after_commit(
            subject=subject,
            template="commitments/email/declaration_status.txt",
            context={
                "declaration": declaration,
                "comment": comment,
                "coordinator_url": settings.PORTAL_URL.rstrip("/")
                + reverse("commitments:coordinator_declaration", kwargs={"pk": declaration.pk}),
            },
            recipients=recipients,
        )


# --- Drafting --------------------------------------------------------------------------------------


@transaction.atomic
def declaration_create(*, partnership, actor=None, is_demo=False):
    """Open a new draft version, copying the content of the latest version (or the partnership's profile)."""
    if partnership.declarations.filter(status__in=OPEN_STATUSES).exists():
        raise ValidationError(_("This partnership already has a declaration in progress."))
    latest = partnership.declarations.order_by("-version").first()
    version = (partnership.declarations.aggregate(v=Max("version"))["v"] or 0) + 1
    declaration = Declaration(
        partnership=partnership,
        version=version,
        challenge=latest.challenge if latest else partnership.challenge,
        ambition=latest.ambition if latest else partnership.ambition,
        is_demo=is_demo,
    )
    if latest:
        for field, _label in CHARTER_PRINCIPLES:
            setattr(declaration, field, getattr(latest, field))
    declaration.full_clean()
    declaration.save()
    if latest:
        Objective.objects.bulk_create(
            Objective(declaration=declaration, text=o.text, position=o.position)
            for o in latest.objectives.all()
        )
        Action.objects.bulk_create(
            Action(
                declaration=declaration,
                what=a.what,
                lead_organisation_id=a.lead_organisation_id,
                start=a.start,
                end=a.end,
                position=a.position,
            )
            for a in latest.actions.all()
        )
        KPI.objects.bulk_create(
            KPI(
                declaration=declaration,
                indicator=k.indicator,
                unit=k.unit,
                baseline=k.baseline,
                target=k.target,
                target_year=k.target_year,
                position=k.position,
            )
            for k in latest.kpis.all()
        )
    _audit(declaration, actor=actor, action="created", to_status=S.DRAFT)
    return declaration


@transaction.atomic
def declaration_save_content(
    *, declaration, actor=None, challenge, ambition, principles, objectives, actions, kpis
):
    """Replace the content of an editable declaration.

    ``principles``: the set of principle field names adhered to; ``objectives``: texts; ``actions`` and
    ``kpis``: dicts of their fields, in order.
    """
    locked = _lock(declaration)
    if locked.status not in EDITABLE_STATUSES:
        raise ValidationError(_("Only a draft, or a declaration sent back for changes, can be edited."))
    locked.challenge, locked.ambition = challenge, ambition
    for field, _label in CHARTER_PRINCIPLES:
        setattr(locked, field, field in principles)
    locked.full_clean()
    locked.save()
    locked.objectives.all().delete()
    locked.actions.all().delete()
    locked.kpis.all().delete()
    rows = [Objective(declaration=locked, text=text, position=i) for i, text in enumerate(objectives)]
    rows += [Action(declaration=locked, position=i, **a) for i, a in enumerate(actions)]
    rows += [KPI(declaration=locked, position=i, **k) for i, k in enumerate(kpis)]
    for row in rows:
        row.full_clean(exclude=["declaration"])
    for model in (Objective, Action, KPI):
        model.objects.bulk_create([r for r in rows if isinstance(r, model)])
    _audit(locked, actor=actor, action="edited")
    declaration.refresh_from_db()
    return locked


@transaction.atomic
def declaration_add_kpi(*, declaration, actor=None, indicator, unit, baseline, target, target_year):
    """Append one KPI to an editable declaration (e.g. copied from the KPI repository)."""
    locked = _lock(declaration)
    if locked.status not in EDITABLE_STATUSES:
        raise ValidationError(_("KPIs can only be added to a draft, or a declaration sent back for changes."))
    if locked.kpis.filter(indicator=indicator, unit=unit).exists():
        raise ValidationError(_("Your draft already has the KPI “%(indicator)s”.") % {"indicator": indicator})
    position = (locked.kpis.aggregate(p=Max("position"))["p"] or 0) + 1
    kpi = KPI(
        declaration=locked,
        indicator=indicator,
        unit=unit,
        baseline=baseline,
        target=target,
        target_year=target_year,
        position=position,
    )
    kpi.full_clean()
    kpi.save()
    _audit(locked, actor=actor, action="kpi_added", comment=f"{indicator} ({unit})")
    return kpi


# --- Review ---------------------------------------------------------------------------------------


@transaction.atomic
def declaration_submit(*, declaration, actor=None):
    locked = _transition(
        declaration, to_status=S.SUBMITTED, actor=actor, action="submitted", submitted_at=timezone.now()
    )
    send_after_commit(
        subject=_("Declaration submitted for review: %(name)s v%(version)s")
        % {"name": locked.partnership.name, "version": locked.version},
        template="commitments/email/declaration_submitted.txt",
        context={"declaration": locked},
        recipients=[settings.SUPPORT_SERVICES_EMAIL],
    )
    return locked


@transaction.atomic
def declaration_request_changes(*, declaration, actor, comment):
    if not comment.strip():
        raise ValidationError(_("Say which changes are needed."))
    locked = _transition(
        declaration,
        to_status=S.CHANGES_REQUESTED,
        actor=actor,
        action="changes_requested",
        comment=comment.strip(),
    )
    _notify_coordinators(
        locked,
        subject=_("Changes requested to your declaration of commitment (v%(version)s)")
        % {"version": locked.version},
        comment=comment.strip(),
    )
    return locked


@transaction.atomic
def declaration_approve(*, declaration, actor, comment=""):
    fingerprint = declaration_fingerprint(declaration)
    locked = _transition(
        declaration,
        to_status=S.APPROVED,
        actor=actor,
        action="approved",
        comment=comment.strip(),
        approved_at=timezone.now(),
        approved_fingerprint=fingerprint,
    )
    _notify_coordinators(
        locked,
        subject=_("Your declaration of commitment (v%(version)s) is approved: invite the signatories")
        % {"version": locked.version},
        comment=comment.strip(),
    )
    return locked


@transaction.atomic
def declaration_withdraw(*, declaration, actor, comment=""):
    locked = _transition(
        declaration, to_status=S.WITHDRAWN, actor=actor, action="withdrawn", comment=comment.strip()
    )
    locked.signatories.filter(link_used_at__isnull=True).update(token_hash="")
    return locked


def declaration_comment(*, declaration, actor, comment):
    if not comment.strip():
        raise ValidationError(_("Write a comment."))
    return _audit(declaration, actor=actor, action="commented", comment=comment.strip())


# --- Signatories and signatures -------------------------------------------------------------------


def signatory_can_be_chosen(*, declaration):
    if declaration.status != S.APPROVED:
        return False, _("Signatories are chosen once the declaration is approved.")
    return True, ""


@transaction.atomic
def signatories_set(*, declaration, actor=None, choices):
    """Set the required signatories: ``choices`` maps each member organisation to a person's e-mail.

    Organisations that already signed keep their signature; others are replaced.
    """
    locked = _lock(declaration)
    allowed, reason = signatory_can_be_chosen(declaration=locked)
    if not allowed:
        raise ValidationError(reason)
    members = set(
        Membership.objects.filter(partnership=locked.partnership, left_on__isnull=True).values_list(
            "organisation_id", flat=True
        )
    )
    outsiders = [org for org in choices if org.pk not in members]
    if outsiders:
        raise ValidationError(_("Signatories must represent current member organisations."))
    signed = set(locked.signatures.values_list("organisation_id", flat=True))
    locked.signatories.exclude(organisation_id__in=signed).delete()
    created = []
    for organisation, email in choices.items():
        if organisation.pk in signed:
            continue
        signatory = Signatory(declaration=locked, organisation=organisation, email=email)
        signatory.full_clean(exclude=["declaration"])
        signatory.save()
        created.append(signatory)
    _audit(
        locked,
        actor=actor,
        action="signatories_chosen",
        comment=", ".join(f"{s.organisation.name} <{s.email}>" for s in created),
    )
    return created


def _token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def signatory_send_link(*, signatory, actor=None):
    """Issue a fresh personal signing link (the previous one stops working) and e-mail it. Returns the token."""
    locked = (
        Signatory.objects.select_for_update().select_related("declaration__partnership").get(pk=signatory.pk)
    )
    declaration = locked.declaration
    if declaration.status != S.APPROVED:
        raise ValidationError(_("Signing links are sent once the declaration is approved."))
    if Signature.objects.filter(signatory=locked).exists():
        raise ValidationError(_("This organisation has already signed."))
    if not locked.email:
        raise ValidationError(_("Give the signatory's e-mail address first."))
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    locked.token_hash = _token_hash(token)
    locked.link_fingerprint = declaration.approved_fingerprint
    locked.link_sent_at = now
    locked.link_expires_at = now + timedelta(days=settings.DECLARATION_SIGNING_LINK_DAYS)
    locked.link_used_at = None
    locked.save()
    _audit(declaration, actor=actor, action="signing_link_sent", comment=f"{locked.organisation.name}")
    send_after_commit(
        subject=_("Please sign the declaration of commitment of %(name)s")
        % {"name": declaration.partnership.name},
        template="commitments/email/signing_link.txt",
        context={
            "declaration": declaration,
            "signatory": locked,
            "signing_url": settings.PORTAL_URL.rstrip("/")
            + reverse("commitments:sign", kwargs={"token": token}),
            "expires": locked.link_expires_at,
        },
        recipients=[locked.email],
    )
    signatory.refresh_from_db()
    return token


def signing_link_check(*, token, lock=False):
    """(signatory or None, reason): a link works once, until it expires, for the version it was sent for."""
    queryset = Signatory.objects.select_related("declaration__partnership", "organisation")
    if lock:
        queryset = queryset.select_for_update()
    signatory = queryset.filter(token_hash=_token_hash(token)).first() if token else None
    if signatory is None:
        return None, _("This signing link is not valid.")
    if signatory.link_used_at is not None:
        return None, _("This signing link has already been used.")
    if signatory.link_expires_at is None or signatory.link_expires_at < timezone.now():
        return None, _("This signing link has expired. Ask the coordinator for a new one.")
    declaration = signatory.declaration
    if declaration.status != S.APPROVED:
        return None, _("This declaration is no longer open for signature.")
    if declaration_fingerprint(declaration) != signatory.link_fingerprint:
        return None, _("The declaration changed after this link was sent; this link no longer works.")
    return signatory, ""


@transaction.atomic
def signature_sign_online(*, token, name, title, statement_accepted):
    if not statement_accepted:
        raise ValidationError(_("Confirm the statement to sign."))
    if not name.strip() or not title.strip():
        raise ValidationError(_("Give your name and title."))
    signatory, reason = signing_link_check(token=token, lock=True)
    if signatory is None:
        raise ValidationError(reason)
    Declaration.objects.select_for_update().get(pk=signatory.declaration_id)
    now = timezone.now()
    signature = Signature(
        declaration=signatory.declaration,
        signatory=signatory,
        name=name.strip(),
        title=title.strip(),
        organisation=signatory.organisation,
        signed_at=now,
        fingerprint=signatory.link_fingerprint,
        method=SignatureMethod.ONLINE,
    )
    signature.full_clean()
    signature.save()
    signatory.link_used_at = now
    signatory.token_hash = ""
    signatory.save(update_fields=["link_used_at", "token_hash"])
    _audit(
        signatory.declaration,
        actor=None,
        action="signed",
        comment=f"{signature.name}, {signature.title}, {signature.organisation.name}",
    )
    return signature


PDF_MAGIC = b"%PDF-"


def validate_scanned_pdf(upload):
    """A scanned paper original: a PDF by declared type, by name and by its first bytes, and not too large."""
    if upload.size > settings.DECLARATION_SCAN_MAX_BYTES:
        raise ValidationError(
            _("The scan is too large (at most %(mb)s MB).")
            % {"mb": settings.DECLARATION_SCAN_MAX_BYTES // 2**20}
        )
    content_type = getattr(upload, "content_type", "application/pdf")
    if content_type != "application/pdf" or not upload.name.lower().endswith(".pdf"):
        raise ValidationError(_("Upload the scan as a PDF file."))
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head != PDF_MAGIC:
        raise ValidationError(_("This file is not a PDF."))


@transaction.atomic
def signature_record(
    *, signatory, name, title, actor, signed_at=None, scan=None, method=SignatureMethod.PAPER
):
    """Staff record a signature given on paper (with its scan), or the demo records an invented one."""
    locked = (
        Signatory.objects.select_for_update()
        .select_related("declaration", "organisation")
        .get(pk=signatory.pk)
    )
    declaration = _lock(locked.declaration)
    if declaration.status != S.APPROVED:
        raise ValidationError(_("Signatures are collected while the declaration is approved."))
    if Signature.objects.filter(signatory=locked).exists():
        raise ValidationError(_("This organisation has already signed."))
    if method == SignatureMethod.PAPER:
        if scan is None:
            raise ValidationError(_("Upload the scanned paper original."))
        validate_scanned_pdf(scan)
    signature = Signature(
        declaration=declaration,
        signatory=locked,
        name=name.strip(),
        title=title.strip(),
        organisation=locked.organisation,
        signed_at=signed_at or timezone.now(),
        fingerprint=declaration.approved_fingerprint,
        method=method,
        recorded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    if scan is not None:
        signature.scan.save(f"{declaration.pk}-{locked.pk}.pdf", scan, save=False)
    signature.full_clean()
    signature.save()
    locked.link_used_at = timezone.now()
    locked.token_hash = ""
    locked.save(update_fields=["link_used_at", "token_hash"])
    _audit(
        declaration,
        actor=actor,
        action="signature_recorded",
        comment=f"{signature.name}, {signature.title}, {signature.organisation.name} ({signature.get_method_display()})",
    )
    return signature


# --- Countersignature: the signed PDF ---------------------------------------------------------------


def _new_verification_code():
    while True:
        raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
        code = f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"
        if not Declaration.objects.filter(verification_code=code).exists():
            return code


def verify_url(code):
    return settings.PORTAL_URL.rstrip("/") + reverse("commitments:verify", kwargs={"code": code})


def declaration_pdf_context(declaration):
    from . import selectors

    # A preview has no code yet: it prints where the code will appear, without a QR code.
    code = declaration.verification_code
    url = verify_url(code) if code else settings.PORTAL_URL.rstrip("/") + "/verify/"
    return {
        "declaration": declaration,
        "objectives": list(declaration.objectives.all()),
        "actions": list(declaration.actions.select_related("lead_organisation")),
        "kpis": list(declaration.kpis.all()),
        "signatures": selectors.signatures_in_order(declaration),
        "verify_url": url,
        "qr_svg": segno.make(url, error="m").svg_data_uri(scale=3, border=1) if code else "",
        "PORTAL_URL": settings.PORTAL_URL,
    }


def declaration_render_pdf(declaration):
    """The print layout of the declaration (unsigned bytes). Used for the stored PDF and the preview."""
    return render_pdf("pdf/declaration.html", declaration_pdf_context(declaration))


@transaction.atomic
def declaration_countersign(*, declaration, actor):
    """Countersign: the declaration becomes signed, its PDF is rendered once, PAdES-signed, stored, fingerprinted.

    The previous signed version of the partnership becomes superseded.
    """
    locked = _lock(declaration)
    allowed, reason = declaration_can_transition(declaration=locked, to_status=S.SIGNED)
    if not allowed:
        raise ValidationError(reason)
    now = timezone.now()
    from_status = locked.status
    locked.status = S.SIGNED
    locked.signed_at = now
    locked.countersigned_by = actor if actor is not None and actor.is_authenticated else None
    locked.verification_code = _new_verification_code()
    unsigned = declaration_render_pdf(locked)
    signed = signing.pades_sign(
        unsigned,
        reason=_(
            "Declaration of commitment v%(version)s, countersigned by the Pact for Skills support services"
        )
        % {"version": locked.version},
        location=settings.PORTAL_URL,
    )
    locked.pdf_sha256 = hashlib.sha256(signed).hexdigest()
    locked.pdf.save(f"v{locked.version}.pdf", ContentFile(signed), save=False)
    locked.full_clean()
    locked.save()
    _audit(locked, actor=actor, action="countersigned", from_status=from_status, to_status=S.SIGNED)
    for previous in (
        Declaration.objects.select_for_update()
        .filter(partnership=locked.partnership, status=S.SIGNED)
        .exclude(pk=locked.pk)
    ):
        previous.status = S.SUPERSEDED
        previous.save(update_fields=["status", "updated_at"])
        _audit(
            previous,
            actor=actor,
            action="superseded",
            from_status=S.SIGNED,
            to_status=S.SUPERSEDED,
            comment=_("Superseded by version %(version)s.") % {"version": locked.version},
        )
    _notify_coordinators(
        locked,
        subject=_("Your declaration of commitment (v%(version)s) is signed and published")
        % {"version": locked.version},
    )
    declaration.refresh_from_db()
    return locked


# --- KPI progress ---------------------------------------------------------------------------------


def kpi_progress_report(*, kpi, value, reported_on, note="", actor=None):
    if kpi.declaration.status != S.SIGNED:
        raise ValidationError(_("Progress is reported against the current signed declaration."))
    progress = KPIProgress(kpi=kpi, value=value, reported_on=reported_on, note=note, reported_by=actor)
    progress.full_clean()
    progress.save()
    _audit(kpi.declaration, actor=actor, action="progress_reported", comment=f"{kpi.indicator}: {value}")
    return progress


def pdf_matches(*, declaration, data):
    """Do these bytes equal the stored signed PDF of ``declaration``?"""
    return bool(declaration.pdf_sha256) and hashlib.sha256(data).hexdigest() == declaration.pdf_sha256
