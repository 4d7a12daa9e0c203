"""Whole-page caching of the public registry pages for anonymous visitors.

A cached page is keyed by its full URL, the language and the registry version; every write to the
registry bumps the version (after commit), so a change shows at once in every process that shares
the cache (Redis in production). PUBLIC_PAGE_CACHE_SECONDS bounds staleness where processes do not
share a cache, and 0 switches page caching off.
"""

import functools
import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import Resolver404, resolve
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from .db_router import CHANGED_AT_KEY, replica_reads
from .i18n import LANGUAGE_PARAMETER, request_language, requested_language

VERSION_KEY = "registry-version"
logger = logging.getLogger(__name__)


def registry_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def registry_changed():
    """Call from every write to the registry: cached pages are rebuilt after the transaction commits."""

    def bump():
        try:
            cache.incr(VERSION_KEY)
        except ValueError:  # not set yet
            cache.add(VERSION_KEY, 2, timeout=None)
        # Read replicas: public pages read from the primary until the replicas have caught up.
        cache.set(CHANGED_AT_KEY, time.time(), timeout=None)

    # robust: a cache outage must not turn a saved change into an error page.
    transaction.on_commit(bump, robust=True)


def registry_figures(name, compute, *parts):
    """``compute()``, kept once per registry version, language and ``parts`` (strings that say what it depends
    on, e.g. a list's filters): the aggregates of a page (its counts, facets, key figures) are computed by the
    first request after a change, whether or not the page itself is cached. Every write bumps the version, so
    a change shows at once; REGISTRY_FIGURES_CACHE_SECONDS bounds staleness where processes share no cache
    (0: computed every time). A cache outage falls back to computing."""
    seconds = settings.REGISTRY_FIGURES_CACHE_SECONDS
    if seconds <= 0:
        return compute()
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:32]
    try:
        key = f"figures:{name}:{registry_version()}:{get_language()}:{digest}"
        value = cache.get(key)
    except Exception:
        logger.warning("Figures cache unavailable", exc_info=True)
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(key, value, seconds)
        except Exception:
            logger.warning("Figures cache unavailable", exc_info=True)
    return value


def vary_on_names(vary_on):
    """The query parameter names ``vary_on`` declares: each item a name, or a FilterSet class (its filters)."""
    names = {LANGUAGE_PARAMETER}  # every page can be asked for in one language (its hreflang alternates)
    for item in vary_on:
        names.update([item] if isinstance(item, str) else item.base_filters)
    return frozenset(names)


def _cacheable(request, parameters):
    # Signed-in users, visitors with a session (messages, forms) or pending messages get fresh pages.
    return (
        request.method in ("GET", "HEAD")
        and settings.PUBLIC_PAGE_CACHE_SECONDS > 0
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and set(request.GET) <= parameters
        and (LANGUAGE_PARAMETER not in request.GET or requested_language(request) is not None)
        and len(request.get_full_path()) <= 500
    )


def page_key(request, language):
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"page:{registry_version()}:{language}:{digest}"


class CachedPageMiddleware:
    """Answers an anonymous visitor's GET or HEAD of a cached public page before the middleware below it runs
    (sessions, CSRF, authentication, messages, lock-outs: none of them has anything to do for such a request).

    It applies the same rules as ``public_page`` (the view's declared parameters, no session or messages
    cookie), finds the language as LocaleMiddleware would, and adds what the skipped middleware would have
    added to the page (Content-Language, X-Frame-Options). Anything else, a miss included, goes down the
    stack as before; the view's decorator then caches the page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.cached(request)
        return self.get_response(request) if response is None else response

    @staticmethod
    def cached(request):
        if request.method not in ("GET", "HEAD") or settings.PUBLIC_PAGE_CACHE_SECONDS <= 0:
            return None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        parameters = getattr(match.func, "cache_parameters", None)
        if parameters is None or not _cacheable(request, parameters):
            return None
        language = request_language(request)
        try:
            response = cache.get(page_key(request, language))
        except Exception:  # the cache is down: the view answers (and says so in the log)
            return None
        if response is None:
            return None
        response.headers.setdefault("Content-Language", language)
        response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        return response


def public_page(view=None, *, vary_on=()):
    """Serve the view's 200 responses from the cache for anonymous visitors (their reads may go to a replica).

    ``vary_on`` declares the query parameters the page reads: names, or the FilterSet class of a list page
    (its filters' names), e.g. ``@public_page(vary_on=[PartnershipFilter, "page"])``. A request with any other
    parameter is answered but not cached, so junk URLs cannot fill the cache with copies of the same page.
    """
    if view is None:
        return functools.partial(public_page, vary_on=vary_on)
    parameters = vary_on_names(vary_on)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        with replica_reads(request):
            return serve(request, *args, **kwargs)

    def serve(request, *args, **kwargs):
        if not _cacheable(request, parameters):
            return view(request, *args, **kwargs)
        try:
            key = page_key(request, get_language())
            cached = cache.get(key)
        except Exception:  # the cache is down: serve the page uncached
            logger.warning("Page cache unavailable", exc_info=True)
            return view(request, *args, **kwargs)
        if cached is not None:
            return cached
        response = view(request, *args, **kwargs)
        patch_vary_headers(response, ["Cookie", "Accept-Language"])
        storage = getattr(request, "_messages", None)
        has_messages = storage is not None and len(storage) > 0  # shown to this visitor only
        if (
            response.status_code == 200
            and not response.streaming
            and not has_messages
            and not response.cookies
        ):
            if hasattr(response, "render") and callable(response.render):
                response.render()
            try:
                cache.set(key, response, settings.PUBLIC_PAGE_CACHE_SECONDS)
            except Exception:
                logger.warning("Page cache unavailable", exc_info=True)
        return response

    wrapper.cache_parameters = parameters
    return wrapper


def _changed(sender, **kwargs):
    registry_changed()


def watch(*models):
    """Any save or delete of these models invalidates the cached public pages."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for model in models:
        post_save.connect(_changed, sender=model, dispatch_uid=f"page-cache-save-{model._meta.label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"page-cache-delete-{model._meta.label}")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                _changed,
                sender=field.remote_field.through,
                dispatch_uid=f"page-cache-m2m-{field.name}-{model._meta.label}",
            )
