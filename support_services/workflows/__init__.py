"""The support services' state machines, declared as data and run by ``pact_portal.workflow``; one module
per domain, re-exported here."""

from .applications import APPLICATION, EOI_TRANSITIONS  # noqa: F401
from .lifecycle import STAGE, STAGE_TRANSITIONS, move_name, reason_needed  # noqa: F401
from .support_requests import SUPPORT_REQUEST, SUPPORT_REQUEST_TRANSITIONS  # noqa: F401
