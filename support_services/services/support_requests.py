"""Support requests from coordinators: create, answer, close (the last two are transitions of
``support_services.workflows.support_requests``)."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from pact_portal.mail import absolute_url, send_after_commit
from partnerships import services as registry

from ..models.lifecycle import StaffAssignment
from ..models.support_requests import TOPIC_ACTIVITY_KIND, SupportRequest  # noqa: F401  (re-exported)

# A module, not its names: the workflow's hooks use the lifecycle services (see support_services.services).
from ..workflows import support_requests as flow


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
    return absolute_url(f"/admin/support_services/supportrequest/{request.pk}/change/")


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
    send_after_commit(
        template="support_services/email/support_request_staff.txt",
        context={"support_request": request, "partnership": partnership, "admin_url": _admin_url(request)},
        recipients=_staff_emails(partnership),
        language=settings.LANGUAGE_CODE,
    )
    return request


def support_request_assign(*, support_request, staff):
    """Name the staff member who handles a request (``None``: nobody yet)."""
    if staff is not None and not staff.is_staff:
        raise ValidationError({"assigned_to": _("Only support-services staff can be named.")})
    support_request.assigned_to = staff
    support_request.save(update_fields=["assigned_to"])
    return support_request


def support_request_can_transition(*, support_request, to_status):
    """(allowed, reason), as for every workflow here."""
    return flow.SUPPORT_REQUEST.can_move(support_request, to_status)


def support_request_answer(*, support_request, by, answer, log_activity=False, activity_kind=None):
    """Staff answer a request: stored, shown in the coordinator area and e-mailed in the coordinator's
    language; optionally logged as a support activity (the answer becomes its shared summary)."""
    return flow.SUPPORT_REQUEST.run(
        support_request,
        "answer",
        actor=by,
        note=answer,
        log_activity=log_activity,
        activity_kind=activity_kind,
    )


def support_request_close(*, support_request, by):
    return flow.SUPPORT_REQUEST.run(support_request, "close", actor=by)
