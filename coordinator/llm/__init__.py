"""Model calls: litellm for real providers, and the built-in offline model ``baton/local``.

* :mod:`.litellm` — :class:`LiteLLMModel`, any provider litellm supports; the only module
  that calls litellm (:mod:`.catalogue` reads its bundled lists), and only lazily
  (:mod:`.loading`), so the ``baton/local`` path
  (:class:`LocalModel`, :func:`count_tokens` and :func:`truncate_history` without a real
  model) never imports it.
* :mod:`.local` — :class:`LocalModel`, ``baton/local``: deterministic and offline.
* :mod:`.scripted` — :class:`ScriptedModel`, replies scripted per task, for exercising
  code that calls a model without one.
* :mod:`.catalogue` — providers and chat models from litellm's bundled lists (the Models
  page and the model pickers).
* :mod:`.base` (the protocol, usage, errors) and :mod:`.tokens` are shared by all three.

Callers outside tests reach a model through ``coordinator.credentials.model_for``.
"""

from __future__ import annotations

from functools import lru_cache

from coordinator.llm.base import (
    LOCAL_MODEL,
    Model,
    ModelError,
    ModelTimeout,
    Usage,
    is_local,
)
from coordinator.llm.catalogue import (
    known_chat_models,
    provider_key_in_environment,
    provider_names,
)
from coordinator.llm.litellm import LiteLLMModel, reasoning_params
from coordinator.llm.local import (
    LOCAL,
    LOCAL_TASKS,
    NO_EXTRACTIVE_ANSWER,
    LocalModel,
    extractive_answer,
    local_task,
)
from coordinator.llm.scripted import ScriptedModel
from coordinator.llm.tokens import count_tokens, estimate_tokens, truncate_history

__all__ = [
    "LOCAL_MODEL",
    "LOCAL_TASKS",
    "NO_EXTRACTIVE_ANSWER",
    "ScriptedModel",
    "LiteLLMModel",
    "LocalModel",
    "Model",
    "ModelError",
    "ModelTimeout",
    "Usage",
    "count_tokens",
    "estimate_tokens",
    "extractive_answer",
    "get_model",
    "is_local",
    "known_chat_models",
    "local_task",
    "provider_key_in_environment",
    "provider_names",
    "reasoning_params",
    "truncate_history",
]


@lru_cache(maxsize=256)
def _litellm_model(name: str, api_base: str | None, api_key: str | None) -> LiteLLMModel:
    return LiteLLMModel(name, api_base=api_base, api_key=api_key)


def get_model(
    name: str | None, *, api_base: str | None = None, api_key: str | None = None
) -> Model:
    """``""``/``None``/``"baton/local"`` → the LocalModel singleton; anything else → litellm.

    LiteLLMModel instances are reused per (name, api_base, key) so what is learned
    about an endpoint (e.g. that it rejects ``response_format``) sticks. Callers outside
    tests go through ``coordinator.credentials.model_for``, which supplies both from a
    staff-managed Connection.
    """
    if is_local(name):
        return LOCAL
    return _litellm_model(str(name).strip(), api_base or None, api_key or None)
