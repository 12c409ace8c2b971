"""Sending one chat request through the official `openai` client, with one retry policy.

The client's own retries are off (max_retries=0) so this module is the only policy:
429 (honouring Retry-After), 5xx, timeouts and connection errors are retried with
exponential backoff and jitter, a bounded number of times; 401/403/404 become a
FatalLLMError that stops the build; other 4xx reject just this request. A server that
refuses the requested structured-output mode raises ModeRefused so the caller can fall back.
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import openai
import tenacity

from coursegen.config import Settings
from coursegen.errors import FatalLLMError
from coursegen.llm.types import ChatRequest, Mode, Reply, RequestRejected, ServerUnavailable, Usage

MAX_RETRY_AFTER = 300.0  # never sleep longer than this on a server's word
_MODE_WORDS = ("response_format", "json_schema", "json_object", "structured output", "schema")


class Retryable(Exception):
    """A transient failure worth another try."""

    def __init__(self, message: str, *, retry_after: float | None = None, rate_limited: bool = False) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.rate_limited = rate_limited


class ModeRefused(Exception):
    """The server does not support the structured-output mode of the request."""

    def __init__(self, mode: Mode, detail: str) -> None:
        super().__init__(f"{mode.value} refused: {detail}")
        self.mode = mode
        self.detail = detail


class ParamRefused(Exception):
    """The model rejects a request parameter (max_tokens on newer OpenAI models, temperature on some)."""

    def __init__(self, param: str, detail: str) -> None:
        super().__init__(f"{param} refused: {detail}")
        self.param = param
        self.detail = detail


@dataclass
class RetryPolicy:
    """Backoff settings; `sleep`/`asleep` and `rng` are injectable so tests run fast and exact."""

    attempts: int = 7  # first try + transport_retries
    base: float = 1.0
    cap: float = 60.0
    rng: random.Random = field(default_factory=random.Random)
    sleep: Callable[[float], None] = time.sleep
    asleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    on_retry: Callable[[Retryable, float], None] | None = None  # (error, wait) for logs and the limiter

    def wait_for(self, attempt: int, error: BaseException | None) -> float:
        """Seconds before try `attempt + 1`: Retry-After when given, else backoff with jitter."""
        if isinstance(error, Retryable) and error.retry_after is not None:
            return min(max(error.retry_after, 0.0), MAX_RETRY_AFTER)
        ceiling = min(self.cap, self.base * 2.0 ** (attempt - 1))
        return ceiling / 2 + self.rng.uniform(0, ceiling / 2)  # "equal jitter": never 0, never > ceiling


def parse_retry_after(headers: Any) -> float | None:
    """Seconds from `retry-after-ms` or `retry-after` (seconds or an HTTP date)."""
    if headers is None:
        return None
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            return float(millis) / 1000
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def classify(exc: Exception, request: ChatRequest, endpoint: str) -> Exception:
    """Map an openai exception to Retryable, ModeRefused, FatalLLMError or RequestRejected."""
    if isinstance(exc, openai.APITimeoutError):
        return Retryable(f"timed out waiting for {endpoint}")
    if isinstance(exc, openai.APIConnectionError):
        return Retryable(f"cannot connect to {endpoint}: {exc}")
    if isinstance(exc, openai.APIResponseValidationError):
        return Retryable(f"{endpoint} sent a malformed response")
    if not isinstance(exc, openai.APIStatusError):
        return exc
    status = exc.status_code
    detail = _error_detail(exc)
    mode_related = request.mode is not Mode.TEXT and any(w in detail.lower() for w in _MODE_WORDS)
    if status == 401:
        return FatalLLMError(
            f"the API key was rejected by {endpoint} (HTTP 401): set OPENAI_API_KEY",
            "export OPENAI_API_KEY=... with a valid key for this endpoint, then rerun "
            "(finished calls are cached)",
        )
    if status == 403:
        return FatalLLMError(
            f"permission denied by {endpoint} for model {request.model} (HTTP 403): {detail}",
            "check that the key's project may use this model, or choose another with --model",
        )
    if status == 404:
        return FatalLLMError(
            f"model {request.model} not found on {endpoint} (HTTP 404)",
            "check --model / COURSEGEN_MODEL, and that the base URL is an OpenAI-compatible API "
            "(often ends in /v1)",
        )
    if status == 429:
        if _error_code(exc) == "insufficient_quota":
            return FatalLLMError(
                f"{endpoint} says the account has no quota left (HTTP 429 insufficient_quota)",
                "add credit or use another key; finished calls are cached",
            )
        return Retryable(
            f"rate limited by {endpoint}",
            retry_after=parse_retry_after(exc.response.headers),
            rate_limited=True,
        )
    if status == 400 and "max_completion_tokens" in detail and request.max_tokens is not None:
        return ParamRefused("max_tokens", detail)
    if status == 400 and "temperature" in detail.lower() and request.temperature is not None:
        return ParamRefused("temperature", detail)
    if mode_related and (status >= 500 or status in (400, 422)):
        return ModeRefused(request.mode, detail)
    if status >= 500 or status in (408, 409):
        return Retryable(
            f"{endpoint} answered HTTP {status}", retry_after=parse_retry_after(exc.response.headers)
        )
    return RequestRejected(
        f"{endpoint} rejected the request (HTTP {status}): {detail}",
        "the item is dropped; a shorter input may help if the context is too long",
    )


def _error_detail(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            return str(inner["message"])
        if isinstance(inner, str):
            return inner
    return str(exc.message)


def _error_code(exc: openai.APIStatusError) -> str | None:
    body = exc.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("code"):
            return str(inner["code"])
    return getattr(exc, "code", None)


def reply_from_completion(completion: Any) -> Reply:
    """Text, finish reason and usage of a chat completion object."""
    if not getattr(completion, "choices", None):
        raise Retryable("the server answered without choices")
    choice = completion.choices[0]
    message = choice.message
    text = message.content or ""
    refusal = getattr(message, "refusal", None)
    if not text and refusal:
        text = f"(refused: {refusal})"
    usage = completion.usage
    return Reply(
        text=text,
        finish_reason=choice.finish_reason,
        usage=Usage(
            prompt_tokens=int(getattr(usage, "prompt_tokens", 0) or 0),
            completion_tokens=int(getattr(usage, "completion_tokens", 0) or 0),
        ),
    )


class OpenAITransport:
    """One endpoint reached through the official client, sync and async, with the retry policy."""

    def __init__(self, settings: Settings, policy: RetryPolicy | None = None) -> None:
        self.settings = settings
        self.endpoint = settings.endpoint
        self.shown_endpoint = settings.shown_endpoint  # for messages: credentials in the URL masked
        self.policy = policy or RetryPolicy(attempts=settings.transport_retries + 1)
        self._sync: openai.OpenAI | None = None
        self._async: openai.AsyncOpenAI | None = None

    def _api_key(self) -> str:
        if self.settings.api_key:
            return self.settings.api_key
        if self.settings.is_local or self.settings.base_url:
            return "no-key-needed"  # local servers ignore the key; the client insists on one
        raise FatalLLMError(
            f"no API key for {self.shown_endpoint}",
            "set OPENAI_API_KEY, or point --base-url / OPENAI_BASE_URL at a local server",
        )

    def sync_client(self) -> openai.OpenAI:
        """The lazily created blocking client."""
        if self._sync is None:
            self._sync = openai.OpenAI(
                api_key=self._api_key(), base_url=self.endpoint, timeout=self.settings.timeout, max_retries=0
            )
        return self._sync

    def async_client(self) -> openai.AsyncOpenAI:
        """The lazily created async client (one per event loop run; see LLMClient)."""
        if self._async is None:
            self._async = openai.AsyncOpenAI(
                api_key=self._api_key(), base_url=self.endpoint, timeout=self.settings.timeout, max_retries=0
            )
        return self._async

    def reset_async(self) -> None:
        """Forget the async client (its connections belong to a finished event loop)."""
        self._async = None

    async def aclose(self) -> None:
        """Close the async client's connections (call before its event loop ends)."""
        if self._async is not None:
            await self._async.close()
            self._async = None

    def close(self) -> None:
        """Close the blocking client's connections."""
        if self._sync is not None:
            self._sync.close()
            self._sync = None

    def _retrying_kwargs(self) -> dict[str, Any]:
        policy = self.policy

        def wait(state: tenacity.RetryCallState) -> float:
            error = state.outcome.exception() if state.outcome else None
            seconds = policy.wait_for(state.attempt_number, error)
            if policy.on_retry is not None and isinstance(error, Retryable):
                policy.on_retry(error, seconds)
            return seconds

        return {
            "retry": tenacity.retry_if_exception_type(Retryable),
            "stop": tenacity.stop_after_attempt(max(1, policy.attempts)),
            "wait": wait,
            "reraise": True,
        }

    def send(self, request: ChatRequest) -> Reply:
        """Send with retries (blocking)."""
        retrying = tenacity.Retrying(sleep=self.policy.sleep, **self._retrying_kwargs())
        try:
            return retrying(self._send_once, request)
        except Retryable as exc:
            raise self._exhausted(exc) from exc

    async def asend(self, request: ChatRequest) -> Reply:
        """Send with retries (async)."""
        retrying = tenacity.AsyncRetrying(sleep=self.policy.asleep, **self._retrying_kwargs())
        try:
            return await retrying(self._asend_once, request)
        except Retryable as exc:
            raise self._exhausted(exc) from exc

    def _send_once(self, request: ChatRequest) -> Reply:
        try:
            completion = self.sync_client().chat.completions.create(**request.body())
        except openai.OpenAIError as exc:
            raise classify(exc, request, self.shown_endpoint) from exc
        except ValueError as exc:  # the client lets a body that is not JSON through as JSONDecodeError
            raise Retryable(f"{self.shown_endpoint} sent a response that is not JSON") from exc
        return reply_from_completion(completion)

    async def _asend_once(self, request: ChatRequest) -> Reply:
        try:
            completion = await self.async_client().chat.completions.create(**request.body())
        except openai.OpenAIError as exc:
            raise classify(exc, request, self.shown_endpoint) from exc
        except ValueError as exc:  # the client lets a body that is not JSON through as JSONDecodeError
            raise Retryable(f"{self.shown_endpoint} sent a response that is not JSON") from exc
        return reply_from_completion(completion)

    def _exhausted(self, exc: Retryable) -> ServerUnavailable:
        return ServerUnavailable(
            f"{exc} (gave up after {self.policy.attempts} tries)",
            "the server is overloaded or down: rerun later (finished calls are cached) "
            "or lower --concurrency",
        )
