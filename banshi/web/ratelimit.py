"""One rate limiter for what residents reach without an account, on the H5 pages and in the API.

Each scope has fixed-window limits per client address (`clients.client_address`; an IPv6
address counts by its /64, which one phone can roam over) and per device
(`clients.device_id`; callers that send none share one "no device" counter per address).
`reserve` counts accepted work only: it takes a place in every counter before the work and
gives it back when the work fails, so an invalid submission costs nothing. `attempt` counts
every try (tracking and logging in, where wrong guesses are what is counted). Callers with
an account are not limited.

Taking a place is atomic, so concurrent requests never overshoot a limit: counters live in
the database (a conditional `UPDATE … SET count = count + 1 WHERE count < limit`) or, when
`BANSHI_REDIS_URL` is set, in Redis through Django's cache (`INCR`). Either is shared by
every process of the site.
"""

import datetime as dt
import hashlib
import math
import time
from contextlib import contextmanager, suppress
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from django.utils import timezone

from .clients import address_bucket, device_id
from .models import RateCounter

# scope → (setting with the per-address rate, setting with the per-device rate or None)
SCOPES = {
    "submit": ("BANSHI_SUBMIT_RATE", "BANSHI_DEVICE_SUBMIT_RATE"),
    "track": ("BANSHI_TRACK_RATE", "BANSHI_DEVICE_TRACK_RATE"),
    "token": ("BANSHI_TRACK_RATE", None),
    "signin": ("BANSHI_SUBMIT_RATE", "BANSHI_DEVICE_SUBMIT_RATE"),  # a symposium's QR sign-in
}
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
PURGE_EVERY = 600  # seconds between sweeps of expired database counters (per process)


class RateLimited(Exception):
    """The caller is over a limit; `retry_after` seconds until its window ends."""

    message = "操作太频繁，请稍后再试"

    def __init__(self, retry_after: int):
        super().__init__(self.message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Rate:
    limit: int
    window: int  # seconds

    @classmethod
    def parse(cls, text: str) -> "Rate":
        """'20/h' → 20 per hour; '5/10m' → 5 per 10 minutes."""
        count, _, period = text.strip().partition("/")
        period = period.strip() or "h"
        try:
            return cls(int(count), int(period[:-1] or 1) * _UNITS[period[-1]])
        except (KeyError, ValueError):
            raise ValueError(f"rate {text!r} is not like '20/h' or '5/10m'") from None


@dataclass(frozen=True)
class Counter:
    key: str
    rate: Rate
    ends: int  # when the window closes (Unix time)

    @classmethod
    def current(cls, name: str, rate: Rate, now: float) -> "Counter":
        slot = int(now) // rate.window
        return cls(f"banshi:rate:{name}:{rate.window}:{slot}", rate, (slot + 1) * rate.window)


def counters(request, scope: str, now: float) -> list[Counter]:
    """The counters one request of `scope` counts against, per address then per device."""
    address_rate, device_rate = SCOPES[scope]
    address = address_bucket(request)
    found = [Counter.current(f"{scope}:ip:{address}", Rate.parse(getattr(settings,
                                                                           address_rate)), now)]
    if device_rate:
        device = device_id(request) or f"none:{address}"
        digest = hashlib.sha256(device.encode()).hexdigest()[:32]
        found.append(Counter.current(f"{scope}:dev:{digest}",
                                     Rate.parse(getattr(settings, device_rate)), now))
    return found


class DatabaseCounters:
    """Counters in the RateCounter table; atomic on SQLite and PostgreSQL alike."""

    _next_purge = 0.0

    def take(self, counter: Counter) -> bool:
        self._purge()
        expires = dt.datetime.fromtimestamp(counter.ends + 60, tz=dt.UTC)
        RateCounter.objects.bulk_create(
            [RateCounter(key=counter.key, count=0, expires_at=expires)], ignore_conflicts=True)
        return RateCounter.objects.filter(key=counter.key, count__lt=counter.rate.limit).update(
            count=F("count") + 1) == 1

    def give_back(self, counter: Counter) -> None:
        RateCounter.objects.filter(key=counter.key, count__gt=0).update(count=F("count") - 1)

    @classmethod
    def _purge(cls) -> None:
        if time.monotonic() >= cls._next_purge:
            cls._next_purge = time.monotonic() + PURGE_EVERY
            RateCounter.objects.filter(expires_at__lt=timezone.now()).delete()


class CacheCounters:
    """Counters in Django's cache; atomic when that cache is Redis (INCR/DECR)."""

    def take(self, counter: Counter) -> bool:
        timeout = max(1, math.ceil(counter.ends - time.time())) + 60
        cache.add(counter.key, 0, timeout=timeout)
        try:
            count = cache.incr(counter.key)
        except ValueError:  # expired between add and incr
            cache.add(counter.key, 0, timeout=timeout)
            count = cache.incr(counter.key)
        if count > counter.rate.limit:
            self.give_back(counter)
            return False
        return True

    def give_back(self, counter: Counter) -> None:
        with suppress(ValueError):  # ValueError: the window is over and its counter gone
            cache.decr(counter.key)


def _store() -> DatabaseCounters | CacheCounters:
    return CacheCounters() if settings.BANSHI_RATE_LIMIT_STORE == "cache" else DatabaseCounters()


def _exempt(request) -> bool:
    return bool(getattr(getattr(request, "user", None), "is_authenticated", False))


def _take(request, scope: str) -> list[Counter]:
    if _exempt(request):
        return []
    store, now = _store(), time.time()
    taken: list[Counter] = []
    for counter in counters(request, scope, now):
        if not store.take(counter):
            _give_back(taken)
            raise RateLimited(max(1, math.ceil(counter.ends - now)))
        taken.append(counter)
    return taken


def _give_back(taken: list[Counter]) -> None:
    store = _store()
    for counter in taken:
        store.give_back(counter)


def attempt(request, scope: str) -> None:
    """Count one try of `scope`; raise RateLimited when the caller is over a limit."""
    _take(request, scope)


@contextmanager
def reserve(request, scope: str):
    """Hold a place for one piece of work; it stays counted only if the block succeeds."""
    taken = _take(request, scope)
    try:
        yield
    except BaseException:
        _give_back(taken)
        raise
