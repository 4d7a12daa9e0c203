"""The support services' admin, one module per domain; importing each registers its ModelAdmins."""

from . import (  # noqa: F401
    applications,
    events,
    knowledge,
    lifecycle,
    newsletter,
    support_requests,
)
