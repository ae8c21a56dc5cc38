"""The five phases (docs/architecture.md): pure functions, pydantic in, pydantic out, a model passed in.

Importing this package registers the offline deciders for baton/local.
"""

from coordinator.phases import complexity, planning, reflection, selection, synthesis  # noqa: F401
