"""Stages run side by side: per-episode concept calls and per-lesson calls are in flight together."""

from __future__ import annotations

import math
from pathlib import Path

from coursegen.engines.llm import LLMEngine
from coursegen.llm import make_llm_client, settings_from_flags
from coursegen.pipeline import BuildOptions, build_course
from tests.llmengine.conftest import SEED_002, SEED_003
from tests.support.rule_stub import RuleModel
from tests.support.stub_openai import StubOpenAI

LATENCY = 0.25


def test_calls_overlap_and_wall_time_is_near_the_ideal(tmp_path: Path) -> None:
    with StubOpenAI() as stub:
        stub.responder = RuleModel(latency=LATENCY).reply
        settings = settings_from_flags(base_url=stub.url, model="stub", concurrency=8)
        engine = LLMEngine(make_llm_client(settings, build_dir=tmp_path, notify=lambda text: None))
        try:
            result = build_course([SEED_002, SEED_003], tmp_path, BuildOptions(engine_object=engine))
        finally:
            engine.close()
    assert engine.client.limiter.peak == 8
    stages = result.course.build.usage["stages"]
    calls = sum(row["calls"] for row in stages.values())
    assert calls == len(stub.chat_calls()) > 16
    ideal = sum(math.ceil(row["calls"] / 8) * LATENCY for row in stages.values())
    timings = result.course.build.timings
    wall = sum(timings.get(s, 0.0) for s in ("concepts", "merge", "lessons", "assessment"))
    # Generous bound (shared CI machines): far below the one-at-a-time time.
    assert wall < max(3 * ideal, ideal + 2.0) < calls * LATENCY
