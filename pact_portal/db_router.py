"""Read replicas: the public pages' reads for anonymous visitors go to a replica, everything else to `default`.

`DATABASE_REPLICA_URLS` (comma-separated) adds the aliases ``replica1`` … ``replicaN``. Only the views that
`pact_portal.cache.public_page` serves (the registry, resources, events: pages that show published data and
write nothing) read from a replica, and only for a GET or HEAD by a visitor who is not signed in. The view
runs inside `replica_reads(request)`, which picks one replica for the whole request, so a count and its list
come from the same copy. Everything else uses ``default``: writes, migrations, signed-in (staff) work, POSTs,
the secret-link pages that read back what the visitor just wrote (an application's next step, a signature,
a newsletter confirmation), management commands and reads inside a transaction. For REPLICA_MAX_LAG_SECONDS
after a change to the registry, public pages read from ``default`` too, so the page cached under the new
registry version is never built from a replica that has not caught up yet.
"""

import contextlib
import contextvars
import random
import time

from django.conf import settings
from django.db import connections

# The replica alias this request's reads go to, or None (then everything uses default).
_replica = contextvars.ContextVar("replica", default=None)
CHANGED_AT_KEY = "registry-changed-at"

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def replica_aliases():
    return [alias for alias in connections if alias.startswith("replica")]


def is_public_read(request):
    return request.method in SAFE_METHODS and not request.user.is_authenticated


def _recently_changed():
    from django.core.cache import cache

    try:
        changed_at = cache.get(CHANGED_AT_KEY)
    except Exception:  # the cache is down: play safe
        return True
    return changed_at is not None and time.time() - changed_at < settings.REPLICA_MAX_LAG_SECONDS


@contextlib.contextmanager
def replica_reads(request):
    """Within this block, the request's reads go to one replica if it is a public read (see above)."""
    replicas = replica_aliases()
    if not replicas or not is_public_read(request) or _recently_changed():
        yield
        return
    token = _replica.set(random.choice(replicas))
    try:
        yield
    finally:
        _replica.reset(token)


class ReplicaRouter:
    """Sends public reads to a replica; writes, migrations and anything else to ``default``."""

    def db_for_read(self, model, **hints):
        replica = _replica.get()
        # The database cache (production's default without Redis) is read where it is written: its rate-limit
        # counters and the registry version must never come from a lagging replica.
        if replica is None or model._meta.app_label == "django_cache":
            return "default"
        if connections["default"].in_atomic_block:  # a transaction may have written: read it back there
            return "default"
        return replica

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # every alias holds the same data

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
