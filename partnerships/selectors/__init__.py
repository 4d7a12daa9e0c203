"""Reads for the public pages: querysets shaped once, here, with the related rows each page needs; one module per
domain, re-exported here."""

from .join_requests import *  # noqa: F403
from .registry import *  # noqa: F403
from .statistics import *  # noqa: F403
