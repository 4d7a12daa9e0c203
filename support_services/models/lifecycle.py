"""Lifecycle support: stage checklists, the support log, staff assignment, the support-record proxy."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from pact_portal.modelbits import choice_check, staff_fk, user_fk
from partnerships.models import Partnership, Stage, partnership_fk

SUPPORT_STAGES = [Stage.DESIGN, Stage.SET_UP, Stage.DELIVERY]


class ChecklistItemQuerySet(models.QuerySet):
    def open_for(self, *, partnership, stages):
        """Active items of ``stages`` that this partnership has not closed (done or not applicable)."""
        closed = PartnershipChecklistItem.objects.filter(
            partnership=partnership, status__in=CHECKLIST_CLOSED
        ).values("item_id")
        return self.filter(stage__in=stages, active=True).exclude(pk__in=closed)


class ChecklistItem(models.Model):
    """One support activity a partnership should have covered in a stage; data, edited by staff.

    ``title`` and ``description`` are translated in the row itself (support_services/translation.py)."""

    stage = models.CharField(_("stage"), max_length=10, choices=[(s.value, s.label) for s in SUPPORT_STAGES])
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Inactive items are kept for the record but no longer checked."),
    )

    objects = ChecklistItemQuerySet.as_manager()

    class Meta:
        ordering = ["stage", "order", "id"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        constraints = [
            choice_check("stage", [s.value for s in SUPPORT_STAGES], name="checklistitem_stage_valid"),
            models.UniqueConstraint(fields=["stage", "title"], name="checklistitem_unique_title_per_stage"),
        ]

    def __str__(self):
        return f"{Stage(self.stage).label}: {self.title}"

    def save(self, *args, **kwargs):
        # modeltranslation writes the base columns from the active language: keep them the English text, whatever
        # language the editor reads, so the unique title per stage compares English titles.
        with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
            super().save(*args, **kwargs)


class ChecklistStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


# Statuses that close an item; an item without a status row is open.
CHECKLIST_CLOSED = (ChecklistStatus.DONE, ChecklistStatus.NOT_APPLICABLE)


class PartnershipChecklistItem(models.Model):
    """Where one partnership stands on one checklist item."""

    partnership = partnership_fk(related_name="checklist")
    item = models.ForeignKey(
        ChecklistItem, verbose_name=_("checklist item"), on_delete=models.PROTECT, related_name="statuses"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ChecklistStatus.choices, default=ChecklistStatus.OPEN
    )
    date = models.DateField(_("date"), null=True, blank=True)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    updated_by = user_fk(_("updated by"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["partnership", "item"]
        verbose_name = _("partnership checklist status")
        verbose_name_plural = _("partnership checklist statuses")
        constraints = [
            models.UniqueConstraint(fields=["partnership", "item"], name="partnershipchecklist_unique_pair"),
            choice_check("status", ChecklistStatus.values, name="partnershipchecklist_status_valid"),
        ]

    def __str__(self):
        return f"{self.partnership}: {self.item.title} ({self.get_status_display()})"

    def is_overdue(self, today=None):
        """Past its due date and neither done nor marked not applicable."""
        return (
            self.due_on is not None
            and self.status not in CHECKLIST_CLOSED
            and self.due_on < (today or timezone.localdate())
        )


class SupportActivityKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    WORKSHOP = "workshop", _("Workshop")
    GUIDANCE = "guidance", _("Guidance")
    FUNDING_ADVICE = "funding_advice", _("Funding advice")
    MATCHMAKING = "matchmaking", _("Matchmaking")
    VISIBILITY = "visibility", _("Visibility action")


class SupportActivity(models.Model):
    """What the support services did for a partnership. Never shown to the public; the partnership's
    coordinators see the summary, and nobody but staff sees the internal notes."""

    partnership = partnership_fk(related_name="support_activities")
    kind = models.CharField(_("kind"), max_length=16, choices=SupportActivityKind.choices)
    date = models.DateField(_("date"))
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    staff = staff_fk(_("staff member"), related_name="support_activities")
    participants = models.TextField(_("participants"), blank=True)
    summary = models.TextField(
        _("summary for the coordinators"),
        blank=True,
        help_text=_("Shown to the partnership's coordinators in their area; never public."),
    )
    internal_notes = models.TextField(
        _("internal notes"),
        blank=True,
        help_text=_("For the support services only: never shown to coordinators or the public."),
    )
    follow_up_on = models.DateField(_("follow-up date"), null=True, blank=True)
    follow_up_done = models.BooleanField(_("follow-up done"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("support activity")
        verbose_name_plural = _("support activities")
        constraints = [
            choice_check("kind", SupportActivityKind.values, name="supportactivity_kind_valid"),
            choice_check("stage", Stage.values, name="supportactivity_stage_valid"),
        ]
        indexes = [
            models.Index(
                fields=["follow_up_on"], condition=Q(follow_up_done=False), name="supportactivity_follow_up"
            )
        ]

    def __str__(self):
        return f"{self.partnership}: {self.get_kind_display()} ({self.date})"


class StaffAssignment(models.Model):
    """A support-services staff member who accompanies a partnership."""

    partnership = partnership_fk(related_name="staff_assignments")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="partnership_assignments",
        limit_choices_to={"is_staff": True},
    )
    is_lead = models.BooleanField(_("lead contact"), default=False)
    assigned_on = models.DateField(_("assigned on"), auto_now_add=True)

    class Meta:
        ordering = ["partnership", "-is_lead", "staff"]
        verbose_name = _("staff assignment")
        verbose_name_plural = _("staff assignments")
        constraints = [
            models.UniqueConstraint(fields=["partnership", "staff"], name="staffassignment_unique_pair")
        ]

    def __str__(self):
        return f"{self.staff} → {self.partnership}"


class StaffAssignmentAction(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")
    LEAD = "lead", _("Made lead contact")
    NOT_LEAD = "not_lead", _("No longer lead contact")
    UNASSIGNED = "unassigned", _("Unassigned")


class StaffAssignmentEvent(models.Model):
    """Who assigned whom to a partnership, or took them off it, and when; written by the assignment
    services, never edited."""

    partnership = partnership_fk(related_name="staff_assignment_events")
    staff = user_fk(_("staff member"), blank=False)
    action = models.CharField(_("action"), max_length=12, choices=StaffAssignmentAction.choices)
    by = user_fk(_("by"))
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("staff assignment record")
        verbose_name_plural = _("staff assignment records")
        constraints = [
            choice_check("action", StaffAssignmentAction.values, name="staffassignmentevent_action_valid")
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}: {self.staff} → {self.partnership}"


class PartnershipSupport(Partnership):
    """A partnership as the support services see it: checklist, stage moves, log, assigned staff."""

    class Meta:
        proxy = True
        verbose_name = _("partnership support record")
        verbose_name_plural = _("partnership support records")
