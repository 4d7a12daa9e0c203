"""The support services' state machines, declared as data and run by ``pact_portal.workflow``."""

from .applications import APPLICATION, EOI_TRANSITIONS  # noqa: F401
