"""Fixed-window request counts for the throttles (coordinator/api/throttles.py).

`hit(name, seconds)` counts one request in the window `name` names and returns the count so
far and the seconds until the window ends. A window opens with its first request and lasts
`seconds`; the next request after it opens a new one.

Where the default cache is Redis (distributed mode), the count lives there, so every
process shares it, and a hit is one atomic trip: SET NX EX (open the window), INCR and PTTL
in one script (EVALSHA; Redis runs a script atomically) — no read-then-write that two
processes could interleave. A MULTI … EXEC did the same with five replies to parse instead
of one, which cost redis-py's Python parser more CPU than the rest of the throttle. Otherwise
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

_client_lock = threading.Lock()
_local_lock = threading.Lock()


def hit(name: str, seconds: int) -> tuple[int, int]:
    """Count a request in window `name`: (requests in the window, seconds until it ends)."""
    if isinstance(caches["default"], RedisCache):
        return _redis_hit(PREFIX + name, seconds)
    return _local_hit(PREFIX + name, seconds)


HIT = """
redis.call('SET', KEYS[1], 0, 'EX', ARGV[1], 'NX')
return {redis.call('INCR', KEYS[1]), redis.call('PTTL', KEYS[1])}
"""


def _redis_hit(key: str, seconds: int) -> tuple[int, int]:
    count, left_ms = _script()(keys=[key], args=[seconds])
    return count, max(1, math.ceil(left_ms / 1000))


_hit_script = None


def _script():
    """The HIT script, sent by its SHA (and loaded again by redis-py if Redis lost it)."""
    global _hit_script
    with _client_lock:
        if _hit_script is None:
            client = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
            _hit_script = client.register_script(HIT)
        return _hit_script


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
