"""Settings of the test run: the real settings (pact_portal/settings.py), with the environment a test run wants.

Nothing in the real settings depends on being under pytest; what tests need differently is said here, through
the same environment variables production uses (so the servers that tests/load and tests/scale start inherit it,
unless they pass their own).
"""

import os
import re

# Pages and their figures are computed on every request (a test that wants a cache turns it on), and cookies travel over
# the test client's plain HTTP.
os.environ.setdefault("PUBLIC_PAGE_CACHE_SECONDS", "0")
os.environ.setdefault("REGISTRY_FIGURES_CACHE_SECONDS", "0")
os.environ.setdefault("SECURE_COOKIES", "0")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")


def worker_redis_url(url, worker):
    """Each pytest-xdist worker (gw0, gw1, …) gets a Redis database of its own, since clearing the cache is
    FLUSHDB: upwards from the number in REDIS_URL, downwards when that would pass 15 (Redis has 16)."""
    index = int(worker.removeprefix("gw")) if worker.startswith("gw") else 0
    found = re.fullmatch(r"(rediss?://[^/]+)(?:/(\d+))?", url)
    if not index or not found:
        return url
    base = int(found.group(2) or 0)
    number = base + index if base + index <= 15 else base - index
    if number < 0:
        raise RuntimeError(f"too many xdist workers for the Redis databases below {url}")
    return f"{found.group(1)}/{number}"


if os.environ.get("REDIS_URL"):
    os.environ["REDIS_URL"] = worker_redis_url(
        os.environ["REDIS_URL"], os.environ.get("PYTEST_XDIST_WORKER", "")
    )

from pact_portal.settings import *  # noqa: E402, F403
from pact_portal.settings import STORAGES  # noqa: E402

# Without REDIS_URL, one process's memory (production would use the database table; a test clears the cache
# around itself, also in tests that have no database).
if not os.environ.get("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Static files straight from the source folders: a test run does not collect them (no manifest to build).
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
