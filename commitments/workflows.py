"""The declaration of commitment's state machine (DESIGN §3), as data run by ``pact_portal.workflow``.

draft → submitted → changes_requested → submitted … → approved → signed → superseded; withdrawn from any
open state. Signatures are collected while approved (``services.signatures``); countersigning when they
are all in makes the declaration signed, freezes its PDF and publishes it with its partnership, which
must therefore be published already. Countersigning a newer version supersedes the older one.
"""

import hashlib
import secrets
from functools import partial

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from pact_portal import workflow as wf
from pact_portal.i18n import record_note
from pact_portal.mail import lazy_format, send_after_commit
from partnerships.services import coordinator_can_manage

from . import signing
from .models import Declaration, DeclarationStatus, Signature
from .services.content import declaration_fingerprint, declaration_render_pdf
from .services.history import notify_coordinators, review_event_write
from .services.submissions import submission_record

S = DeclarationStatus
STAFF = "commitments.change_declaration"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
# The timeline's words for each transition (``ReviewEvent.action``), as before the workflow core.
AUDIT_ACTIONS = {
    "submit": "submitted",
    "request_changes": "changes_requested",
    "approve": "approved",
    "countersign": "countersigned",
    "supersede": "superseded",
    "withdraw": "withdrawn",
}
UNPUBLISHED_PARTNERSHIP = gettext_lazy(
    "Publish the partnership first: a signed declaration is published with it."
)


# --- Guards: (allowed, reason) on the row as it is ------------------------------------------------------


def has_content(declaration):
    if not declaration.challenge.strip() or not declaration.ambition.strip():
        return False, _("Describe the skills challenge and the ambition before submitting.")
    if not declaration.objectives.exists() and not declaration.kpis.exists():
        return False, _("Add at least one objective or KPI before submitting.")
    return True, ""


def ready_to_countersign(declaration):
    if declaration_fingerprint(declaration) != declaration.approved_fingerprint:
        return False, _("The declaration changed after approval; it must be reviewed again.")
    signatories = list(declaration.signatories.all())
    if not signatories:
        return False, _("Choose the signatories first.")
    signed = set(Signature.objects.filter(declaration=declaration).values_list("signatory_id", flat=True))
    missing = [s for s in signatories if s.pk not in signed]
    if missing:
        return False, ngettext(
            "Waiting for %(count)d signature.", "Waiting for %(count)d signatures.", len(missing)
        ) % {"count": len(missing)}
    # Countersigning publishes: with the partnership unpublished the declaration's page, its PDF and the
    # verification page's links would answer 404 while the e-mail says "published".
    if not declaration.partnership.is_published:
        return False, str(UNPUBLISHED_PARTNERSHIP)
    return True, ""


def newer_version_signed(declaration):
    if not Declaration.objects.filter(
        partnership_id=declaration.partnership_id, status=S.SIGNED, version__gt=declaration.version
    ).exists():
        return False, _("Only a newer signed version supersedes a signed declaration.")
    return True, ""


def may_submit(actor, declaration):
    return actor.has_perm(STAFF) or coordinator_can_manage(user=actor, partnership=declaration.partnership)


# --- Changes on the locked row, cascades, e-mails -------------------------------------------------------


def stamp_submitted(declaration, ctx):
    declaration.submitted_at = timezone.now()


def fix_approved_content(declaration, ctx):
    declaration.approved_at = timezone.now()
    declaration.approved_fingerprint = declaration_fingerprint(declaration)


def _new_verification_code():
    while True:
        raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
        code = f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"
        if not Declaration.objects.filter(verification_code=code).exists():
            return code


def freeze_signed_pdf(declaration, ctx):
    """The PDF is rendered once, PAdES-signed, stored and fingerprinted."""
    declaration.signed_at = timezone.now()
    declaration.countersigned_by = ctx.account
    declaration.verification_code = _new_verification_code()
    unsigned = declaration_render_pdf(declaration)
    with translation.override(declaration.language):  # the signature's reason, like the labels
        reason = _(
            "Declaration of commitment v%(version)s, countersigned by the Pact for Skills support services"
        ) % {"version": declaration.version}
    signed = signing.pades_sign(unsigned, reason=reason, location=settings.PORTAL_URL)
    declaration.pdf_sha256 = hashlib.sha256(signed).hexdigest()
    declaration.pdf.save(f"v{declaration.version}.pdf", ContentFile(signed), save=False)


def supersede_previous(declaration, ctx):
    for previous in Declaration.objects.filter(
        partnership_id=declaration.partnership_id, status=S.SIGNED
    ).exclude(pk=declaration.pk):
        DECLARATION.run(
            previous,
            "supersede",
            actor=ctx.actor,
            note=record_note(gettext_lazy("Superseded by version %(version)s."), version=declaration.version),
        )


def close_signing_links(declaration, ctx):
    declaration.signatories.filter(link_used_at__isnull=True).update(token_hash="")


def tell_support_services(declaration, ctx):
    send_after_commit(
        subject=lazy_format(
            gettext_lazy("Declaration submitted for review: %(name)s v%(version)s"),
            name=declaration.partnership.name,
            version=declaration.version,
        ),
        template="commitments/email/declaration_submitted.txt",
        context={"declaration": declaration},
        recipients=[settings.SUPPORT_SERVICES_EMAIL],
        language=settings.LANGUAGE_CODE,
    )


def _tell_coordinators(subject):
    def notify(declaration, ctx):
        notify_coordinators(
            declaration, subject=lazy_format(subject, version=declaration.version), comment=ctx.note
        )

    return notify


def write_review_event(declaration, ctx):
    return review_event_write(
        declaration,
        actor=ctx.actor,
        action=AUDIT_ACTIONS.get(ctx.transition.name, ctx.transition.name),
        from_status=ctx.from_state,
        to_status=ctx.to_state,
        comment=ctx.note,
        internal=ctx.internal and bool(ctx.note),
    )


# --- The machine ---------------------------------------------------------------------------------------

by_staff = partial(wf.Transition, may=STAFF)

DECLARATION = wf.Workflow(
    model=Declaration,
    audit=write_review_event,
    audience=gettext_lazy("the partnership's coordinators"),
    wrong_state=gettext_lazy("A declaration cannot go from “%(from)s” to “%(to)s”."),
    select_related=("partnership",),
    transitions=[
        wf.Transition(
            name="submit",
            source=[S.DRAFT, S.CHANGES_REQUESTED],
            target=S.SUBMITTED,
            label=gettext_lazy("Submit for review"),
            may=may_submit,
            guard=has_content,
            apply=stamp_submitted,
            after=submission_record,  # the content submitted, kept for the reviewers' comparison
            notify=tell_support_services,
            admin=False,  # the coordinator submits, from the coordinator area
        ),
        by_staff(
            name="request_changes",
            source=[S.SUBMITTED],
            target=S.CHANGES_REQUESTED,
            label=gettext_lazy("Request changes"),
            note=wf.REQUIRED,
            note_visibility=wf.PUBLIC,
            note_label=gettext_lazy("Changes needed"),
            note_missing=gettext_lazy("Say which changes are needed."),
            notify=_tell_coordinators(
                gettext_lazy("Changes requested to your declaration of commitment (v%(version)s)")
            ),
        ),
        by_staff(
            name="approve",
            source=[S.SUBMITTED],
            target=S.APPROVED,
            label=gettext_lazy("Approve"),
            note=wf.OPTIONAL,
            note_visibility=wf.PUBLIC,
            note_label=gettext_lazy("Comment"),
            apply=fix_approved_content,
            notify=_tell_coordinators(
                gettext_lazy(
                    "Your declaration of commitment (v%(version)s) is approved: invite the signatories"
                )
            ),
        ),
        by_staff(
            name="countersign",
            source=[S.APPROVED],
            target=S.SIGNED,
            label=gettext_lazy("Countersign and publish"),
            guard=ready_to_countersign,
            confirm=gettext_lazy(
                "Countersign and publish this version? Its PDF is signed and frozen, it is published on the "
                "partnership's page, and the previous signed version is superseded. This cannot be undone."
            ),
            apply=freeze_signed_pdf,
            after=supersede_previous,
            notify=_tell_coordinators(
                gettext_lazy("Your declaration of commitment (v%(version)s) is signed and published")
            ),
        ),
        by_staff(
            name="supersede",
            source=[S.SIGNED],
            target=S.SUPERSEDED,
            label=gettext_lazy("Supersede"),
            guard=newer_version_signed,
            note=wf.OPTIONAL,
            note_visibility=wf.PUBLIC,
            admin=False,  # a consequence of countersigning a newer version
        ),
        by_staff(
            name="withdraw",
            source=[S.DRAFT, S.SUBMITTED, S.CHANGES_REQUESTED, S.APPROVED],
            target=S.WITHDRAWN,
            label=gettext_lazy("Withdraw"),
            note=wf.OPTIONAL,
            note_visibility=wf.PUBLIC,
            note_label=gettext_lazy("Reason"),
            confirm=gettext_lazy(
                "Withdraw this version? It can no longer be reviewed or signed, and unused signing links "
                "stop working. The coordinators can start a new version."
            ),
            after=close_signing_links,
        ),
    ],
)

# The table of DESIGN §3: {status: {statuses reachable in one transition}}.
TRANSITIONS = DECLARATION.graph()
