"""KPI progress: delivery reported against the pledge of the current signed declaration."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import KPIProgress
from .history import review_event_write


def kpi_progress_can_report(*, kpi):
    """(allowed, reason): progress is reported against the current signed declaration only."""
    if not kpi.declaration.is_signed:
        return False, _("Progress is reported against the current signed declaration.")
    return True, ""


def kpi_progress_report(*, kpi, value, reported_on, note="", actor=None):
    """Record a value reported for a KPI, with an entry in the declaration's history."""
    allowed, reason = kpi_progress_can_report(kpi=kpi)
    if not allowed:
        raise ValidationError(reason)
    progress = KPIProgress(kpi=kpi, value=value, reported_on=reported_on, note=note, reported_by=actor)
    progress.full_clean()
    progress.save()
    review_event_write(
        kpi.declaration, actor=actor, action="progress_reported", comment=f"{kpi.indicator}: {value}"
    )
    return progress
