"""Reads for the coordinator's support requests."""

from ..models.support_requests import SupportRequest


def coordinator_support_requests(*, user):
    """The support requests of every partnership this user coordinates, newest first."""
    return (
        SupportRequest.objects.filter(partnership__coordinator_access__user=user)
        .select_related("partnership", "answered_by")
        .order_by("-created_at", "-id")
    )
