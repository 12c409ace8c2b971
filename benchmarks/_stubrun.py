"""Helpers for the LLM benchmarks: the rule-based stub model in a subprocess, and one timed build."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coursegen.engines.llm import LLMEngine  # noqa: E402
from coursegen.llm import make_llm_client, settings_from_flags  # noqa: E402
from coursegen.pipeline import BuildOptions, BuildResult, build_course  # noqa: E402

SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


@contextmanager
def stub_server(latency: float) -> Iterator[str]:
    """The rule stub answering after `latency` seconds, in its own process (it must not share our GIL)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.support.serve_rule_stub", "--latency", str(latency)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        if not url.startswith("http://127.0.0.1"):
            raise RuntimeError(f"stub server did not start: {url!r}")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@dataclass
class Run:
    """One build through the LLM engine and what it cost."""

    result: BuildResult
    seconds: float
    usage: dict[str, Any]


def llm_build(url: str, sources: list[Path], out: Path, concurrency: int) -> Run:
    """Build `sources` into `out` through the LLM engine against the stub at `url`."""
    settings = settings_from_flags(base_url=url, model="stub-model", concurrency=concurrency, max_cost=100.0)
    engine = LLMEngine(make_llm_client(settings, build_dir=out, notify=lambda text: None))
    started = time.perf_counter()
    try:
        result = build_course(sources, out, BuildOptions(engine_object=engine))
    finally:
        engine.close()
    return Run(result, time.perf_counter() - started, result.course.build.usage)


def fresh_dir(prefix: str) -> Path:
    """A new empty folder under the system temp dir."""
    return Path(tempfile.mkdtemp(prefix=prefix))
