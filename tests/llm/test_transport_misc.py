"""Smaller transport pieces: Retry-After parsing, parameter quirks of newer models, build helpers."""

from __future__ import annotations

import email.utils
import time

import pytest

from coursegen.config import load_settings
from coursegen.llm import engine_banner, settings_from_flags
from coursegen.llm.transport import parse_retry_after
from coursegen.llm.types import RequestRejected
from tests.llm.conftest import GOOD, PASSAGE, ClientFactory, Topic
from tests.support.stub_openai import StubOpenAI, StubReply


def test_parse_retry_after_forms() -> None:
    assert parse_retry_after({"retry-after": "3"}) == 3.0
    assert parse_retry_after({"retry-after-ms": "250", "retry-after": "9"}) == 0.25
    soon = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 25 <= (parse_retry_after({"retry-after": soon}) or 0) <= 31
    assert parse_retry_after({"retry-after": "whenever"}) is None
    assert parse_retry_after({}) is None and parse_retry_after(None) is None


def test_newer_models_get_max_completion_tokens_and_default_temperature(
    stub_openai: StubOpenAI, make_client: ClientFactory
) -> None:
    stub_openai.script(
        StubReply.error(
            400,
            "Unsupported parameter: 'max_tokens' is not supported with this model. "
            "Use 'max_completion_tokens' instead.",
        ),
        StubReply.error(
            400,
            "Unsupported value: 'temperature' does not support 0 with this model. "
            "Only the default (1) value is supported.",
        ),
        StubReply.json(GOOD),
        StubReply.json(GOOD),
    )
    notices: list[str] = []
    client = make_client(notices=notices)
    assert client.run("selftest", {"passage": PASSAGE}, Topic, stage="s") == Topic(**GOOD)
    bodies = [c.json for c in stub_openai.chat_calls()]
    assert "max_tokens" in bodies[0] and "max_completion_tokens" not in bodies[0]
    assert bodies[1]["max_completion_tokens"] == 200 and "max_tokens" not in bodies[1]
    assert "temperature" not in bodies[2] and bodies[2]["max_completion_tokens"] == 200
    assert client.run("selftest", {"passage": "ep1/p2/s1 x"}, Topic, stage="s") == Topic(**GOOD)
    assert len(stub_openai.chat_calls()) == 4  # remembered: no second round of refusals
    assert len(notices) == 2


def test_a_repeated_parameter_refusal_rejects_the_item(
    stub_openai: StubOpenAI, make_client: ClientFactory
) -> None:
    refusal = StubReply.error(400, "'temperature' is not supported with this model")
    stub_openai.script(refusal, refusal)
    with pytest.raises(RequestRejected):
        make_client().run("selftest", {"passage": PASSAGE}, Topic, stage="s")
    assert len(stub_openai.chat_calls()) == 2


def test_settings_from_flags_and_banner(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COURSEGEN_MODEL", "gpt-4o")
    settings = settings_from_flags(model=None, max_cost=2.5, concurrency=None)
    assert settings.model == "gpt-4o" and settings.max_cost == 2.5 and settings.concurrency == 8
    banner = engine_banner(settings)
    assert "model gpt-4o at https://api.openai.com/v1" in banner and "$2.5/$10 per 1M" in banner
    assert banner.endswith("max cost $2.50")
    local = load_settings(flags={"base_url": "http://localhost:11434/v1", "model": "llama3.2"}, env={})
    assert "free (local server)" in engine_banner(local)
    hosted_unknown = load_settings(flags={"base_url": "https://example.com/v1", "model": "x"}, env={})
    assert "cost cap cannot be enforced" in engine_banner(hosted_unknown)


def test_hosted_endpoint_without_key_stops_with_a_clear_message(tmp_path: object) -> None:
    from pathlib import Path

    from coursegen.errors import FatalLLMError
    from coursegen.llm.cache import ResponseCache
    from coursegen.llm.client import LLMClient

    settings = load_settings(flags={"model": "gpt-4o-mini"}, env={})
    assert not settings.llm_configured
    client = LLMClient(settings, ResponseCache(Path(str(tmp_path)) / "c.sqlite"), notify=lambda text: None)
    with pytest.raises(FatalLLMError, match="no API key for https://api.openai.com/v1") as caught:
        client.run("selftest", {"passage": PASSAGE}, Topic, stage="s")
    assert caught.value.tip is not None and "OPENAI_API_KEY" in caught.value.tip
    client.close()
