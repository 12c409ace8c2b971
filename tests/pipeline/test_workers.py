"""Sharing the extractive engine's items over the cores: same results, same order, same errors."""

from __future__ import annotations

import os
import threading
import warnings
from pathlib import Path

import pytest

from coursegen.engines.extractive import workers
from coursegen.engines.extractive.engine import ExtractiveEngine
from coursegen.engines.extractive.workers import map_in_workers, worker_count
from coursegen.errors import UsageError
from coursegen.pipeline import BuildOptions, BuildResult, build_course
from tests.pipeline.conftest import SEEDS, TALK_A, make_episode
from tests.pipeline.test_seed_course import _without_times

CORES = len(os.sched_getaffinity(0))
needs_two_cores = pytest.mark.skipif(CORES < 2, reason="sharing needs two cores")


def _square_with_pid(number: int) -> tuple[int, int]:
    return number * number, os.getpid()


class _Unpicklable(UsageError):
    """An error whose arguments do not survive a trip between processes."""

    def __init__(self, number: int) -> None:
        super().__init__(f"item {number} is bad", "fix item")
        self.handle = threading.Lock()  # locks cannot be pickled


def _fail_on_three(number: int) -> int:
    if number == 3:
        raise _Unpicklable(number)
    return number


def test_results_come_back_in_input_order_whatever_the_cost_order() -> None:
    items = list(range(12))
    results = map_in_workers(_square_with_pid, items, cost=lambda n: n % 5)
    assert [square for square, _ in results] == [n * n for n in items]


@needs_two_cores
def test_items_run_in_other_processes_when_there_are_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(workers.WORKERS_VARIABLE, raising=False)
    results = map_in_workers(_square_with_pid, list(range(6)))
    assert os.getpid() not in {pid for _, pid in results}


def test_one_worker_runs_the_items_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(workers.WORKERS_VARIABLE, "1")
    assert worker_count(10) == 1
    results = map_in_workers(_square_with_pid, list(range(4)))
    assert {pid for _, pid in results} == {os.getpid()}


def test_worker_count_is_capped_by_items_and_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(workers.WORKERS_VARIABLE, "64")
    assert worker_count(1) == 1
    assert worker_count(1000) == CORES
    monkeypatch.setenv(workers.WORKERS_VARIABLE, "not a number")
    assert worker_count(1000) == CORES


def test_a_failing_item_raises_its_own_error_in_this_process() -> None:
    with pytest.raises(_Unpicklable, match="item 3 is bad"):
        map_in_workers(_fail_on_three, list(range(6)))


@needs_two_cores
def test_forking_beside_a_live_thread_raises_no_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI's progress bar refreshes from a thread; Python 3.12+ warns on fork then."""
    monkeypatch.delenv(workers.WORKERS_VARIABLE, raising=False)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=True)
    thread.start()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            results = map_in_workers(_square_with_pid, list(range(4)))
    finally:
        stop.set()
        thread.join()
    assert [square for square, _ in results] == [0, 1, 4, 9]


def test_a_serial_build_equals_the_shared_one(
    seed_build: BuildResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(workers.WORKERS_VARIABLE, "1")
    serial = build_course([SEEDS], tmp_path / "serial", BuildOptions(engine="extractive"))
    assert _without_times(serial.course_path) == _without_times(seed_build.course_path)


def test_a_non_english_episode_is_refused_before_any_worker_starts() -> None:
    english = make_episode("talk-en", TALK_A)
    french = make_episode("talk-fr", TALK_A, language="fr")
    with pytest.raises(UsageError, match="serves English only") as refused:
        ExtractiveEngine().concepts_batch([english, french])
    assert "--engine llm" in (refused.value.tip or "")
