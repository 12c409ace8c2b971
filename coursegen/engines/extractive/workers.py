"""Share a stage's independent items over the machine's cores, results in input order.

The extractive engine is pure computation on one thread: its per-episode concepts and its
per-lesson drafts and assessments do not depend on one another, so on a 2-core machine two
processes halve their wall time. Workers are forked, so they start with everything the parent
has computed and cached so far (the episodes, the lesson scopes, warm `lru_cache`s) and nothing
is pickled on the way in; only results travel back. Output does not depend on how the items
were shared out: each item's result is a function of that item alone.

Where `fork` is unavailable (Windows, or a platform that forbids it), or there is one core or
one item, the items run one after the other in this process. `COURSEGEN_WORKERS` caps the
number of processes (1 turns sharing off).
"""

from __future__ import annotations

import multiprocessing
import os
import warnings
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

ItemT = TypeVar("ItemT")
ResultT = TypeVar("ResultT")

WORKERS_VARIABLE = "COURSEGEN_WORKERS"

# What the forked workers run: set just before the pool forks, read by `_run_one` in the child.
_job: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


class _Failed:
    """A worker's item raised: the parent runs it again itself, so the user sees the real error
    with its own type and tip (an exception does not always survive pickling intact)."""


def worker_count(items: int) -> int:
    """Processes to use for `items` independent items: the cores this process may run on,
    capped by COURSEGEN_WORKERS and by the number of items."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    wanted = os.environ.get(WORKERS_VARIABLE, "").strip()
    if wanted.isdigit() and int(wanted) >= 1:
        cores = min(cores, int(wanted))
    return max(1, min(cores, items))


def _fork_context() -> Any:
    try:
        return multiprocessing.get_context("fork")
    except ValueError:
        return None


class _forking_threads_allowed(warnings.catch_warnings):
    """Python 3.12+ warns when a process with threads forks, because a child could inherit a lock
    another thread held. The build's other threads (the progress bar's refresher, a test's stub
    server) hold only their own locks, which the workers never take: they compute and send back
    their result. Without this, a run with warnings as errors (the test suite) would fail."""

    def __enter__(self) -> None:
        super().__enter__()
        warnings.filterwarnings("ignore", message=r".*multi-threaded.*fork", category=DeprecationWarning)


def _run_one(index: int) -> Any:
    assert _job is not None
    work, items = _job
    try:
        return work(items[index])
    except Exception:  # reported by the parent, which runs the item again
        return _Failed()


def map_in_workers(
    work: Callable[[ItemT], ResultT],
    items: Sequence[ItemT],
    cost: Callable[[ItemT], float] | None = None,
    warm_up: Callable[[], object] | None = None,
) -> list[ResultT]:
    """`[work(item) for item in items]`, shared over forked worker processes when that helps.

    `cost` estimates an item's work: the dearest items are handed out first, so a long one does
    not start last and keep one core busy alone at the end. `warm_up` runs in this process
    before the workers fork (e.g. loading word lists every item needs), so each worker does
    not load them again.
    """
    global _job
    context = _fork_context()
    workers = worker_count(len(items))
    if workers < 2 or context is None or multiprocessing.current_process().daemon:
        return [work(item) for item in items]
    if warm_up is not None:
        warm_up()
    order = list(range(len(items)))
    if cost is not None:
        order.sort(key=lambda index: -cost(items[index]))  # stable: ties keep their order
    _job = (work, items)
    try:
        # chunksize 1: items differ a lot in cost, so each worker takes the next item as it
        # finishes one.
        with _forking_threads_allowed(), context.Pool(workers) as pool:
            done = pool.map(_run_one, order, chunksize=1)
    finally:
        _job = None
    results: list[Any] = [None] * len(items)
    for index, result in zip(order, done, strict=True):
        results[index] = work(items[index]) if isinstance(result, _Failed) else result
    return results
