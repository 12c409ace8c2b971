"""A build killed mid-run (SIGKILL) resumes without repeating a finished model call."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.llmengine.conftest import ROOT, SEED_002, SEED_003, load_course
from tests.support.rule_stub import RuleModel
from tests.support.stub_openai import StubOpenAI

CONCURRENCY = 4


def _build(url: str, out: Path) -> subprocess.Popen[bytes]:
    args = [
        sys.executable,
        "-m",
        "coursegen",
        "build",
        str(SEED_002),
        str(SEED_003),
        "--out",
        str(out),
        "--engine",
        "llm",
        "--base-url",
        url,
        "--model",
        "stub",
        "--concurrency",
        str(CONCURRENCY),
        "--no-export",
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _bodies(stub: StubOpenAI, start: int = 0) -> list[str]:
    return [json.dumps(c.json, sort_keys=True) for c in stub.chat_calls()[start:]]


def test_sigkill_mid_build_then_rerun_repeats_no_finished_call(tmp_path: Path) -> None:
    out = tmp_path / "course"
    with StubOpenAI() as stub:
        stub.responder = RuleModel(latency=0.05).reply
        first = _build(stub.url, out)
        deadline = time.monotonic() + 60
        while len(stub.chat_calls()) < 12 and time.monotonic() < deadline and first.poll() is None:
            time.sleep(0.01)
        assert first.poll() is None, "the build finished before it could be killed"
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        assert first.stderr is not None
        first.stderr.close()
        before = _bodies(stub)
        second = _build(stub.url, out)
        _, err = second.communicate(timeout=300)
        assert second.returncode == 0, err.decode()
        after = _bodies(stub, len(before))
    repeated = set(before) & set(after)
    # Only calls still in flight at the kill (their answers never reached the cache) may repeat.
    assert len(repeated) <= CONCURRENCY
    assert len(before) >= 12 and after  # the kill came mid-build, and the rerun had work left
    course = load_course(out)
    assert course["build"]["validation"]["errors"] == 0
    assert course["lessons"]
