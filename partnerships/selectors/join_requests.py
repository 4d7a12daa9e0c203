"""Reads for requests to join: figures of organisations that joined, a request by its secret link."""

from django.db.models import Case, Count, When

from ..models import (
    JoinRequest,
    JoinRequestStatus,
    Partnership,
    StakeholderType,
    published_q,
)

# --- Requests to join -------------------------------------------------------------------------------------


def joined_through_portal(*, partnership=None):
    """Organisations that joined published partnerships (or this one) through a request on the portal, once
    their membership was confirmed: {"total": n, "by_type": [{"label", "count"}], largest first}. One query."""
    joined = JoinRequest.objects.filter(published_q("partnership"), status=JoinRequestStatus.JOINED)
    if partnership is not None:
        joined = joined.filter(partnership=partnership)
    labels = dict(StakeholderType.choices)
    rows = (
        joined.values("organisation__stakeholder_type")
        .annotate(count=Count("organisation", distinct=True))
        .order_by()
    )
    by_type = sorted(
        ({"label": labels.get(row["organisation__stakeholder_type"]), "count": row["count"]} for row in rows),
        key=lambda row: (-row["count"], str(row["label"])),
    )
    # An organisation has one stakeholder type: the distinct counts per type add up to the distinct total.
    return {"total": sum(row["count"] for row in by_type), "by_type": by_type}


def join_request_by_token(*, token):
    return JoinRequest.objects.select_related("partnership", "organisation_country").get(token=token)


def joinable_partnership(*, slug):
    """A published partnership, the only kind an organisation can ask to join."""
    return Partnership.objects.published().get(slug=slug)


PENDING_JOIN = [JoinRequestStatus.SUBMITTED, JoinRequestStatus.ACCEPTED]


def coordinator_join_requests(*, partnership):
    """The requests to join one partnership, those to act on first."""
    return partnership.join_requests.select_related(
        "organisation_country", "organisation", "decided_by"
    ).order_by(
        Case(When(status__in=PENDING_JOIN, then=0), default=1),
        "-created_at",
        "-pk",
    )


def proposed_signatories(*, partnership, accepted_after=None):
    """{organisation id: contact e-mail}: organisations that a request to join brought into the partnership
    (accepted after ``accepted_after``, when given) and that are still members. The declaration version that
    follows their acceptance proposes them as signatories."""
    accepted = partnership.join_requests.filter(
        status__in=[JoinRequestStatus.ACCEPTED, JoinRequestStatus.JOINED], membership__left_on__isnull=True
    )
    if accepted_after is not None:
        accepted = accepted.filter(decided_at__gt=accepted_after)
    return dict(accepted.order_by("decided_at").values_list("organisation_id", "contact_email"))
