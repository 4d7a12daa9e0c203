"""Reads of the support services for pages and the admin, one module per domain; re-exported here so that
``from support_services import selectors`` keeps working for other apps and tests."""

from .applications import (  # noqa: F401
    country_choices,
    eoi_admin_timeline,
    eoi_by_token,
    eoi_export_data,
    region_choices,
)
from .events import (  # noqa: F401
    CALENDAR_RECENT_DAYS,
    EVENT_TIME_ZONE,
    calendar_bytes,
    event_detail_public,
    event_rows,
    event_search,
    events_for_calendar,
    partnership_events,
)
from .knowledge import (  # noqa: F401
    KPI_ROW_FIELDS,
    coordinator_editable_declarations,
    kpi_repository,
    kpi_rows_with_context,
    kpi_units,
    repository_kpis,
    repository_targets,
    resource_detail_public,
    resource_rows,
    resource_search,
    resource_version_public,
)
from .lifecycle import (  # noqa: F401
    coordinator_support_record,
    overdue_checklist_items,
    partnership_checklist,
    partnership_stage_history,
    partnership_support_log,
    staff_dashboard,
    with_open_checklist_items,
)
from .support_requests import (  # noqa: F401
    coordinator_support_requests,
)
