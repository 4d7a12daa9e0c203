"""A request to join a partnership, as data run by ``pact_portal.workflow``.

submitted → accepted → joined, or submitted → declined. The partnership's coordinators decide in their area
(staff may act in the admin too). Accepting matches the organisation against the registry (or creates it) and
adds an unconfirmed membership, which the public profile does not show; confirming shows it. The coordinators'
message is public: the requester reads it on the status page and in the e-mail each step sends.
"""

from functools import partial

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pact_portal import workflow as wf
from pact_portal.mail import send_after_commit

# A module, not its names: the services import this module in turn.
from . import services as registry
from .models import JoinRequest, JoinRequestStatus, MembershipRole
from .search import search_index_refresh

S = JoinRequestStatus
STAFF = "partnerships.change_joinrequest"


def coordinator_or_staff(actor, join_request):
    """The partnership's own coordinators (object-level), or staff with the permission."""
    return actor.has_perm(STAFF) or registry.coordinator_can_manage(
        user=actor, partnership=join_request.partnership
    )


def status_url(join_request):
    return settings.PORTAL_URL.rstrip("/") + join_request.get_absolute_url()


def mail_requester(join_request, template, **context):
    send_after_commit(
        template=template,
        context={"join_request": join_request, "status_url": status_url(join_request), **context},
        recipients=[join_request.contact_email],
        language=join_request.language,
    )


# --- Guards ------------------------------------------------------------------------------------------------


def not_already_member(join_request):
    existing = registry.organisation_find(
        name=join_request.organisation_name, country_code=join_request.organisation_country_id
    )
    if (
        existing is not None
        and join_request.partnership.memberships.current().filter(organisation=existing).exists()
    ):
        return False, _("%(organisation)s is already a member of %(partnership)s.") % {
            "organisation": existing.name,
            "partnership": join_request.partnership.name,
        }
    return True, ""


def membership_still_current(join_request):
    """Confirm only a membership that is still there: staff may have deleted it, or the coordinators ended it,
    since the request was accepted."""
    membership = join_request.membership
    if membership is None or not membership.is_current:
        return False, _(
            "The membership this request added has been removed or ended since; nothing is left to confirm."
        )
    return True, ""


# --- Changes on the locked row -----------------------------------------------------------------------------


def record_decision(join_request, ctx):
    join_request.message = ctx.note
    join_request.decided_at = timezone.now()
    authenticated = ctx.actor is not None and ctx.actor.is_authenticated
    join_request.decided_by = ctx.actor if authenticated else None


def add_unconfirmed_membership(join_request, ctx):
    """The organisation as the registry knows it (matched on name and country, else created), and its
    membership, unconfirmed until the coordinators confirm it."""
    record_decision(join_request, ctx)
    organisation, _created = registry.organisation_get_or_create(
        name=join_request.organisation_name,
        country_code=join_request.organisation_country_id,
        stakeholder_type=join_request.organisation_type,
        is_sme=join_request.organisation_is_sme,
        website=join_request.organisation_website,
    )
    join_request.organisation = organisation
    join_request.membership = registry.membership_add(
        partnership=join_request.partnership,
        organisation=organisation,
        role=MembershipRole.MEMBER,
        joined_on=timezone.localdate(),
        is_confirmed=False,
    )


def confirm_membership(join_request, ctx):
    membership = join_request.membership
    membership.is_confirmed = True
    registry.membership_save(membership=membership)
    join_request.joined_at = timezone.now()


def reindex(join_request, ctx):
    """The search index leaves out a membership still to be confirmed: recompute it once the request's new state
    is saved (the membership's own save ran before, and saw the old one)."""
    search_index_refresh(partnership_ids=[join_request.partnership_id])


def on_the_request(join_request, ctx):
    """The audit step: the request's own fields (decided by, when, the message, joined at) are its record."""
    return None


# --- E-mails ---------------------------------------------------------------------------------------------------


def tell_requester(join_request, ctx):
    mail_requester(join_request, "partnerships/email/join_request_status.txt", note=ctx.note)


# Every step is the coordinators' (or the staff's) and e-mails the organisation that asked.
by_coordinators = partial(wf.Transition, may=coordinator_or_staff, notify=tell_requester)
MESSAGE_LABEL = gettext_lazy("Message to the organisation (e-mailed)")

JOIN_REQUEST = wf.Workflow(
    model=JoinRequest,
    audit=on_the_request,
    audience=gettext_lazy("the organisation that asked to join"),
    wrong_state=gettext_lazy("A request that is “%(from)s” cannot become “%(to)s”."),
    select_related=("partnership", "membership"),
    transitions=[
        by_coordinators(
            name="accept",
            source=[S.SUBMITTED],
            target=S.ACCEPTED,
            label=gettext_lazy("Accept"),
            guard=not_already_member,
            note=wf.OPTIONAL,
            note_visibility=wf.PUBLIC,
            note_label=MESSAGE_LABEL,
            confirm=gettext_lazy(
                "Accept this request? The organisation becomes a member, not shown on the public profile until "
                "you confirm the membership."
            ),
            apply=add_unconfirmed_membership,
            after=reindex,
            done=gettext_lazy("Accepted: confirm the membership once it is settled."),
        ),
        by_coordinators(
            name="decline",
            source=[S.SUBMITTED],
            target=S.DECLINED,
            label=gettext_lazy("Decline"),
            note=wf.REQUIRED,
            note_visibility=wf.PUBLIC,
            note_label=MESSAGE_LABEL,
            note_missing=gettext_lazy("Say why the request is declined; the organisation reads it."),
            apply=record_decision,
            done=gettext_lazy("Declined: the organisation was told by e-mail."),
        ),
        by_coordinators(
            name="confirm",
            source=[S.ACCEPTED],
            target=S.JOINED,
            label=gettext_lazy("Confirm the membership"),
            guard=membership_still_current,
            apply=confirm_membership,
            after=reindex,
            done=gettext_lazy("Membership confirmed: the organisation is shown on the profile."),
        ),
    ],
)

# {status: {statuses reachable in one transition}}.
JOIN_REQUEST_TRANSITIONS = JOIN_REQUEST.graph()


def coordinator_requests_url(join_request):
    return settings.PORTAL_URL.rstrip("/") + reverse(
        "partnerships:coordinator_join_requests", kwargs={"slug": join_request.partnership.slug}
    )
