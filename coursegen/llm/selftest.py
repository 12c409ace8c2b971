"""One small structured call that proves an endpoint works with coursegen (`coursegen config --check`)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, Field

from coursegen.config import Settings
from coursegen.llm.cache import ResponseCache, default_cache_path
from coursegen.llm.client import LLMClient

SAMPLE_PASSAGE = (
    "demo/p1/s1 Reinforcement learning trains an agent by rewarding good actions.\n"
    "demo/p1/s2 The agent explores, then exploits what it has learned."
)


class SelftestAnswer(BaseModel):
    """What prompts/selftest.j2 asks for."""

    topic: str = Field(min_length=1, max_length=80)
    sentence_ids: list[str] = Field(min_length=1, max_length=4)


@dataclass
class SelftestResult:
    """The answer, the output mode that worked, usage and wall time."""

    answer: SelftestAnswer
    mode: str
    usage: dict[str, Any]
    seconds: float
    sent_calls: int


def known_sentence_ids(answer: SelftestAnswer) -> list[str]:
    """Findings for ids that are not in the sample passage (fed back to the model)."""
    return [
        f"sentence id {sid} does not exist" for sid in answer.sentence_ids if f"{sid} " not in SAMPLE_PASSAGE
    ]


def run_selftest(settings: Settings, notify: Callable[[str], None] | None = None) -> SelftestResult:
    """Send the selftest prompt once (cached under COURSEGEN_HOME) and return what happened."""
    cache = ResponseCache(default_cache_path(settings.home))
    client = LLMClient(settings, cache, notify=notify)
    started = time.monotonic()
    try:
        answer = client.run(
            "selftest",
            {"passage": SAMPLE_PASSAGE},
            SelftestAnswer,
            stage="selftest",
            validator=known_sentence_ids,
        )
    finally:
        client.close()
    return SelftestResult(
        answer=answer,
        mode=client.mode.value,
        usage=client.usage_summary(),
        seconds=time.monotonic() - started,
        sent_calls=client.sent_calls,
    )
