"""Fixed-window request counts for the throttles (coordinator/api/throttles.py).

`hit(name, seconds)` counts one request in the window `name` names and returns the count so
far and the seconds until the window ends. A window opens with its first request and lasts
`seconds`; the next request after it opens a new one.

Where the default cache is Redis (distributed mode), the count lives there, so every
process shares it, and a hit is one atomic trip: SET NX EX (open the window), INCR and PTTL
in one MULTI … EXEC — no read-then-write that two processes could interleave. Otherwise
(embedded mode, one process) the count lives in the local cache, updated under a lock.
"""

from __future__ import annotations

import math
import threading
import time

import redis
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

PREFIX = "baton:throttle:"

_client: redis.Redis | None = None
_client_lock = threading.Lock()
_local_lock = threading.Lock()


def hit(name: str, seconds: int) -> tuple[int, int]:
    """Count a request in window `name`: (requests in the window, seconds until it ends)."""
    if isinstance(caches["default"], RedisCache):
        return _redis_hit(PREFIX + name, seconds)
    return _local_hit(PREFIX + name, seconds)


def _redis_hit(key: str, seconds: int) -> tuple[int, int]:
    pipe = _redis().pipeline(transaction=True)
    pipe.set(key, 0, ex=seconds, nx=True)
    pipe.incr(key)
    pipe.pttl(key)
    _, count, left_ms = pipe.execute()
    return count, max(1, math.ceil(left_ms / 1000))


def _redis() -> redis.Redis:
    global _client
    with _client_lock:
        if _client is None:
            _client = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
        return _client


def _local_hit(key: str, seconds: int) -> tuple[int, int]:
    now = time.monotonic()
    with _local_lock:
        cache = caches["default"]
        count, ends = cache.get(key) or (0, now + seconds)
        if ends <= now:
            count, ends = 0, now + seconds
        count += 1
        cache.set(key, (count, ends), timeout=math.ceil(ends - now))
    return count, max(1, math.ceil(ends - now))
