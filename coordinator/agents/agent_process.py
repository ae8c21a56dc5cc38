"""The inside of a python agent's process (see coordinator.agents.processes).

It is imported once by the forkserver (Django set up there, so each process forks ready),
then serves one call at a time: it takes the caller's environment, setting overrides and
database settings (when the call brings them: the first, and any after they changed), calls the allowlisted callable and sends back its result, each item of a
generator as it is produced, or the error as text. It dies with the process that started it:
a worker killed with `kill -9` leaves no agent running behind it.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import signal
import threading

SENTINEL = object()


def _setup_django() -> None:
    from django.apps import apps

    if os.environ.get("DJANGO_SETTINGS_MODULE") and not (apps.ready or apps.loading):
        import django

        django.setup()


# In the forkserver (a worker imports this too: Django is set up there already). A failure
# here is not fatal: each process sets up again, and reports the failure to its caller.
with contextlib.suppress(Exception):
    _setup_django()


class Unsendable(Exception):  # noqa: N818 - a description, raised only to be reported
    """A value the agent produced cannot be pickled back to the worker."""


def serve(conn, lifeline) -> None:
    # A deploy's SIGTERM (systemd signals every process of the service) or a terminal's
    # Ctrl-C is for the worker, which drains and then ends its agent processes itself.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_die_with_parent, args=(lifeline,), daemon=True).start()
    _setup_django()
    conn.send(("ready", os.getpid()))  # the caller's timeout starts with the call, not before
    applied: dict = {}
    while True:
        try:
            request = conn.recv()
        except EOFError:  # the worker closed this process
            return
        if "surroundings" in request:  # sent with the first call and whenever they change
            applied = _adopt(request["surroundings"], applied)
        _answer(conn, request)


def _die_with_parent(lifeline) -> None:
    """The worker never writes to the lifeline: it reads end-of-file only when the worker's
    end is closed, i.e. the worker stopped this process or died."""
    with contextlib.suppress(EOFError, OSError):
        lifeline.recv()
    os._exit(0)


def _adopt(surroundings: dict, applied: dict) -> dict:
    """Run the call as if in the worker: its environment, its settings, its database."""
    from django.conf import settings
    from django.core.signals import setting_changed
    from django.db import connections

    if os.environ != surroundings["environ"]:
        os.environ.clear()
        os.environ.update(surroundings["environ"])
    for alias, wanted in surroundings["databases"].items():
        current = settings.DATABASES.get(alias)
        if current is not None and current != wanted:
            connections[alias].close()
            current.clear()
            current.update(wanted)
    overrides = surroundings["overrides"]
    for name in applied.keys() - overrides.keys():  # overridden last time, not this time
        _set(settings, setting_changed, name, applied[name][0])
    kept = {}
    for name, value in overrides.items():
        original = applied[name][0] if name in applied else getattr(settings, name, SENTINEL)
        if name not in applied or applied[name][1] != value:
            _set(settings, setting_changed, name, value)
        kept[name] = (original, value)
    return kept


def _set(settings, setting_changed, name: str, value) -> None:
    if value is SENTINEL:
        delattr(settings, name)
    else:
        setattr(settings, name, value)
    setting_changed.send(sender=type(settings), setting=name, value=value, enter=True)


def _answer(conn, request: dict) -> None:
    from django.db import close_old_connections

    close_old_connections()
    try:
        module_name, _, attr = request["path"].rpartition(".")
        fn = getattr(importlib.import_module(module_name), attr)
        result = fn(request["payload"], **request["kwargs"])
        if hasattr(result, "__next__"):
            for item in result:
                _send(conn, ("item", item), "yielded an item")
            conn.send(("items", None))
        else:
            _send(conn, ("done", result), "returned a value")
    except Unsendable as exc:
        conn.send(("error", str(exc)))
    except BaseException as exc:  # noqa: BLE001 - reported to the worker as the step's error
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        close_old_connections()


def _send(conn, message: tuple, what: str) -> None:
    try:
        conn.send(message)
    except Exception as exc:  # pickling happens before a byte is written: nothing half-sent
        raise Unsendable(
            f"{what} that cannot leave the agent's process "
            f"({type(message[1]).__name__}: {type(exc).__name__}: {exc})"
        ) from None
