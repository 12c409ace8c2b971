"""Course generation engines and how to pick one."""

from __future__ import annotations

import os

from coursegen.engines.base import Engine
from coursegen.errors import UsageError

ENGINE_CHOICES = ("auto", "llm", "extractive")


def llm_endpoint_configured() -> bool:
    """True when the environment names an OpenAI-compatible endpoint or key."""
    return bool(os.environ.get("OPENAI_BASE_URL") or os.environ.get("OPENAI_API_KEY"))


def get_engine(choice: str = "auto") -> Engine:
    """The engine for `--engine`: auto picks llm when an endpoint is configured, else extractive."""
    if choice not in ENGINE_CHOICES:
        raise UsageError(f"unknown engine '{choice}'", f"use one of: {', '.join(ENGINE_CHOICES)}")
    wants_llm = choice == "llm" or (choice == "auto" and llm_endpoint_configured())
    if wants_llm:
        try:
            from coursegen.engines.llm import LLMEngine  # type: ignore[import-not-found,unused-ignore]
        except ImportError:
            if choice == "auto":
                return _extractive()
            raise UsageError(
                "the llm engine is not available yet in this version",
                "use --engine extractive (the offline engine) for now",
            ) from None
        engine: Engine = LLMEngine()
        return engine
    return _extractive()


def _extractive() -> Engine:
    from coursegen.engines.extractive import ExtractiveEngine

    return ExtractiveEngine()
