"""Bounded async concurrency that halves itself when the server says 429 and creeps back up."""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Awaitable, Iterable
from typing import TypeVar

from coursegen.errors import BudgetExceeded, CoursegenError, FatalLLMError, LLMError

T = TypeVar("T")


class AdaptiveLimiter:
    """At most `limit` calls in flight; a 429 halves the limit, a run of successes adds one back.

    Waiting calls queue in order and a finishing call hands its slot straight to the first of
    them (no wake-up of every waiter to race for it, which cost each release a pass over all
    the queued calls).
    """

    def __init__(self, maximum: int) -> None:
        self.maximum = max(1, maximum)
        self.limit = self.maximum
        self.active = 0
        self.peak = 0  # most calls ever in flight at once (for tests and figures)
        self._streak = 0
        self._waiters: deque[asyncio.Future[None]] = deque()
        self._loop: asyncio.AbstractEventLoop | None = None

    def _bind(self) -> asyncio.AbstractEventLoop:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            # Calls of an earlier event loop are gone with it.
            self._loop, self.active, self._waiters = loop, 0, deque()
        return loop

    async def __aenter__(self) -> None:
        loop = self._bind()
        if self.active < self.limit and not self._waiters:
            self._take()
            return
        slot: asyncio.Future[None] = loop.create_future()
        self._waiters.append(slot)
        try:
            await slot  # resolved by `_hand_over`, which has counted this call in
        except asyncio.CancelledError:
            if slot.done() and not slot.cancelled():
                self._release()  # the slot arrived as the call was cancelled: pass it on
            else:
                with contextlib.suppress(ValueError):
                    self._waiters.remove(slot)
            raise

    async def __aexit__(self, *exc: object) -> None:
        self._release()

    def _take(self) -> None:
        self.active += 1
        self.peak = max(self.peak, self.active)

    def _release(self) -> None:
        self.active = max(0, self.active - 1)
        self._hand_over()

    def _hand_over(self) -> None:
        """Give free slots to the calls waiting longest."""
        while self._waiters and self.active < self.limit:
            slot = self._waiters.popleft()
            if not slot.done():
                self._take()
                slot.set_result(None)

    def on_rate_limit(self) -> None:
        """The server pushed back: halve the limit (never below 1)."""
        self.limit = max(1, self.limit // 2)
        self._streak = 0

    def on_success(self) -> None:
        """One call went through: after 2×limit successes in a row, allow one more in flight."""
        if self.limit >= self.maximum:
            return
        self._streak += 1
        if self._streak >= 2 * self.limit:
            self.limit += 1
            self._streak = 0
            if self._loop is not None and self._loop.is_running():
                self._loop.call_soon_threadsafe(self._hand_over)


async def gather_items(jobs: Iterable[Awaitable[T]]) -> list[T | LLMError]:
    """Run jobs together; each item's LLMError is returned in its slot, the run goes on.

    A FatalLLMError (or any non-LLM CoursegenError such as a damaged cache) cancels the rest
    and is raised at once. BudgetExceeded lets calls already in flight finish (their answers
    are paid for and cached), then is raised.
    """
    tasks = [asyncio.ensure_future(job) for job in jobs]
    budget: BudgetExceeded | None = None
    try:
        for next_done in asyncio.as_completed(tasks):
            try:
                await next_done
            except BudgetExceeded as exc:
                budget = budget or exc
            except FatalLLMError:
                raise
            except LLMError:
                continue
            except CoursegenError:
                raise
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
    if budget is not None:
        raise budget
    results: list[T | LLMError] = []
    for task in tasks:
        error = task.exception()
        results.append(error if isinstance(error, LLMError) else task.result())
    return results
