"""Per-client fixed-window rate limits kept in Django's cache (shared by all workers)."""

import time

from django.core.cache import cache

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """'20/h' → (20, 3600); '5/10m' → (5, 600)."""
    count, _, period = rate.strip().partition("/")
    period = period.strip() or "h"
    multiplier = int(period[:-1]) if len(period) > 1 else 1
    return int(count), multiplier * _UNITS[period[-1]]


def client_ip(request) -> str:
    """The peer address; a reverse proxy must pass the real one in REMOTE_ADDR."""
    return request.META.get("REMOTE_ADDR") or "unknown"


def hit(scope: str, request, rate: str) -> bool:
    """Count one attempt; False when the client is over `rate` in the current window."""
    limit, window = parse_rate(rate)
    slot = int(time.time()) // window
    key = f"banshi:rate:{scope}:{client_ip(request)}:{slot}"
    cache.add(key, 0, timeout=window + 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 60)
        count = 1
    return count <= limit
