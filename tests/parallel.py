"""What each pytest-xdist worker process must not share with the others (`make test` runs
each pass on several; scripts/test.sh).

pytest-django gives every worker its own test database (`…_gw0`, `…_gw1`), and the fixtures'
files live under the worker's own basetemp. Redis is the one shared service left: in
distributed mode the workers' Celery workers would take each other's tasks off the one
`celery` queue, and Pub/Sub channels and MONITOR span every database of a server, so neither
a database index nor a key prefix separates them. So each worker starts a redis-server of its
own and points this process at it before any test runs: the settings, and the environment
that the Celery workers and daphnes it starts inherit.
"""

from __future__ import annotations

import os

from tests.redis_server import PrivateRedis

_own: PrivateRedis | None = None


def worker_id() -> str | None:
    """gw0, gw1, … in an xdist worker process; None in a plain pytest run."""
    return os.environ.get("PYTEST_XDIST_WORKER")


def give_this_worker_its_own_redis() -> None:
    """Distributed mode under xdist: start this worker's redis-server and use it from now on."""
    global _own
    from django.conf import settings

    if not worker_id() or not settings.DISTRIBUTED or _own is not None:
        return
    shared = settings.REDIS_URL
    _own = PrivateRedis()
    url = _own.url
    os.environ["REDIS_URL"] = url
    settings.REDIS_URL = url
    settings.CELERY_BROKER_URL = url
    settings.CHANNEL_LAYERS["default"]["CONFIG"]["hosts"] = [url]
    settings.CACHES["default"]["LOCATION"] = url
    # A setting derived from REDIS_URL that is not repointed above would still be shared.
    left = [
        name for name in dir(settings) if name.isupper() and shared in repr(getattr(settings, name))
    ]
    if left:
        raise RuntimeError(f"settings still name the shared Redis {shared}: {left}")
    # Nothing has connected yet (pytest_configure runs before any test), but the Celery app
    # may have read its configuration already.
    from coordinator.celery import app

    if app.configured:
        app.conf.broker_url = url


def stop_own_redis() -> None:
    global _own
    if _own is not None:
        _own.stop()
        _own = None
