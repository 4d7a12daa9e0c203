"""Requests to join a partnership (their status changes are transitions of partnerships.workflows.JOIN_REQUEST)."""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pact_portal.mail import send_after_commit, send_to_accounts

# A module, not its names: the workflow's hooks use this module's services in turn.
from .. import workflows as flow
from ..models import (
    JoinRequest,
    JoinRequestStatus,
    StakeholderType,
)
from ..selectors import coordinator_accounts
from .registry import organisation_problems

logger = logging.getLogger(__name__)

# --- Requests to join (their status changes are transitions of partnerships.workflows.JOIN_REQUEST) --------


def join_request_submit(*, partnership, idempotency_key, data, consent, language="en"):
    """An organisation asks to join a published partnership. The same idempotency key again (a double click, a
    retried post) returns the first request instead of a second one. The requester gets the status link and
    the partnership's coordinators a notice, by e-mail after commit. Returns (join_request, created)."""
    if idempotency_key:
        existing = JoinRequest.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing, False
    if not partnership.is_published:
        raise ValidationError(_("Only a published partnership can be asked to join."))
    if not consent:
        raise ValidationError({"consent": _("Accept the privacy notice to send the request.")})
    problems = organisation_problems(
        stakeholder_type=data.get("organisation_type"),
        is_sme=data.get("organisation_is_sme"),
        country=data.get("organisation_country"),
    )
    if problems:
        raise ValidationError(problems)
    join_request = JoinRequest(
        partnership=partnership,
        idempotency_key=idempotency_key or None,
        language=language,
        consent_at=timezone.now(),
        privacy_notice_version=settings.PRIVACY_NOTICE_VERSION,
        **{name: data.get(name) for name in JOIN_REQUEST_FIELDS},
    )
    if join_request.organisation_is_sme is not None and join_request.organisation_type != (
        StakeholderType.COMPANY
    ):
        join_request.organisation_is_sme = None  # only a company's answer means something
    join_request.full_clean(exclude=["token", "idempotency_key"])
    try:
        with transaction.atomic():
            join_request.save()
    except IntegrityError:
        # A parallel post with the same key won the race: its request is the one.
        existing = JoinRequest.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return existing, False
    flow.mail_requester(join_request, "partnerships/email/join_request_received.txt")
    # Each coordinator in the language they read the portal in; without one, the partnership's contact
    # address in the language of its texts.
    mail = {
        "template": "partnerships/email/join_request_coordinators.txt",
        "context": {
            "join_request": join_request,
            "requests_url": flow.coordinator_requests_url(join_request),
        },
    }
    if not send_to_accounts(accounts=coordinator_accounts(partnership), **mail):
        send_after_commit(recipients=[partnership.contact_email], language=partnership.text_language, **mail)
    return join_request, True


JOIN_REQUEST_FIELDS = (
    "organisation_name",
    "organisation_type",
    "organisation_is_sme",
    "organisation_country",
    "organisation_website",
    "contribution",
    "contact_name",
    "contact_email",
)


def join_request_accept(*, join_request, by, message=""):
    """Accept: the organisation (matched against the registry, else created) gets an unconfirmed membership;
    the requester is told, with the message."""
    return flow.JOIN_REQUEST.run(join_request, "accept", actor=by, note=message)


def join_request_decline(*, join_request, by, message):
    """Decline, saying why: the requester reads the message."""
    return flow.JOIN_REQUEST.run(join_request, "decline", actor=by, note=message)


def join_request_confirm(*, join_request, by):
    """Confirm the membership of an accepted request: the profile shows the organisation from now on."""
    return flow.JOIN_REQUEST.run(join_request, "confirm", actor=by)


def join_request_purge_declined(*, now=None, retention_days=None):
    """Delete the requests to join that were declined more than ``EOI_RETENTION_DAYS`` ago, and with them the
    contact's name and address (the figures count only organisations that joined). Returns how many."""
    days = settings.EOI_RETENTION_DAYS if retention_days is None else retention_days
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    deleted, _per_model = JoinRequest.objects.filter(
        status=JoinRequestStatus.DECLINED, decided_at__lt=cutoff
    ).delete()
    return deleted
