"""The one protocol stages use: render a prompt, call the model, return a validated object.

    client.run("concepts", {"passages": ...}, ConceptList, stage="concepts", validator=check)

Under it: the cache (checked first, written as each answer arrives), structured-output
negotiation (json_schema → json_object + schema → JSON cut out of text, remembered per
endpoint), validation-retry (pydantic errors and the validator's findings go back to the
model), the --max-cost cap, usage accounting and, in --batch-out mode, writing requests
instead of sending them. `run` blocks; `arun` is the same for asyncio, bounded by
--concurrency through an AdaptiveLimiter.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from coursegen.config import Settings
from coursegen.errors import FatalLLMError, LLMError
from coursegen.llm.accounting import Ledger, cost_of, estimate_tokens
from coursegen.llm.batch import BatchWriter
from coursegen.llm.cache import ResponseCache, cache_key
from coursegen.llm.concurrency import AdaptiveLimiter, gather_items
from coursegen.llm.conversation import Conversation, Validator
from coursegen.llm.prompts import Prompt, load_prompt
from coursegen.llm.transport import ModeRefused, OpenAITransport, ParamRefused, Retryable
from coursegen.llm.types import (
    MODES_IN_ORDER,
    BatchPending,
    ChatRequest,
    Mode,
    Reply,
    RequestRejected,
    Usage,
)

T = TypeVar("T", bound=BaseModel)
DEFAULT_OUTPUT_TOKENS = 600  # guessed answer length for estimates when a prompt sets no max_tokens


class LLMClient:
    """Typed model calls for the stages; see the module docstring."""

    def __init__(
        self,
        settings: Settings,
        cache: ResponseCache,
        *,
        transport: OpenAITransport | None = None,
        batch: BatchWriter | None = None,
        notify: Callable[[str], None] | None = None,
        prompts_dir: Path | None = None,
    ) -> None:
        self.settings = settings
        self.cache = cache
        self.transport = transport or OpenAITransport(settings)
        self.batch = batch
        self.notify = notify or (lambda text: print(text, file=sys.stderr))
        self.prompts_dir = prompts_dir
        self.ledger = Ledger(settings.price_for(), settings.max_cost)
        self.limiter = AdaptiveLimiter(settings.concurrency)
        self.modes: dict[str, Mode] = {}  # endpoint -> structured-output mode that works there
        self.quirks: dict[str, frozenset[str]] = {}  # endpoint -> parameters its models refuse
        self.prompt_versions: dict[str, str] = {}
        self.sent_calls = 0
        self.fatal: FatalLLMError | None = None
        self._noticed = False
        self._loop: asyncio.AbstractEventLoop | None = None
        user_hook = self.transport.policy.on_retry

        def on_retry(error: Retryable, wait: float) -> None:
            if error.rate_limited:
                self.limiter.on_rate_limit()
            if user_hook is not None:
                user_hook(error, wait)

        self.transport.policy.on_retry = on_retry

    # -- public protocol -------------------------------------------------------------------------

    def run(
        self,
        prompt: str | Prompt,
        variables: dict[str, Any],
        schema: type[T],
        *,
        stage: str,
        validator: Validator | None = None,
        max_attempts: int | None = None,
    ) -> T:
        """Render, call (blocking) and validate; raises ValidationExhausted, FatalLLMError, ..."""
        conversation = self._conversation(prompt, variables, schema, validator, max_attempts)
        while True:
            result = conversation.accept(self._exchange(conversation, stage))
            if result is not None:
                return result

    async def arun(
        self,
        prompt: str | Prompt,
        variables: dict[str, Any],
        schema: type[T],
        *,
        stage: str,
        validator: Validator | None = None,
        max_attempts: int | None = None,
    ) -> T:
        """The async twin of `run`, bounded by --concurrency."""
        self._bind_loop()
        conversation = self._conversation(prompt, variables, schema, validator, max_attempts)
        while True:
            result = conversation.accept(await self._aexchange(conversation, stage))
            if result is not None:
                return result

    def map(
        self,
        prompt: str | Prompt,
        items: Sequence[dict[str, Any]],
        schema: type[T],
        *,
        stage: str,
        validator: Validator | None = None,
        max_attempts: int | None = None,
    ) -> list[T | LLMError]:
        """Run one prompt over many items concurrently (blocking); a failed item holds its LLMError.

        A FatalLLMError stops everything at once; BudgetExceeded stops after the calls in flight.
        """

        async def all_items() -> list[T | LLMError]:
            try:
                return await gather_items(
                    [
                        self.arun(
                            prompt,
                            variables,
                            schema,
                            stage=stage,
                            validator=validator,
                            max_attempts=max_attempts,
                        )
                        for variables in items
                    ]
                )
            finally:
                await self.aclose()

        return asyncio.run(all_items())

    async def aclose(self) -> None:
        """Close async connections; call before the event loop that used `arun` ends."""
        await self.transport.aclose()

    def close(self) -> None:
        """Close connections and the cache."""
        self.transport.close()
        self.cache.close()

    def estimate(
        self,
        prompt: str | Prompt,
        variables: dict[str, Any],
        schema: type[BaseModel],
        expected_output_tokens: int | None = None,
    ) -> tuple[Usage, float | None, bool]:
        """(rough usage, rough cost, already cached) of one planned call, without calling."""
        conversation = self._conversation(prompt, variables, schema, None, 1)
        request, key = self._next_request(conversation)
        cached = self._cached(conversation, request, key) is not None
        usage = self._estimated_usage(request, expected_output_tokens)
        return usage, cost_of(usage, self.ledger.price), cached

    @property
    def mode(self) -> Mode:
        """The structured-output mode currently used for this endpoint."""
        return self.modes.get(self.settings.endpoint, Mode.JSON_SCHEMA)

    def usage_summary(self) -> dict[str, Any]:
        """Per-stage and total usage and cost, plus model and prompt versions, for the build record."""
        summary = self.ledger.summary()
        summary["model"] = self.settings.model
        summary["endpoint"] = self.settings.shown_endpoint
        summary["mode"] = self.mode.value
        summary["prompt_versions"] = dict(sorted(self.prompt_versions.items()))
        return summary

    # -- internals ------------------------------------------------------------------------------

    def _conversation(
        self,
        prompt: str | Prompt,
        variables: dict[str, Any],
        schema: type[T],
        validator: Validator | None,
        max_attempts: int | None,
    ) -> Conversation[T]:
        loaded = load_prompt(prompt, self.prompts_dir) if isinstance(prompt, str) else prompt
        self.prompt_versions[loaded.name] = loaded.version
        return Conversation(
            loaded,
            variables,
            schema,
            self.settings.model,
            validator,
            max_attempts or self.settings.max_attempts,
        )

    def _cached(self, conversation: Conversation[Any], current: ChatRequest, key: str) -> Reply | None:
        """The stored answer to this conversation's next request (`current`, whose key is `key`)."""
        # Look in every mode, current first: a resumed run starts at json_schema again and must
        # not pay for an answer an earlier run got in a weaker mode.
        for mode in (current.mode, *[m for m in MODES_IN_ORDER if m is not current.mode]):
            mode_key = key if mode is current.mode else cache_key(conversation.request(mode, self._quirks))
            reply = self.cache.get(mode_key)
            if reply is not None:
                return reply
        return None

    def _next_request(self, conversation: Conversation[Any]) -> tuple[ChatRequest, str]:
        """The request to send now (current mode and quirks of the endpoint) and its cache key."""
        request = conversation.request(self.mode, self._quirks)
        return request, cache_key(request)

    def _estimated_usage(self, request: ChatRequest, expected_output: int | None) -> Usage:
        sent = json.dumps(request.body(), ensure_ascii=False)
        output = expected_output or request.max_tokens or DEFAULT_OUTPUT_TOKENS
        return Usage(prompt_tokens=estimate_tokens(sent), completion_tokens=output)

    def _before_send(self, request: ChatRequest, key: str) -> float:
        if self.fatal is not None:
            raise self.fatal  # a rejected key or unknown model stops every call still queued
        if self.batch is not None:
            self.batch.add(key, request)
            raise BatchPending(key)
        if not self._noticed:
            self._noticed = True
            if not self.settings.is_local:
                self.notify(
                    f"sending transcript passages and prompts to {self.settings.shown_endpoint} "
                    f"(model {self.settings.model}); answers are cached in {self.cache.path}"
                )
        if self.ledger.price is None:
            return self.ledger.reserve(None)  # no price, no cap to keep: skip the estimate
        return self.ledger.reserve(cost_of(self._estimated_usage(request, None), self.ledger.price))

    def _after_reply(self, key: str, request: ChatRequest, reply: Reply, stage: str) -> Reply:
        self.cache.put(key, request, reply)
        self.sent_calls += 1
        self.ledger.record(stage, reply.usage, cached=False)
        return reply

    @property
    def _quirks(self) -> frozenset[str]:
        return self.quirks.get(self.settings.endpoint, frozenset())

    def _adapt(self, refused: ParamRefused, request: ChatRequest) -> None:
        """Drop or rename a refused parameter for this endpoint, once; a second refusal rejects the item."""
        known = self._quirks
        sent_as = {
            "max_tokens": request.token_field != "max_tokens",
            "temperature": request.temperature is None,
        }
        if refused.param in known and sent_as[refused.param]:
            raise RequestRejected(f"{self.settings.shown_endpoint} rejected the request: {refused.detail}")
        if refused.param not in known:
            self.quirks[self.settings.endpoint] = known | {refused.param}
            change = "max_completion_tokens" if refused.param == "max_tokens" else "the default temperature"
            self.notify(
                f"{self.settings.shown_endpoint} refuses {refused.param} for {self.settings.model}; "
                f"using {change}"
            )

    def _downgrade(self, refused: ModeRefused) -> None:
        order = list(MODES_IN_ORDER)
        weaker = order[min(order.index(refused.mode) + 1, len(order) - 1)]
        if order.index(weaker) > order.index(self.mode):
            self.modes[self.settings.endpoint] = weaker
            self.notify(
                f"{self.settings.shown_endpoint} does not accept {refused.mode.value} "
                f"({' '.join(refused.detail.split())[:160]}); using {weaker.value} from now on"
            )

    def _exchange(self, conversation: Conversation[Any], stage: str) -> Reply:
        while True:
            request, key = self._next_request(conversation)
            hit = self._cached(conversation, request, key)
            if hit is not None:
                self.ledger.record(stage, hit.usage, cached=True)
                return hit
            reservation = self._before_send(request, key)
            try:
                reply = self.transport.send(request)
            except ModeRefused as refused:
                self._downgrade(refused)
                continue
            except ParamRefused as refused:
                self._adapt(refused, request)
                continue
            except FatalLLMError as fatal:
                self.fatal = fatal
                raise
            finally:
                self.ledger.release(reservation)
            return self._after_reply(key, request, reply, stage)

    async def _aexchange(self, conversation: Conversation[Any], stage: str) -> Reply:
        while True:
            quirks = self._quirks
            request, key = self._next_request(conversation)
            hit = self._cached(conversation, request, key)
            if hit is not None:
                self.ledger.record(stage, hit.usage, cached=True)
                return hit
            async with self.limiter:
                if request.mode is not self.mode or self._quirks != quirks:
                    # The mode or the endpoint's quirks changed while this call waited for a slot.
                    request, key = self._next_request(conversation)
                reservation = self._before_send(request, key)
                try:
                    reply = await self.transport.asend(request)
                except ModeRefused as refused:
                    self._downgrade(refused)
                    continue
                except ParamRefused as refused:
                    self._adapt(refused, request)
                    continue
                except FatalLLMError as fatal:
                    self.fatal = fatal
                    raise
                finally:
                    self.ledger.release(reservation)
            self.limiter.on_success()
            return self._after_reply(key, request, reply, stage)

    def _bind_loop(self) -> None:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            # An AsyncOpenAI client's connections belong to the loop that made them.
            self._loop = loop
            self.transport.reset_async()
