"""Fixtures for the LLM layer: the stub server, a client wired to it, recorded backoff waits."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, Field

from coursegen.config import Price, Settings, load_settings
from coursegen.llm.cache import ResponseCache
from coursegen.llm.client import LLMClient
from coursegen.llm.transport import OpenAITransport, RetryPolicy
from tests.support.stub_openai import StubOpenAI, stub_openai  # noqa: F401 - fixture re-export

SECRET_KEY = "sk-test-SECRET-0123456789abcdef"
PASSAGE = "ep1/p1/s1 Reinforcement learning learns from rewards.\nep1/p1/s2 The agent explores."


class Topic(BaseModel):
    """The selftest prompt's answer."""

    topic: str = Field(min_length=1)
    sentence_ids: list[str] = Field(min_length=1)


GOOD = {"topic": "reinforcement learning", "sentence_ids": ["ep1/p1/s1"]}


class Sleeps:
    """Recorded backoff waits (nothing actually sleeps)."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)

    async def asleep(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[ResponseCache]:
    store = ResponseCache(tmp_path / "cache" / "llm.sqlite")
    yield store
    store.close()


ClientFactory = Callable[..., LLMClient]


@pytest.fixture
def make_client(
    stub_openai: StubOpenAI,  # noqa: F811
    cache: ResponseCache,
    sleeps: Sleeps,
) -> Iterator[ClientFactory]:
    """Build an LLMClient against the stub; keyword arguments override Settings fields."""
    made: list[LLMClient] = []

    def factory(
        notices: list[str] | None = None, transport_settings: Settings | None = None, **overrides: Any
    ) -> LLMClient:
        fields: dict[str, Any] = {
            "api_key": SECRET_KEY,
            "base_url": stub_openai.url,
            "model": "stub-model",
            "timeout": 5.0,
            "transport_retries": 3,
        }
        fields.update(overrides)
        settings = Settings(**fields)
        policy = RetryPolicy(
            attempts=settings.transport_retries + 1,
            rng=random.Random(7),
            sleep=sleeps.sleep,
            asleep=sleeps.asleep,
        )
        transport = OpenAITransport(transport_settings or settings, policy)
        sink = notices if notices is not None else []
        client = LLMClient(settings, cache, transport=transport, notify=sink.append)
        made.append(client)
        return client

    yield factory
    for client in made:
        client.transport.close()  # an unclosed client's socket would warn when collected


def priced(model: str = "stub-model", inp: float = 1.0, out: float = 2.0) -> dict[str, Price]:
    """A price table pricing the stub model (dollars per 1M tokens)."""
    return {model: Price(inp, out)}


def settings_for(url: str, **flags: Any) -> Settings:
    """Settings as a user would load them (env empty)."""
    return load_settings(flags={"base_url": url, **flags}, env={})
