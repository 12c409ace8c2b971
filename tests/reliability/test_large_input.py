"""A 50 MB hostile transcript: ingested in bounded time and memory, and the cost cap stops the
LLM build before the first call (a huge file must not run up a bill or hang without a word).

Before the fix in engines/llm/concepts.py this build spent over 11 minutes in the estimate
(windows recomputed per window: quadratic) without printing anything.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.reliability.conftest import REPO
from tests.reliability.hostile import hostile_text
from tests.support.rule_stub import RuleModel
from tests.support.stub_openai import StubOpenAI

SIZE = 50 * 1024 * 1024


@pytest.mark.slow
def test_fifty_megabyte_transcript_stops_at_the_cost_cap_before_any_call(tmp_path: Path) -> None:
    text = hostile_text(long_line=False)
    source = tmp_path / "huge talk ü.txt"
    with source.open("w", encoding="utf-8") as handle:
        for _ in range(SIZE // len(text.encode("utf-8")) + 1):
            handle.write(text)
    assert source.stat().st_size >= SIZE
    out = tmp_path / "course"
    env = {**os.environ, "OPENAI_API_KEY": "sk-test-large"}
    with StubOpenAI() as stub:
        stub.responder = RuleModel().reply
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "coursegen", "build", str(source), "--out", str(out), "--engine", "llm",
             "--base-url", stub.url, "--model", "gpt-4o-mini"],
            cwd=REPO, env=env, capture_output=True, text=True, timeout=240,
        )
        seconds = time.monotonic() - started
        calls = len(stub.chat_calls())
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert done.returncode == 1, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1 and "--max-cost" in errors[0] and "nothing was sent" in errors[0], done.stderr
    assert calls == 0
    assert not (out / "course.json").exists()
    assert seconds < 180, f"{seconds:.0f} s"  # measured ~30 s on the 2-core build machine
    assert peak_mb < 3000, f"peak {peak_mb:.0f} MB"  # measured ~1.6 GB
