"""Signatories and their signatures: chosen once approved, personal signing links, online and paper signing.

Each signature locks the declaration's row and then its signatory's (``pact_portal.workflow.lock``), in
the order the transitions use, so a signature and a countersignature or withdrawal cannot interleave.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pact_portal import filetypes, workflow
from pact_portal.mail import absolute_url, lazy_format, send_after_commit

from ..models import Declaration, DeclarationStatus, Signatory, Signature, SignatureMethod
from .content import declaration_fingerprint
from .history import review_event_write

S = DeclarationStatus


def signatory_can_be_chosen(*, declaration):
    if declaration.status != S.APPROVED:
        return False, _("Signatories are chosen once the declaration is approved.")
    return True, ""


@transaction.atomic
def signatories_set(*, declaration, actor=None, choices):
    """Set the required signatories: ``choices`` maps each member organisation to a person's e-mail.

    Organisations that already signed keep their signature; others are replaced.
    """
    locked = workflow.lock(Declaration.objects.select_related("partnership"), pk=declaration.pk)
    allowed, reason = signatory_can_be_chosen(declaration=locked)
    if not allowed:
        raise ValidationError(reason)
    members = set(locked.partnership.memberships.current().values_list("organisation_id", flat=True))
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
    review_event_write(
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
    locked = workflow.lock(
        Signatory.objects.select_related("declaration__partnership", "organisation"), pk=signatory.pk
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
    review_event_write(
        declaration, actor=actor, action="signing_link_sent", comment=f"{locked.organisation.name}"
    )
    # In the language the declaration was drafted in: the signatory reads its PDF in that language too.
    send_after_commit(
        subject=lazy_format(
            gettext_lazy("Please sign the declaration of commitment of %(name)s"),
            name=declaration.partnership.name,
        ),
        language=declaration.language,
        template="commitments/email/signing_link.txt",
        context={
            "declaration": declaration,
            "signatory": locked,
            "signing_url": absolute_url(reverse("commitments:sign", kwargs={"token": token})),
            "expires": locked.link_expires_at,
        },
        recipients=[locked.email],
    )
    signatory.refresh_from_db()
    return token


def signing_link_check(*, token, lock=False):
    """(signatory or None, reason): a link works once, until it expires, for the version it was sent for."""
    signatory = None
    if token:
        queryset = Signatory.objects.select_related("declaration__partnership", "organisation")
        try:
            if lock:
                signatory = workflow.lock(queryset, token_hash=_token_hash(token))
            else:
                signatory = queryset.get(token_hash=_token_hash(token))
        except Signatory.DoesNotExist:
            signatory = None
    if signatory is None:
        return None, _("This signing link is not valid.")
    if signatory.link_used_at is not None:
        signature = signing_link_signature(token=token)
        if signature is not None:
            return None, _("%(organisation)s already signed this declaration on %(date)s.") % {
                "organisation": signature.organisation.name,
                "date": date_format(timezone.localtime(signature.signed_at), "DATE_FORMAT"),
            }
        return None, _("This signing link has already been used.")
    if signatory.link_expires_at is None or signatory.link_expires_at < timezone.now():
        return None, _("This signing link has expired. Ask the coordinator for a new one.")
    declaration = signatory.declaration
    if declaration.status != S.APPROVED:
        return None, _("This declaration is no longer open for signature.")
    if declaration_fingerprint(declaration) != signatory.link_fingerprint:
        return None, _("The declaration changed after this link was sent; this link no longer works.")
    return signatory, ""


def signing_link_signature(*, token):
    """The signature given through this personal link (or recorded on paper for its signatory), or None.

    A used link keeps its hash so that opening it again says when the organisation signed."""
    if not token:
        return None
    return (
        Signature.objects.filter(signatory__token_hash=_token_hash(token))
        .select_related("organisation", "declaration__partnership")
        .first()
    )


@transaction.atomic
def signature_sign_online(*, token, name, title, statement_accepted):
    if not statement_accepted:
        raise ValidationError(_("Confirm the statement to sign."))
    if not name.strip() or not title.strip():
        raise ValidationError(_("Give your name and title."))
    signatory, reason = signing_link_check(token=token)
    if signatory is not None:
        # The declaration first, as every transition locks it, then the link read again under both locks.
        workflow.lock(Declaration, pk=signatory.declaration_id)
        signatory, reason = signing_link_check(token=token, lock=True)
    if signatory is None:
        raise ValidationError(reason)
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
    signatory.save(update_fields=["link_used_at"])
    review_event_write(
        signatory.declaration,
        actor=None,
        action="signed",
        comment=f"{signature.name}, {signature.title}, {signature.organisation.name}",
    )
    return signature


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
    data = upload.read()
    upload.seek(0)
    if not filetypes.is_pdf(data):
        raise ValidationError(_("This file is not a PDF."))


@transaction.atomic
def signature_record(
    *, signatory, name, title, actor, signed_at=None, scan=None, method=SignatureMethod.PAPER
):
    """Staff record a signature given on paper (with its scan), or the demo records an invented one."""
    # The declaration first, as every transition locks it, then the signatory.
    declaration = workflow.lock(
        Declaration.objects.select_related("partnership"), pk=signatory.declaration_id
    )
    locked = workflow.lock(Signatory.objects.select_related("organisation"), pk=signatory.pk)
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
    locked.save(update_fields=["link_used_at"])
    review_event_write(
        declaration,
        actor=actor,
        action="signature_recorded",
        comment=f"{signature.name}, {signature.title}, {signature.organisation.name} ({signature.get_method_display()})",
    )
    return signature
