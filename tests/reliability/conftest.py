"""Shared helpers for the reliability suite: a fast in-process LLM build against a stub server.

`llm_build` runs the real pipeline with the real LLMEngine and the real `openai` client, only
with short timeouts and millisecond backoff so a whole faulty build takes seconds.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coursegen.config import load_settings
from coursegen.engines.llm.engine import LLMEngine
from coursegen.llm import LLMClient, OpenAITransport, ResponseCache, RetryPolicy, default_cache_path
from coursegen.pipeline import BuildOptions, BuildResult, build_course

REPO = Path(__file__).resolve().parents[2]
SEED_003 = REPO / "seeds" / "003_9859fa03d6cc2246.txt"
FAKE_KEY = "sk-proj-FAKEKEY-reliab-7f3a9c1e5b2d4f60"


@dataclass
class Waits:
    """Backoff waits the retry policy asked for (they really happen, scaled down)."""

    seconds: list[float] = field(default_factory=list)

    async def asleep(self, seconds: float) -> None:
        import asyncio

        self.seconds.append(seconds)
        await asyncio.sleep(seconds)

    def sleep(self, seconds: float) -> None:
        import time

        self.seconds.append(seconds)
        time.sleep(seconds)


def make_engine(
    url: str,
    out_dir: Path,
    *,
    waits: Waits | None = None,
    timeout: float = 0.4,
    transport_retries: int = 4,
    concurrency: int = 4,
    seed: int = 0,
    api_key: str | None = None,
    notes: list[str] | None = None,
) -> LLMEngine:
    """An LLMEngine on the stub with short timeouts and millisecond backoff (base 10 ms, cap 80 ms)."""
    env = {"OPENAI_API_KEY": api_key} if api_key else {}
    settings = load_settings(
        flags={"base_url": url, "model": "stub-model", "timeout": timeout,
               "transport_retries": transport_retries, "concurrency": concurrency},
        env=env, config_path=None, cwd=out_dir.parent,
    )
    waits = waits or Waits()
    policy = RetryPolicy(attempts=transport_retries + 1, base=0.01, cap=0.08, rng=random.Random(seed),
                         sleep=waits.sleep, asleep=waits.asleep)
    cache = ResponseCache(default_cache_path(settings.home, out_dir))
    sink = notes if notes is not None else []
    client = LLMClient(settings, cache, transport=OpenAITransport(settings, policy), notify=sink.append)
    return LLMEngine(client)


def llm_build(sources: list[Path], out_dir: Path, engine: LLMEngine, **options: Any) -> BuildResult:
    """One whole build through the pipeline with `engine`; the engine is closed afterwards."""
    try:
        return build_course(sources, out_dir, BuildOptions(engine="llm", engine_object=engine, **options))
    finally:
        engine.close()


def request_key(request: Any) -> str:
    """A stable identity of one request body (what the cache key is made of)."""
    return json.dumps(request, sort_keys=True)


def course_without_times(path: Path) -> dict[str, Any]:
    """course.json minus what legitimately differs between runs: timings and call accounting."""
    course: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    course["build"].pop("timings", None)
    course["build"].pop("usage", None)
    return course
