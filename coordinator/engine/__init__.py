"""The run engine (docs/architecture.md), in one-way layers:

    sweeper → runner | approvals → recording → adaptive → replanning → rerouting
            → steps → store → core

`core/` decides (pure), `store` writes (conditional UPDATEs), `steps/` executes one step,
`recording` stores an outcome and what follows it, `runner` starts, advances and controls
runs, `sweeper` repairs. Callers outside the engine use this facade (`engine.start_run`,
`engine.advance`, …); inside, modules import the layer they need directly.
"""

from __future__ import annotations

import importlib

# name → the module that defines it. Resolved on first use (PEP 562) so that importing a
# low layer (say core.outcomes) never loads the whole engine above it.
_PUBLIC = {
    "ControlError": "store",
    "add_children": "store",
    "advance": "runner",
    "cancel": "recording",
    "complete_waiting": "recording",
    "execute_step": "runner",
    "intervene": "store",
    "leases": "runner",
    "lock_run": "store",
    "pause": "runner",
    "record": "recording",
    "release_claims": "runner",
    "resume": "runner",
    "signal": "runner",
    "start_run": "store",
    "start_sweeper": "sweeper",
    "sweep": "sweeper",
}

__all__ = sorted(_PUBLIC)


def __getattr__(name: str):
    if name not in _PUBLIC:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_PUBLIC[name]}"), name)
