"""A build killed with SIGKILL mid-call resumes without repeating any finished call."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from tests.llm.conftest import GOOD
from tests.support.stub_openai import StubOpenAI, StubReply

REPO = Path(__file__).resolve().parents[2]
ITEM = re.compile(r"Passage number (\d+) ")


def item_of(request: Any) -> int:
    match = ITEM.search(str(request["messages"]))
    assert match, "every request names its item"
    return int(match.group(1))


def start_worker(url: str, home: Path, *extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, "COURSEGEN_HOME": str(home), "OPENAI_API_KEY": "sk-test-kill"}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.llm.resume_worker", url, "8", *extra],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("concurrent", [False, True], ids=["sequential", "concurrent"])
def test_sigkill_mid_run_then_rerun_repeats_no_finished_call(tmp_path: Path, concurrent: bool) -> None:
    extra = ("--concurrent",) if concurrent else ()
    hold = threading.Event()  # the answer to item 4 never comes while the first run lives
    reached = threading.Event()

    def first_run(request: Any) -> StubReply:
        if item_of(request) == 4:
            reached.set()
            hold.wait(30)
        return StubReply.json(GOOD)

    with StubOpenAI() as stub:
        stub.responder = first_run
        worker = start_worker(stub.url, tmp_path, *extra)
        try:
            assert reached.wait(60), worker.stderr.read() if worker.poll() is not None else "no call 4"
            time.sleep(0.3)  # let the other in-flight answers (concurrent run) land in the cache
            worker.send_signal(signal.SIGKILL)
            worker.wait(10)
        finally:
            hold.set()
            if worker.poll() is None:
                worker.kill()
            assert worker.stdout is not None and worker.stderr is not None
            worker.stdout.close()
            worker.stderr.close()
        assert worker.returncode == -signal.SIGKILL
        first_items = [item_of(c.json) for c in stub.chat_calls()]
        answered = {i for i in first_items if i != 4}

    with StubOpenAI() as stub:
        stub.responder = lambda request: StubReply.json(GOOD)
        rerun = start_worker(stub.url, tmp_path, *extra)
        out, err = rerun.communicate(timeout=120)
        assert rerun.returncode == 0, err
        second_items = sorted(item_of(c.json) for c in stub.chat_calls())

    assert 4 in second_items  # the call that was in flight is made again
    assert answered and not answered & set(second_items)  # no finished call is repeated
    assert sorted(answered | set(second_items)) == list(range(8))
    if not concurrent:
        assert first_items == [0, 1, 2, 3, 4] and second_items == [4, 5, 6, 7]
