"""Importing litellm: once, lazily (it takes seconds), configured to stay offline."""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from types import ModuleType

_litellm_module: ModuleType | None = None
_litellm_lock = threading.Lock()


def load_litellm() -> ModuleType:
    """Import litellm once, configured to stay offline except for the model calls."""
    global _litellm_module
    if _litellm_module is None:
        with _litellm_lock:
            if _litellm_module is None:
                os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
                import litellm

                litellm.suppress_debug_info = True
                # token_counter would fetch Hugging Face tokenizers for llama/cohere/claude-2
                # names; the bundled tiktoken encodings are used instead.
                litellm.disable_hf_tokenizer_download = True
                litellm.telemetry = False
                _litellm_module = litellm
    return _litellm_module
