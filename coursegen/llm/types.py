"""Small value types and errors shared by the LLM layer's modules."""

from __future__ import annotations

import enum
import functools
import json
from dataclasses import dataclass, field
from typing import Any

from coursegen.errors import FatalLLMError, LLMError


class Mode(enum.StrEnum):
    """Wire strategy for structured output, strongest first (cf. instructor's Mode)."""

    JSON_SCHEMA = "json_schema"  # response_format json_schema, strict
    JSON_OBJECT = "json_object"  # response_format json_object + the schema (llama.cpp honours it)
    TEXT = "text"  # no response_format: the schema is in the prompt, JSON is cut out of the text


MODES_IN_ORDER = (Mode.JSON_SCHEMA, Mode.JSON_OBJECT, Mode.TEXT)


@dataclass
class Usage:
    """Token counts of one or more calls."""

    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        """Prompt plus completion tokens."""
        return self.prompt_tokens + self.completion_tokens

    def add(self, other: Usage) -> None:
        """Accumulate another usage into this one."""
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens


@dataclass(frozen=True)
class ChatRequest:
    """Everything sent for one chat completion; its hash is the cache key."""

    model: str
    messages: tuple[tuple[str, str], ...]  # (role, content)
    mode: Mode
    schema_name: str
    schema: dict[str, Any]
    temperature: float | None
    max_tokens: int | None
    prompt_name: str
    prompt_version: str
    token_field: str = "max_tokens"  # newer OpenAI models want "max_completion_tokens"

    def body(self) -> dict[str, Any]:
        """The /v1/chat/completions request body (also the Batch API `body`)."""
        body: dict[str, Any] = {
            "model": self.model,
            "messages": [{"role": role, "content": content} for role, content in self.messages],
        }
        if self.temperature is not None:
            body["temperature"] = self.temperature
        if self.max_tokens is not None:
            body[self.token_field] = self.max_tokens
        if self.mode is Mode.JSON_SCHEMA:
            body["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": self.schema_name, "schema": self.schema, "strict": True},
            }
        elif self.mode is Mode.JSON_OBJECT:
            body["response_format"] = {"type": "json_object", "schema": self.schema}
        return body

    @functools.cached_property
    def body_json(self) -> str:
        """The body as canonical JSON (sorted keys, compact), made once: the cache key and the
        stored request both come from it."""
        return json.dumps(self.body(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True)
class Reply:
    """What came back for one request (from the server, the cache or a Batch output file)."""

    text: str
    finish_reason: str | None
    usage: Usage
    cached: bool = False


@dataclass
class Attempt:
    """One answer in a validation-retry loop and why it was rejected (empty when accepted)."""

    output: str
    reasons: list[str] = field(default_factory=list)


class ValidationExhausted(LLMError):
    """Every attempt for one item failed validation: the stage drops the item with `reason`."""

    def __init__(self, prompt_name: str, attempts: list[Attempt], usage: Usage) -> None:
        last = attempts[-1] if attempts else Attempt("")
        reason = "; ".join(last.reasons) or "no valid answer"
        super().__init__(
            f"{prompt_name}: no valid answer after {len(attempts)} attempt(s): {reason}",
            "the item is dropped; a stronger model or a clearer prompt may help",
        )
        self.prompt_name = prompt_name
        self.attempts = attempts
        self.usage = usage
        self.last_output = last.output
        self.reason = reason


class RequestRejected(LLMError):
    """The server refused this one request (HTTP 400/422): the item is dropped, the run goes on."""


class ServerUnavailable(LLMError):
    """Transport retries ran out (429/5xx/timeouts/connection errors)."""


class StagePending(LLMError):
    """In --batch-out mode: this stage's requests were written to the batch file instead of sent."""


class BatchPending(LLMError):
    """In --batch-out mode: the answer is not in the cache yet; the request was written instead."""

    def __init__(self, cache_key: str) -> None:
        super().__init__(f"request {cache_key[:12]} written to the batch file", None)
        self.cache_key = cache_key


__all__ = [
    "Attempt",
    "BatchPending",
    "ChatRequest",
    "FatalLLMError",
    "LLMError",
    "MODES_IN_ORDER",
    "Mode",
    "Reply",
    "RequestRejected",
    "ServerUnavailable",
    "Usage",
    "ValidationExhausted",
]
