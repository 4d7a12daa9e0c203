"""Every write to the registry goes through these functions (keyword-only, named <noun>_<verb>), one module per
domain, re-exported here: other apps call ``partnerships.services.<name>``."""

from .coordinators import *  # noqa: F403
from .join_requests import *  # noqa: F403
from .registry import *  # noqa: F403
