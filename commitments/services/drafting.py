"""Drafting: a new version of a partnership's declaration, and its content while it is editable."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext as _

from pact_portal.workflow import lock

from ..models import (
    CHARTER_PRINCIPLES,
    EDITABLE_STATUSES,
    KPI,
    Action,
    Declaration,
    DeclarationStatus,
    Objective,
)
from .history import review_event_write

S = DeclarationStatus
OPEN_STATUSES = {S.DRAFT, S.SUBMITTED, S.CHANGES_REQUESTED, S.APPROVED}


def _lock(declaration):
    return lock(Declaration.objects.select_related("partnership"), pk=declaration.pk)


# What a new version copies of each content row of the latest one: {model: (related name, fields)}.
COPIED_CONTENT = {
    Objective: ("objectives", ["text", "position"]),
    Action: ("actions", ["what", "lead_organisation_id", "start", "end", "position"]),
    KPI: ("kpis", ["indicator", "unit", "baseline", "target", "target_year", "position"]),
}


@transaction.atomic
def declaration_create(*, partnership, actor=None, is_demo=False, language=None):
    """Open a new draft version, copying the content of the latest version (or the partnership's profile).

    ``language``: the language its labels are printed in (default: the coordinator's, active now)."""
    if partnership.declarations.filter(status__in=OPEN_STATUSES).exists():
        raise ValidationError(_("This partnership already has a declaration in progress."))
    latest = partnership.declarations.order_by("-version").first()
    version = (partnership.declarations.aggregate(v=Max("version"))["v"] or 0) + 1
    declaration = Declaration(
        partnership=partnership,
        version=version,
        challenge=latest.challenge if latest else partnership.challenge,
        ambition=latest.ambition if latest else partnership.ambition,
        is_demo=is_demo,
        language=language or translation.get_language() or settings.LANGUAGE_CODE,
    )
    if latest:
        for field, _label in CHARTER_PRINCIPLES:
            setattr(declaration, field, getattr(latest, field))
    declaration.full_clean()
    declaration.save()
    if latest:
        for model, (related, fields) in COPIED_CONTENT.items():
            model.objects.bulk_create(
                model(declaration=declaration, **{field: getattr(row, field) for field in fields})
                for row in getattr(latest, related).all()
            )
    review_event_write(declaration, actor=actor, action="created", to_status=S.DRAFT)
    return declaration


@transaction.atomic
def declaration_save_content(
    *, declaration, actor=None, challenge, ambition, principles, objectives, actions, kpis
):
    """Replace the content of an editable declaration.

    ``principles``: the set of principle field names adhered to; ``objectives``: texts; ``actions`` and
    ``kpis``: dicts of their fields, in order.
    """
    locked = _lock(declaration)
    if locked.status not in EDITABLE_STATUSES:
        raise ValidationError(_("Only a draft, or a declaration sent back for changes, can be edited."))
    locked.challenge, locked.ambition = challenge, ambition
    for field, _label in CHARTER_PRINCIPLES:
        setattr(locked, field, field in principles)
    locked.full_clean()
    locked.save()
    locked.objectives.all().delete()
    locked.actions.all().delete()
    locked.kpis.all().delete()
    rows = [Objective(declaration=locked, text=text, position=i) for i, text in enumerate(objectives)]
    rows += [Action(declaration=locked, position=i, **a) for i, a in enumerate(actions)]
    rows += [KPI(declaration=locked, position=i, **k) for i, k in enumerate(kpis)]
    for row in rows:
        row.full_clean(exclude=["declaration"])
    for model in (Objective, Action, KPI):
        model.objects.bulk_create([r for r in rows if isinstance(r, model)])
    review_event_write(locked, actor=actor, action="edited")
    declaration.refresh_from_db()
    return locked


@transaction.atomic
def declaration_add_kpi(*, declaration, actor=None, indicator, unit, baseline, target, target_year):
    """Append one KPI to an editable declaration (e.g. copied from the KPI repository)."""
    locked = _lock(declaration)
    if locked.status not in EDITABLE_STATUSES:
        raise ValidationError(_("KPIs can only be added to a draft, or a declaration sent back for changes."))
    if target_year is None:
        raise ValidationError(
            _(
                "“%(indicator)s” names no target year: add it to your draft by hand with the year you commit to."
            )
            % {"indicator": indicator}
        )
    if locked.kpis.filter(indicator=indicator, unit=unit).exists():
        raise ValidationError(_("Your draft already has the KPI “%(indicator)s”.") % {"indicator": indicator})
    position = (locked.kpis.aggregate(p=Max("position"))["p"] or 0) + 1
    kpi = KPI(
        declaration=locked,
        indicator=indicator,
        unit=unit,
        baseline=baseline,
        target=target,
        target_year=target_year,
        position=position,
    )
    kpi.full_clean()
    kpi.save()
    review_event_write(locked, actor=actor, action="kpi_added", comment=f"{indicator} ({unit})")
    return kpi
