"""A fixed-window rate limit per client address, counted in the Django cache (Redis when configured),
so the limit holds across server processes. Used by every app (it depends on none of them)."""

import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render


def client_address(request):
    header = settings.CLIENT_IP_HEADER
    if header and request.META.get(header):
        return request.META[header].split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "unknown")


def parse_rate(rate):
    """'20/3600' → (20, 3600)."""
    count, _sep, seconds = str(rate).partition("/")
    return int(count), int(seconds or 3600)


def hit(request, *, bucket, rate):
    """Count one request; True when it is over the limit (the caller answers 429)."""
    limit, window = parse_rate(rate)
    now = int(time.time())
    key = f"ratelimit:{bucket}:{client_address(request)}:{now // window}"
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        count = 1
    return count > limit


def too_many_requests(request):
    """The styled 429 page (templates/429.html)."""
    return render(request, "429.html", status=429)
