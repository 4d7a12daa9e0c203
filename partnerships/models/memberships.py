"""Memberships of organisations in partnerships, and coordinators' access to manage a partnership."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from pact_portal.modelbits import choice_check, choice_is, implies, user_fk

from .organisations import Organisation
from .partnerships import partnership_fk, published_q


class MembershipRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    MEMBER = "member", _("Member")
    ASSOCIATE = "associate", _("Associate")


def current_q(via=""):
    """The rule for a current membership as a ``Q``, seen from ``via`` (a lookup path to a membership, or
    none): ``current_q("memberships")`` is ``Q(memberships__left_on__isnull=True)``."""
    return Q(**{f"{via}__left_on__isnull" if via else "left_on__isnull": True})


class MembershipQuerySet(models.QuerySet):
    def current(self):
        """Memberships that have not ended (an ended one keeps its row, with its leaving date)."""
        return self.filter(current_q())

    def settled(self):
        """Memberships the public counts and search take in: all but those that an accepted request to join
        added and the coordinators have not confirmed yet (``JoinRequestStatus.ACCEPTED``)."""
        return self.exclude(join_request__status="accepted")

    def of_published(self):
        """Memberships the public pages show: settled ones of published partnerships."""
        return self.filter(published_q("partnership")).settled()


class Membership(models.Model):
    """An organisation's place in a partnership. Past memberships keep their row with a leaving date."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="memberships"
    )
    partnership = partnership_fk(related_name="memberships")
    role = models.CharField(
        _("role"), max_length=12, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    is_lead = models.BooleanField(
        _("leading organisation"),
        default=False,
        help_text=_("Among the organisations that lead the partnership (a coordinator always does)."),
    )
    joined_on = models.DateField(_("joined"), null=True, blank=True)
    left_on = models.DateField(_("left"), null=True, blank=True)
    is_confirmed = models.BooleanField(
        _("confirmed"),
        default=True,
        help_text=_("Unticked when the membership comes from a single weak source."),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "-is_lead", "organisation__name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "partnership"],
                condition=Q(left_on__isnull=True),
                name="membership_one_current_per_pair",
            ),
            choice_check("role", MembershipRole.values, name="membership_role_valid"),
            implies(Q(role=MembershipRole.COORDINATOR), Q(is_lead=True), name="membership_coordinator_leads"),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True)
                | Q(joined_on__isnull=True)
                | Q(left_on__gte=F("joined_on")),
                name="membership_left_after_joined",
            ),
        ]
        indexes = [
            models.Index(fields=["partnership", "role"]),
            # Member counts of a page of partnerships read only current memberships.
            models.Index(
                fields=["partnership"], condition=Q(left_on__isnull=True), name="membership_current_by_p"
            ),
        ]

    def __str__(self):
        return f"{self.organisation} – {self.partnership} ({self.get_role_display()})"

    @property
    def is_current(self):
        return self.left_on is None

    is_coordinator = choice_is("role", MembershipRole.COORDINATOR)


class CoordinatorAccess(models.Model):
    """A user account that may manage a partnership in the coordinator area (object-level permission)."""

    partnership = partnership_fk(related_name="coordinator_access")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="coordinator_access",
    )
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)
    granted_by = user_fk(_("granted by"))

    class Meta:
        ordering = ["partnership", "user"]
        verbose_name = _("coordinator access")
        verbose_name_plural = _("coordinator access")
        constraints = [
            models.UniqueConstraint(fields=["partnership", "user"], name="coordinatoraccess_unique_pair")
        ]

    def __str__(self):
        return f"{self.user} → {self.partnership}"
