"""Support requests from coordinators: create, answer, close."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from partnerships import services as registry

from ..models.lifecycle import StaffAssignment, SupportActivity, SupportActivityKind
from ..models.support_requests import (
    SUPPORT_REQUEST_TRANSITIONS,
    SupportRequest,
    SupportRequestStatus,
    SupportTopic,
)
from .lifecycle import support_activity_save


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
