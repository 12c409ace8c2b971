"""Bounded async concurrency that halves itself when the server says 429 and creeps back up."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterable
from typing import TypeVar

from coursegen.errors import BudgetExceeded, CoursegenError, FatalLLMError, LLMError

T = TypeVar("T")


class AdaptiveLimiter:
    """At most `limit` calls in flight; a 429 halves the limit, a run of successes adds one back."""

    def __init__(self, maximum: int) -> None:
        self.maximum = max(1, maximum)
        self.limit = self.maximum
        self.active = 0
        self.peak = 0  # most calls ever in flight at once (for tests and figures)
        self._streak = 0
        self._cond: asyncio.Condition | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _condition(self) -> asyncio.Condition:
        loop = asyncio.get_running_loop()
        if self._cond is None or self._loop is not loop:
            self._cond, self._loop, self.active = asyncio.Condition(), loop, 0
        return self._cond

    async def __aenter__(self) -> None:
        cond = self._condition()
        async with cond:
            await cond.wait_for(lambda: self.active < self.limit)
            self.active += 1
            self.peak = max(self.peak, self.active)

    async def __aexit__(self, *exc: object) -> None:
        cond = self._condition()
        async with cond:
            self.active -= 1
            cond.notify_all()

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
            if self._cond is not None and self._loop is not None and self._loop.is_running():
                self._loop.create_task(self._wake())

    async def _wake(self) -> None:
        cond = self._condition()
        async with cond:
            cond.notify_all()


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
