"""System checks of the portal's own production rules (run by `manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

PROCESS_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.security, Tags.caches, deploy=True)
def shared_cache(app_configs, **kwargs):
    """Rate limits, the login lock-out's companions and the page cache's registry version live in the cache: a
    cache of one process would let every worker count on its own (limits multiplied by the worker count)."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if not settings.DEBUG and backend in PROCESS_LOCAL_CACHES:
        return [
            Warning(
                "The default cache is local to each process: rate limits would count per worker.",
                hint="Set REDIS_URL, or leave CACHES to the portal's default (a table in the database).",
                id="pact_portal.W001",
            )
        ]
    return []
