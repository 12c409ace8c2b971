"""One model call per stage item, with per-item semantic checks and salvage of what is valid.

The validator names bad items ("question 3: CIT009 ..."); those reasons go back to the model
(the layer's validation-retry). When attempts run out, the last answer is kept minus its bad
items, and each dropped item is recorded with its reasons, so one bad question does not cost
the whole lesson. Errors that concern only this call (rejected request, server unavailable)
drop the call's items with the reason; fatal errors and the cost cap stop the build.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, Coroutine
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from coursegen.errors import BudgetExceeded, FatalLLMError, LLMError
from coursegen.llm import LLMClient
from coursegen.llm.schema import extract_json
from coursegen.llm.types import BatchPending, ServerUnavailable, StagePending, ValidationExhausted

A = TypeVar("A", bound=BaseModel)
T = TypeVar("T")
ItemProblems = Callable[[Any], dict[str, list[str]]]  # answer -> {item label: reasons}
Prune = Callable[[Any, set[str]], Any]  # answer, bad labels -> answer without them


class LoopThread:
    """One event loop in a daemon thread: every stage call runs there, so --concurrency is one bound."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="llm-engine-loop", daemon=True)
        self._thread.start()

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run `coro` on the loop and wait for it (called from any other thread)."""
        future: Future[T] = asyncio.run_coroutine_threadsafe(coro, self.loop)
        return future.result()

    def stop(self, final: Callable[[], Awaitable[None]] | None = None) -> None:
        """Run `final` on the loop, then stop it."""
        if final is not None:
            self.run(_await(final))
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=5)
        if not self._thread.is_alive():
            self.loop.close()


async def _await(final: Callable[[], Awaitable[None]]) -> None:
    await final()


@dataclass
class Outcome(Generic[A]):
    """A call's accepted answer (None when nothing usable came back) and the items dropped, with why."""

    answer: A | None
    dropped: list[tuple[str, str]] = field(default_factory=list)
    # True when the failure may pass (server unavailable): the result must not be cached.
    transient: bool = False


async def ask(
    client: LLMClient,
    prompt: str,
    variables: dict[str, Any],
    schema: type[A],
    *,
    stage: str,
    item: str,
    problems: ItemProblems,
    prune: Prune,
) -> Outcome[A]:
    """Call, re-ask with per-item reasons, and keep the valid items of the last answer if attempts run out."""

    def validator(answer: Any) -> list[str]:
        return [
            f"{label}: {reason}" for label, reasons in sorted(problems(answer).items()) for reason in reasons
        ]

    try:
        return Outcome(await client.arun(prompt, variables, schema, stage=stage, validator=validator))
    except ValidationExhausted as exhausted:
        try:
            last = schema.model_validate_json(extract_json(exhausted.last_output))
        except (ValidationError, ValueError):
            return Outcome(
                None,
                [(item, f"no valid answer after {len(exhausted.attempts)} attempts: {exhausted.reason}")],
            )
        bad = problems(last)
        dropped = [(f"{item} {label}", "; ".join(reasons)) for label, reasons in sorted(bad.items())]
        return Outcome(prune(last, set(bad)), dropped)
    except BatchPending:
        raise StagePending(f"{stage} {item}: request written to the batch file", None) from None
    except (FatalLLMError, BudgetExceeded):
        raise
    except ServerUnavailable as error:
        if not _answered_yet(client):
            # Down from the start (a wrong --base-url, a server not started): nothing can be
            # salvaged, and dropping every call would end minutes later in "no concept to teach".
            raise
        return Outcome(None, [(item, error.message)], transient=True)
    except LLMError as error:
        return Outcome(None, [(item, error.message)])


def _answered_yet(client: LLMClient) -> bool:
    """True once any call of this build has an answer (from the server or the cache): a server
    that fails after that is an outage to ride out, one that never answered is not there."""
    return any(usage.calls for usage in client.ledger.stages.values())
