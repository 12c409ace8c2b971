"""The LLM engine: stages written by a language model through the LLM layer (see engine.py)."""

# LLMEngine loads on first use: it pulls in `openai` (over a second to import), which the build
# command's flag handling (choice.py) and an extractive build never need.
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from coursegen.engines.llm.engine import LLMEngine

__all__ = ["LLMEngine"]


def __getattr__(name: str) -> Any:
    if name == "LLMEngine":
        from coursegen.engines.llm.engine import LLMEngine

        return LLMEngine
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
