"""Read replicas: public page reads by anonymous visitors go to a replica, everything else to `default`.

`DATABASE_REPLICA_URLS` (comma-separated) adds the aliases ``replica1`` … ``replicaN``. A request is a
"public read" when it is a GET or HEAD by a visitor who is not signed in, outside the admin
(`PublicReadMiddleware` sets a context variable for the duration of the view). Only then do reads go to a
replica, chosen at random per query. Writes, migrations, signed-in (staff) work, POSTs, management commands
and reads inside a transaction always use ``default``, so nobody reads back a stale copy of what they wrote.
A replica lags its primary by a moment: anonymous public pages tolerate that (the page cache already
serves them up to PUBLIC_PAGE_CACHE_SECONDS old).
"""

import contextvars
import random

from django.db import connections

_public_read = contextvars.ContextVar("public_read", default=False)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def replica_aliases():
    return [alias for alias in connections if alias.startswith("replica")]


class PublicReadMiddleware:
    """Marks a request as a public read (see the module docstring) while its view runs.

    Placed after AuthenticationMiddleware: looking at ``request.user`` loads the session and the user from
    ``default``, before the flag is set.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_aliases() or not self.is_public_read(request):
            return self.get_response(request)
        token = _public_read.set(True)
        try:
            return self.get_response(request)
        finally:
            _public_read.reset(token)

    @staticmethod
    def is_public_read(request):
        admin_prefix = "/admin/"
        return (
            request.method in SAFE_METHODS
            and not request.path_info.startswith(admin_prefix)
            and not request.user.is_authenticated
        )


class ReplicaRouter:
    """Sends public reads to a replica; writes, migrations and anything else to ``default``."""

    def db_for_read(self, model, **hints):
        if not _public_read.get():
            return "default"
        if connections["default"].in_atomic_block:  # a transaction may have written: read it back there
            return "default"
        replicas = replica_aliases()
        return random.choice(replicas) if replicas else "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # every alias holds the same data

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
