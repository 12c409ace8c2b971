"""The LLM layer: typed, checked, cached, resumable model calls over any OpenAI-compatible API.

Stages use `LLMClient.run` / `arun` (see client.py) and never touch the HTTP client. Build
wiring: `settings_from_flags` + `make_llm_client` + `engine_banner` (setup.py).
"""

from coursegen.llm.accounting import Estimate, Ledger, estimate_tokens, format_summary
from coursegen.llm.batch import BatchWriter, ImportReport, import_batch_output
from coursegen.llm.cache import ResponseCache, cache_key, default_cache_path
from coursegen.llm.client import LLMClient
from coursegen.llm.concurrency import AdaptiveLimiter, gather_items
from coursegen.llm.conversation import Validator
from coursegen.llm.prompts import Prompt, PromptError, as_data, load_prompt
from coursegen.llm.setup import engine_banner, make_llm_client, settings_from_flags
from coursegen.llm.transport import OpenAITransport, RetryPolicy
from coursegen.llm.types import (
    BatchPending,
    Mode,
    RequestRejected,
    ServerUnavailable,
    Usage,
    ValidationExhausted,
)

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
