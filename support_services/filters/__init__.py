"""Filters of the knowledge pages and of the events list, one module per domain; re-exported here."""

from .events import (  # noqa: F401
    ATTENDANCE_CHOICES,
    PAST,
    UPCOMING,
    WHEN_CHOICES,
    EventFilter,
    split_by_time,
)
from .knowledge import (  # noqa: F401
    EcosystemLink,
    KpiFilter,
    ResourceFilter,
)
