"""The LLM layer: typed, checked, cached, resumable model calls over any OpenAI-compatible API.

Stages use `LLMClient.run` / `arun` (see client.py) and never touch the HTTP client. Build
wiring: `settings_from_flags` + `make_llm_client` + `engine_banner` (setup.py).
"""

# Exports load on first use: `openai` alone takes over a second to import, and most
# commands (ingest, validate, export, an extractive build) never need it.
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS: dict[str, str] = {
    "AdaptiveLimiter": "coursegen.llm.concurrency",
    "BatchPending": "coursegen.llm.types",
    "BatchWriter": "coursegen.llm.batch",
    "Estimate": "coursegen.llm.accounting",
    "ImportReport": "coursegen.llm.batch",
    "LLMClient": "coursegen.llm.client",
    "Ledger": "coursegen.llm.accounting",
    "Mode": "coursegen.llm.types",
    "OpenAITransport": "coursegen.llm.transport",
    "Prompt": "coursegen.llm.prompts",
    "PromptError": "coursegen.llm.prompts",
    "RequestRejected": "coursegen.llm.types",
    "ResponseCache": "coursegen.llm.cache",
    "RetryPolicy": "coursegen.llm.transport",
    "ServerUnavailable": "coursegen.llm.types",
    "Usage": "coursegen.llm.types",
    "ValidationExhausted": "coursegen.llm.types",
    "Validator": "coursegen.llm.conversation",
    "as_data": "coursegen.llm.prompts",
    "cache_key": "coursegen.llm.cache",
    "default_cache_path": "coursegen.llm.cache",
    "engine_banner": "coursegen.llm.setup",
    "estimate_tokens": "coursegen.llm.accounting",
    "format_summary": "coursegen.llm.accounting",
    "gather_items": "coursegen.llm.concurrency",
    "import_batch_output": "coursegen.llm.batch",
    "load_prompt": "coursegen.llm.prompts",
    "make_llm_client": "coursegen.llm.setup",
    "settings_from_flags": "coursegen.llm.setup",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'coursegen.llm' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


if TYPE_CHECKING:
    from coursegen.llm.accounting import Estimate as Estimate
    from coursegen.llm.accounting import Ledger as Ledger
    from coursegen.llm.accounting import estimate_tokens as estimate_tokens
    from coursegen.llm.accounting import format_summary as format_summary
    from coursegen.llm.batch import BatchWriter as BatchWriter
    from coursegen.llm.batch import ImportReport as ImportReport
    from coursegen.llm.batch import import_batch_output as import_batch_output
    from coursegen.llm.cache import ResponseCache as ResponseCache
    from coursegen.llm.cache import cache_key as cache_key
    from coursegen.llm.cache import default_cache_path as default_cache_path
    from coursegen.llm.client import LLMClient as LLMClient
    from coursegen.llm.concurrency import AdaptiveLimiter as AdaptiveLimiter
    from coursegen.llm.concurrency import gather_items as gather_items
    from coursegen.llm.conversation import Validator as Validator
    from coursegen.llm.prompts import Prompt as Prompt
    from coursegen.llm.prompts import PromptError as PromptError
    from coursegen.llm.prompts import as_data as as_data
    from coursegen.llm.prompts import load_prompt as load_prompt
    from coursegen.llm.setup import engine_banner as engine_banner
    from coursegen.llm.setup import make_llm_client as make_llm_client
    from coursegen.llm.setup import settings_from_flags as settings_from_flags
    from coursegen.llm.transport import OpenAITransport as OpenAITransport
    from coursegen.llm.transport import RetryPolicy as RetryPolicy
    from coursegen.llm.types import BatchPending as BatchPending
    from coursegen.llm.types import Mode as Mode
    from coursegen.llm.types import RequestRejected as RequestRejected
    from coursegen.llm.types import ServerUnavailable as ServerUnavailable
    from coursegen.llm.types import Usage as Usage
    from coursegen.llm.types import ValidationExhausted as ValidationExhausted

__all__ = [
    "AdaptiveLimiter",
    "BatchPending",
    "BatchWriter",
    "Estimate",
    "ImportReport",
    "LLMClient",
    "Ledger",
    "Mode",
    "OpenAITransport",
    "Prompt",
    "PromptError",
    "RequestRejected",
    "ResponseCache",
    "RetryPolicy",
    "ServerUnavailable",
    "Usage",
    "ValidationExhausted",
    "Validator",
    "as_data",
    "cache_key",
    "default_cache_path",
    "engine_banner",
    "estimate_tokens",
    "format_summary",
    "gather_items",
    "import_batch_output",
    "load_prompt",
    "make_llm_client",
    "settings_from_flags",
]
