"""A fixed-window rate limit per client address, counted in the Django cache (Redis when configured),
so the limit holds across server processes. Used by every app (it depends on none of them)."""

import functools
import hashlib
import ipaddress
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render


def _from_trusted_proxy(address):
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in _network(proxy) for proxy in settings.TRUSTED_PROXIES)


@functools.lru_cache(maxsize=64)
def _network(value):
    return ipaddress.ip_network(value, strict=False)


def client_address(request):
    """The address a request counts for: REMOTE_ADDR, or CLIENT_IP_HEADER's value when the request came from one
    of TRUSTED_PROXIES (the reverse proxy sets the header; a client reaching a server directly cannot)."""
    remote = request.META.get("REMOTE_ADDR", "unknown")
    header = settings.CLIENT_IP_HEADER
    if header and request.META.get(header) and _from_trusted_proxy(remote):
        return request.META[header].split(",")[0].strip()
    return remote


def parse_rate(rate):
    """'20/3600' → (20, 3600)."""
    count, _sep, seconds = str(rate).partition("/")
    return int(count), int(seconds or 3600)


def _key(request, bucket, window, key):
    who = client_address(request) if key is None else hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"ratelimit:{bucket}:{who}:{int(time.time()) // window}"


def over(request, *, bucket, rate, key=None):
    """True when the limit is already reached, without counting this request (for checks before an attempt
    whose failure alone counts, e.g. logins)."""
    limit, window = parse_rate(rate)
    return (cache.get(_key(request, bucket, window, key)) or 0) >= limit


def hit(request, *, bucket, rate, key=None):
    """Count one request; True when it is over the limit (the caller answers 429). Counted per client address,
    or per `key` when given (e.g. the e-mail address a request would write to)."""
    limit, window = parse_rate(rate)
    key = _key(request, bucket, window, key)
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
