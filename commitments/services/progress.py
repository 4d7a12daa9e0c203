"""KPI progress: delivery reported against the pledge of the current signed declaration."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import DeclarationStatus, KPIProgress
from .history import review_event_write


def kpi_progress_report(*, kpi, value, reported_on, note="", actor=None):
    if kpi.declaration.status != DeclarationStatus.SIGNED:
        raise ValidationError(_("Progress is reported against the current signed declaration."))
    progress = KPIProgress(kpi=kpi, value=value, reported_on=reported_on, note=note, reported_by=actor)
    progress.full_clean()
    progress.save()
    review_event_write(
        kpi.declaration, actor=actor, action="progress_reported", comment=f"{kpi.indicator}: {value}"
    )
    return progress
