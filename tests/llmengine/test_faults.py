"""A whole LLM build under random transport and answer faults: it finishes, every item is valid or
dropped with a reason, waits are bounded, and a rerun repeats no call whose answer was stored."""

from __future__ import annotations

import json
import random
import threading
from pathlib import Path
from typing import Any

import pytest

from coursegen.engines.llm import LLMEngine
from coursegen.llm import LLMClient, ResponseCache, default_cache_path, settings_from_flags
from coursegen.llm.transport import OpenAITransport, RetryPolicy
from coursegen.pipeline import BuildOptions, build_course
from tests.llmengine.conftest import SEED_002, SEED_003
from tests.support.rule_stub import RuleModel
from tests.support.stub_openai import StubOpenAI, StubReply

ATTEMPTS = 4


class FaultyModel:
    """The rule model behind random faults; remembers which request bodies got a usable answer."""

    def __init__(self, seed: int, rate: float) -> None:
        self.model = RuleModel()
        self.rng = random.Random(seed)
        self.rate = rate
        self.answered: set[str] = set()
        self.faults: list[str] = []
        self._lock = threading.Lock()

    def reply(self, request: Any) -> StubReply:
        with self._lock:
            roll = self.rng.random()
            kind = (
                self.rng.choice(["429", "500", "malformed", "length", "schema"]) if roll < self.rate else "ok"
            )
        body = json.dumps(request, sort_keys=True)
        if kind == "ok":
            with self._lock:
                self.answered.add(body)
            return self.model.reply(request)
        with self._lock:
            self.faults.append(kind)
        if kind == "429":
            return StubReply.rate_limited(retry_after=0)
        if kind == "500":
            return StubReply.server_error()
        if kind == "malformed":
            return StubReply.malformed()
        with self._lock:
            self.answered.add(body)  # a complete HTTP answer: the layer stores it before judging it
        if kind == "length":
            return StubReply.json({"concepts": []}, finish_reason="length")
        return StubReply.json({"unexpected": True})


def _engine(url: str, out: Path, waits: list[float]) -> LLMEngine:
    settings = settings_from_flags(base_url=url, model="stub", concurrency=6)

    async def record(seconds: float) -> None:
        waits.append(seconds)

    policy = RetryPolicy(attempts=ATTEMPTS, rng=random.Random(1), sleep=waits.append, asleep=record)
    cache = ResponseCache(default_cache_path(settings.home, out))
    client = LLMClient(settings, cache, transport=OpenAITransport(settings, policy), notify=lambda text: None)
    return LLMEngine(client)


def _build(url: str, out: Path, waits: list[float]) -> dict[str, Any]:
    engine = _engine(url, out, waits)
    try:
        result = build_course([SEED_002, SEED_003], out, BuildOptions(engine_object=engine))
    finally:
        engine.close()
    return result.course.model_dump(mode="json")


@pytest.mark.parametrize("seed", [3, 11])
def test_random_faults_lose_nothing_and_the_rerun_repeats_no_stored_call(tmp_path: Path, seed: int) -> None:
    out = tmp_path / "course"
    waits: list[float] = []
    with StubOpenAI() as stub:
        faulty = FaultyModel(seed, rate=0.3)
        stub.responder = faulty.reply
        course = _build(stub.url, out, waits)
        first = len(stub.chat_calls())
        answered = set(faulty.answered)
        assert faulty.faults  # faults really happened
        assert course["build"]["validation"]["errors"] == 0
        assert course["build"]["validation"]["citation_validity_rate"] == 1.0
        assert all(d["reason"] for d in course["build"]["dropped"])
        assert len(waits) <= first * ATTEMPTS and all(w <= 60 for w in waits)
        # Rerun against a healthy server: what was answered and stored is not asked again.
        stub.responder = RuleModel().reply
        again = _build(stub.url, out, waits)
        rerun = [json.dumps(c.json, sort_keys=True) for c in stub.chat_calls()[first:]]
    assert not answered & set(rerun)
    assert again["build"]["validation"]["errors"] == 0 and again["lessons"]
