"""Support requests: a coordinator's request for help, answered by the support services."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partnerships.models import Partnership, Stage

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

    partnership = models.ForeignKey(
        Partnership, verbose_name=_("partnership"), on_delete=models.CASCADE, related_name="support_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="support_requests",
    )
    language = models.CharField(_("language"), max_length=10, default="en")
    topic = models.CharField(_("topic"), max_length=20, choices=SupportTopic.choices)
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    message = models.TextField(_("message"))
    status = models.CharField(
        _("status"), max_length=10, choices=SupportRequestStatus.choices, default=SupportRequestStatus.OPEN
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_support_requests",
        limit_choices_to={"is_staff": True},
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    activity = models.ForeignKey(
        SupportActivity,
        verbose_name=_("logged as support activity"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_requests",
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True, db_index=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("support request")
        verbose_name_plural = _("support requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=SupportRequestStatus.values), name="supportrequest_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(topic__in=SupportTopic.values), name="supportrequest_topic_valid"
            ),
            models.CheckConstraint(condition=Q(stage__in=Stage.values), name="supportrequest_stage_valid"),
            models.CheckConstraint(
                condition=~Q(status=SupportRequestStatus.ANSWERED) | ~Q(answer=""),
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

    @property
    def is_open(self):
        return self.status == SupportRequestStatus.OPEN

    @property
    def is_answered(self):
        return self.status == SupportRequestStatus.ANSWERED

    @property
    def is_closed(self):
        return self.status == SupportRequestStatus.CLOSED
