"""The pieces the domain models declare again and again, written once; they change no column or constraint.

- ``TimeStamped``: ``created_at`` and ``updated_at``, set by the database save.
- ``optional_fk``, ``user_fk``, ``staff_fk``: a link that may be empty and is emptied when its target goes
  (who acted, who answered, who is assigned), so that a record outlives the account it names.
- ``choice_check``: the ``CheckConstraint`` that backs a ``TextChoices`` field (STYLE: status fields).
- ``implies``: the ``CheckConstraint`` of a rule "when this holds, that must hold too".
- ``choice_is``: an ``is_<state>`` property, so that pages and e-mails never compare status strings.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class Positioned(models.Model):
    """A row its parent lists in a chosen order (objectives, actions, KPIs, pledges)."""

    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        abstract = True


def optional_fk(to, verbose_name=None, *, on_delete=models.SET_NULL, related_name="+", **options):
    options.setdefault("blank", True)
    return models.ForeignKey(
        to, verbose_name=verbose_name, on_delete=on_delete, null=True, related_name=related_name, **options
    )


def user_fk(verbose_name=None, **options):
    """A user account named by a record (who acted, who answered); the record stays when the account goes."""
    return optional_fk(settings.AUTH_USER_MODEL, verbose_name, **options)


def staff_fk(verbose_name, *, related_name):
    """The staff member a record is assigned to; only staff accounts are offered."""
    return user_fk(verbose_name, related_name=related_name, limit_choices_to={"is_staff": True})


def choice_check(field, values, *, name):
    """The database's guard that ``field`` holds one of ``values`` (a ``TextChoices.values`` list)."""
    return models.CheckConstraint(condition=Q(**{f"{field}__in": list(values)}), name=name)


def implies(when, then, *, name):
    """The database's guard that a row where ``when`` holds also satisfies ``then`` (an answered request has
    an answer): ``~when | then``."""
    return models.CheckConstraint(condition=~when | then, name=name)


class choice_is:  # noqa: N801 (used like ``property``)
    """``is_signed = choice_is("status", DeclarationStatus.SIGNED)``: true when ``status`` holds one of the
    values given."""

    def __init__(self, field, *values):
        self.field = field
        self.values = frozenset(values)

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        return getattr(obj, self.field) in self.values
