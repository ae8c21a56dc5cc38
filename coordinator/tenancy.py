"""Whose agents, canvases and connections a run may reach.

A run acts for the user who started it (a nested run inherits its parent's), or, for runs
nobody started (CLI, triggers), for its canvas's owner. Every way a run reaches another
object — plan agent names, fallbacks, adaptive alternatives, load balancing, canvas-kind
agents, sub-plans, model connections — resolves among what this user may use.
"""

from __future__ import annotations


def principal(run):
    return run.created_by if run.created_by_id else run.canvas.owner
