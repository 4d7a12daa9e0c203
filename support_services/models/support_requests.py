"""Support requests: a coordinator's request for help, answered by the support services."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pact_portal.modelbits import choice_check, choice_is, implies, optional_fk, staff_fk, user_fk
from partnerships.models import Stage, partnership_fk

from .lifecycle import SupportActivity, SupportActivityKind


class SupportTopic(models.TextChoices):
    DESIGN_GUIDANCE = "design_guidance", _("Design guidance")
    GOVERNANCE = "governance", _("Set-up and governance")
    FUNDING = "funding", _("Funding advice")
    MATCHMAKING = "matchmaking", _("Matchmaking and new members")
    VISIBILITY = "visibility", _("Visibility")
    MONITORING = "monitoring", _("KPIs and monitoring")
    OTHER = "other", _("Other")


class SupportRequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


# The kind of support activity an answer is logged as, by the request's topic (default: guidance).
TOPIC_ACTIVITY_KIND = {
    SupportTopic.FUNDING: SupportActivityKind.FUNDING_ADVICE,
    SupportTopic.MATCHMAKING: SupportActivityKind.MATCHMAKING,
    SupportTopic.VISIBILITY: SupportActivityKind.VISIBILITY,
}

# The transitions between these statuses are declared in support_services/workflows/support_requests.py.


class SupportRequest(models.Model):
    """A coordinator's request for help from the support services, answered in the admin."""

    partnership = partnership_fk(related_name="support_requests")
    requested_by = user_fk(_("requested by"), blank=False, related_name="support_requests")
    language = models.CharField(_("language"), max_length=10, default="en")
    topic = models.CharField(_("topic"), max_length=20, choices=SupportTopic.choices)
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    message = models.TextField(_("message"))
    status = models.CharField(
        _("status"), max_length=10, choices=SupportRequestStatus.choices, default=SupportRequestStatus.OPEN
    )
    assigned_to = staff_fk(_("assigned to"), related_name="assigned_support_requests")
    answer = models.TextField(_("answer"), blank=True)
    answered_by = user_fk(_("answered by"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    activity = optional_fk(SupportActivity, _("logged as support activity"), related_name="support_requests")
    created_at = models.DateTimeField(_("sent"), auto_now_add=True, db_index=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("support request")
        verbose_name_plural = _("support requests")
        constraints = [
            choice_check("status", SupportRequestStatus.values, name="supportrequest_status_valid"),
            choice_check("topic", SupportTopic.values, name="supportrequest_topic_valid"),
            choice_check("stage", Stage.values, name="supportrequest_stage_valid"),
            implies(
                Q(status=SupportRequestStatus.ANSWERED),
                ~Q(answer=""),
                name="supportrequest_answered_has_answer",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return _("%(partnership)s: %(topic)s (%(date)s)") % {
            "partnership": self.partnership,
            "topic": self.get_topic_display(),
            "date": f"{self.created_at:%Y-%m-%d}" if self.created_at else "…",
        }

    is_open = choice_is("status", SupportRequestStatus.OPEN)
    is_answered = choice_is("status", SupportRequestStatus.ANSWERED)
    is_closed = choice_is("status", SupportRequestStatus.CLOSED)
