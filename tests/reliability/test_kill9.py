"""`coursegen build` killed with SIGKILL at random points resumes to the very same course.

The kill point is drawn per seed: after a random number of model calls reached the stub, plus a
random delay (so some kills land mid-call, some between calls, some while results are written).
The rerun must produce a course.json equal to an uninterrupted build's (build times and call
accounting aside), and must not repeat a call whose answer had reached the cache.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from tests.reliability.conftest import (
    REPO,
    SEED_003,
    course_without_times,
    llm_build,
    make_engine,
    request_key,
)
from tests.support.rule_stub import RuleModel
from tests.support.stub_openai import StubOpenAI, StubReply

LATENCY = 0.05  # seconds per answer: enough for a kill to land mid-call


def start_build(url: str, out: Path, home: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "COURSEGEN_HOME": str(home), "OPENAI_API_KEY": "sk-test-kill9"}
    return subprocess.Popen(
        [sys.executable, "-m", "coursegen", "build", str(SEED_003), "--out", str(out), "--engine", "llm",
         "--base-url", url, "--model", "stub-model", "--concurrency", "4"],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )


class CountingModel:
    """The rule model, announcing each call as it arrives."""

    def __init__(self) -> None:
        self.model = RuleModel(latency=LATENCY)
        self.arrived = 0
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)

    def reply(self, request: Any) -> StubReply:
        with self.changed:
            self.arrived += 1
            self.changed.notify_all()
        return self.model.reply(request)

    def wait_for(self, calls: int, timeout: float) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: self.arrived >= calls, timeout)


def cached_requests(out: Path) -> set[str]:
    """Request bodies whose answers reached the LLM cache (the calls that finished)."""
    path = out / ".cache" / "llm-cache.sqlite"
    if not path.exists():
        return set()
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {request_key(json.loads(row[0])) for row in db.execute("SELECT request FROM responses")}
    finally:
        db.close()


def finish(process: subprocess.Popen[bytes], timeout: float = 120) -> tuple[int, str]:
    _, err = process.communicate(timeout=timeout)
    return process.returncode, err.decode("utf-8", "replace")


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], int]:
    """An uninterrupted build (in-process, same options as the CLI's): its course and call count."""
    base = tmp_path_factory.mktemp("reference")
    with StubOpenAI() as stub:
        stub.responder = RuleModel().reply
        llm_build([SEED_003], base / "course", make_engine(stub.url, base / "course", concurrency=4))
        calls = len(stub.chat_calls())
    return course_without_times(base / "course" / "course.json"), calls


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_sigkill_at_a_random_point_then_rerun_gives_the_same_course(
    tmp_path: Path, seed: int, reference: tuple[dict[str, Any], int]
) -> None:
    expected, total_calls = reference
    rng = random.Random(seed)
    kill_after_calls = rng.randint(1, total_calls)
    extra_delay = rng.uniform(0.0, 3 * LATENCY)
    out, home = tmp_path / "course", tmp_path / "home"

    counting = CountingModel()
    with StubOpenAI() as stub:
        stub.responder = counting.reply
        build = start_build(stub.url, out, home)
        try:
            assert counting.wait_for(kill_after_calls, 60), finish(build)[1]
            time.sleep(extra_delay)
            build.send_signal(signal.SIGKILL)
            code, _ = finish(build, 10)
        finally:
            if build.poll() is None:
                build.kill()
                build.wait(10)
    finished_before = cached_requests(out)
    # The kill may land after the build's last step; then it simply exited 0 first.
    assert code in (-signal.SIGKILL, 0)

    with StubOpenAI() as stub:
        stub.responder = CountingModel().reply
        code, err = finish(start_build(stub.url, out, home))
        assert code == 0, err
        repeated = finished_before & {request_key(c.json) for c in stub.chat_calls()}

    assert not repeated, f"{len(repeated)} finished call(s) were sent again"
    assert course_without_times(out / "course.json") == expected
    # A kill inside an atomic write can strand its temp file; it is hidden and never read as output.
    assert all(p.name.startswith(".") for p in out.rglob("*.tmp"))
