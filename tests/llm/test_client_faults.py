"""The real openai client against the stub server: each fault handled as the issue says."""

from __future__ import annotations

import json

import pytest

from coursegen.errors import FatalLLMError
from coursegen.llm.cache import ResponseCache
from coursegen.llm.types import Mode, RequestRejected, ServerUnavailable, ValidationExhausted
from tests.llm.conftest import GOOD, PASSAGE, SECRET_KEY, ClientFactory, Sleeps, Topic
from tests.support.stub_openai import StubOpenAI, StubReply


def ask(client: object, passage: str = PASSAGE, **kwargs: object) -> Topic:
    return client.run("selftest", {"passage": passage}, Topic, stage="test", **kwargs)  # type: ignore[attr-defined]


def test_happy_path_sends_strict_json_schema_and_caches(
    stub_openai: StubOpenAI, make_client: ClientFactory, cache: ResponseCache
) -> None:
    stub_openai.script(StubReply.json(GOOD, prompt_tokens=120, completion_tokens=30))
    client = make_client()
    assert ask(client) == Topic(**GOOD)
    [call] = stub_openai.chat_calls()
    fmt = call.json["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["strict"] is True
    assert fmt["json_schema"]["schema"]["additionalProperties"] is False
    assert call.json["temperature"] == 0 and call.json["max_tokens"] == 200
    assert call.headers["authorization"] == f"Bearer {SECRET_KEY}"
    rows = cache.rows()
    assert len(rows) == 1 and rows[0]["prompt_name"] == "selftest" and rows[0]["prompt_tokens"] == 120
    # The key travels in a header only: it is nowhere in the cache file.
    assert SECRET_KEY.encode() not in cache.path.read_bytes()
    assert client.usage_summary()["total"]["prompt_tokens"] == 120


def test_second_run_is_served_from_cache(stub_openai: StubOpenAI, make_client: ClientFactory) -> None:
    stub_openai.script(StubReply.json(GOOD))
    assert ask(make_client()) == Topic(**GOOD)
    fresh = make_client()
    assert ask(fresh) == Topic(**GOOD)
    assert len(stub_openai.chat_calls()) == 1
    assert fresh.usage_summary()["total"]["cached_calls"] == 1


def test_429_honours_retry_after(stub_openai: StubOpenAI, make_client: ClientFactory, sleeps: Sleeps) -> None:
    stub_openai.script(StubReply.rate_limited(retry_after=7), StubReply.json(GOOD))
    client = make_client()
    assert ask(client) == Topic(**GOOD)
    assert sleeps.waits == [7.0]
    assert len(stub_openai.chat_calls()) == 2
    assert client.limiter.limit == 4  # the 429 halved the allowed concurrency (8 -> 4)


def test_5xx_retried_with_exponential_backoff_and_jitter(
    stub_openai: StubOpenAI, make_client: ClientFactory, sleeps: Sleeps
) -> None:
    stub_openai.script(
        StubReply.server_error(500),
        StubReply.server_error(503),
        StubReply.server_error(502),
        StubReply.json(GOOD),
    )
    assert ask(make_client()) == Topic(**GOOD)
    assert len(sleeps.waits) == 3
    for attempt, wait in enumerate(sleeps.waits, start=1):
        ceiling = 2.0 ** (attempt - 1)
        assert ceiling / 2 <= wait <= ceiling  # equal jitter
    assert len(set(sleeps.waits)) == 3


def test_retries_are_bounded(stub_openai: StubOpenAI, make_client: ClientFactory, sleeps: Sleeps) -> None:
    stub_openai.script(*[StubReply.server_error()] * 4)
    with pytest.raises(ServerUnavailable, match="gave up after 4 tries"):
        ask(make_client(transport_retries=3))
    assert len(stub_openai.chat_calls()) == 4 and len(sleeps.waits) == 3


def test_hang_past_timeout_is_retried(
    stub_openai: StubOpenAI, make_client: ClientFactory, sleeps: Sleeps
) -> None:
    stub_openai.script(StubReply.hang(3), StubReply.json(GOOD))
    assert ask(make_client(timeout=0.5)) == Topic(**GOOD)
    assert len(stub_openai.chat_calls()) == 2 and len(sleeps.waits) == 1


def test_malformed_response_body_is_retried(stub_openai: StubOpenAI, make_client: ClientFactory) -> None:
    stub_openai.script(StubReply.malformed(), StubReply.json(GOOD))
    assert ask(make_client()) == Topic(**GOOD)
    assert len(stub_openai.chat_calls()) == 2


def test_finish_reason_length_asks_again_with_more_room(
    stub_openai: StubOpenAI, make_client: ClientFactory
) -> None:
    stub_openai.script(StubReply.text('{"topic": "reinf', finish_reason="length"), StubReply.json(GOOD))
    assert ask(make_client()) == Topic(**GOOD)
    first, second = stub_openai.chat_calls()
    assert first.json["max_tokens"] == 200 and second.json["max_tokens"] == 400
    assert "cut off" in second.json["messages"][-1]["content"]


def test_schema_violation_goes_back_to_the_model(stub_openai: StubOpenAI, make_client: ClientFactory) -> None:
    stub_openai.script(StubReply.json({"topic": "", "sentence_ids": []}), StubReply.json(GOOD))
    assert ask(make_client()) == Topic(**GOOD)
    retry = stub_openai.chat_calls()[1].json["messages"]
    assert retry[-2] == {"role": "assistant", "content": json.dumps({"topic": "", "sentence_ids": []})}
    assert "sentence_ids: List should have at least 1 item" in retry[-1]["content"]
    assert "topic: String should have at least 1 character" in retry[-1]["content"]


def test_semantic_findings_retry_then_typed_error_when_exhausted(
    stub_openai: StubOpenAI, make_client: ClientFactory
) -> None:
    bad = {"topic": "rl", "sentence_ids": ["ep1/p12/s9"]}
    stub_openai.script(*[StubReply.json(bad, prompt_tokens=100, completion_tokens=10)] * 3)

    def known_ids(answer: Topic) -> list[str]:
        return [f"sentence id {sid} does not exist" for sid in answer.sentence_ids if sid not in PASSAGE]

    with pytest.raises(ValidationExhausted) as caught:
        ask(make_client(), validator=known_ids)
    error = caught.value
    assert len(error.attempts) == 3 and len(stub_openai.chat_calls()) == 3
    assert error.usage.prompt_tokens == 300 and error.usage.completion_tokens == 30
    assert json.loads(error.last_output) == bad
    assert error.reason == "sentence id ep1/p12/s9 does not exist"
    assert (
        "sentence id ep1/p12/s9 does not exist" in stub_openai.chat_calls()[1].json["messages"][-1]["content"]
    )


def test_validator_finding_fixed_on_second_attempt(
    stub_openai: StubOpenAI, make_client: ClientFactory
) -> None:
    stub_openai.script(StubReply.json({"topic": "rl", "sentence_ids": ["x"]}), StubReply.json(GOOD))
    result = ask(make_client(), validator=lambda t: [] if t.sentence_ids == ["ep1/p1/s1"] else ["wrong id"])
    assert result == Topic(**GOOD)


def test_llama_server_refusing_json_schema_still_yields_objects(
    make_client: ClientFactory, stub_openai: StubOpenAI
) -> None:
    stub_openai.refuse_json_schema = True
    stub_openai.responder = lambda request: StubReply.json(GOOD)
    notices: list[str] = []
    client = make_client(notices=notices)
    assert ask(client) == Topic(**GOOD)
    assert ask(client, passage=PASSAGE + "\nep1/p1/s3 More.") == Topic(**GOOD)
    kinds = [c.response_format_type for c in stub_openai.chat_calls()]
    assert kinds == ["json_schema", "json_object", "json_object"]  # remembered for the run
    second = stub_openai.chat_calls()[1].json
    assert second["response_format"]["schema"]["required"] == ["topic", "sentence_ids"]
    assert "JSON schema" in second["messages"][0]["content"]
    assert client.mode is Mode.JSON_OBJECT
    assert any("does not accept json_schema" in n for n in notices)


def test_falls_back_to_json_in_plain_text(stub_openai: StubOpenAI, make_client: ClientFactory) -> None:
    stub_openai.script(
        StubReply.error(400, "Unknown parameter: 'response_format'"),
        StubReply.error(400, "response_format json_object is not supported"),
        StubReply.text("Sure! Here it is:\n```json\n" + json.dumps(GOOD) + "\n```\nHope that helps."),
    )
    client = make_client()
    assert ask(client) == Topic(**GOOD)
    assert [c.response_format_type for c in stub_openai.chat_calls()] == ["json_schema", "json_object", None]
    assert client.mode is Mode.TEXT


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (
            StubReply.error(401, "Incorrect API key provided"),
            "the API key was rejected by .*: set OPENAI_API_KEY",
        ),
        (StubReply.error(403, "project has no access"), "permission denied by .* for model stub-model"),
        (
            StubReply.error(404, "The model `stub-model` does not exist"),
            "model stub-model not found on http://127",
        ),
        (StubReply.rate_limited(None, code="insufficient_quota"), "no quota left"),
    ],
)
def test_fatal_errors_are_not_retried(
    stub_openai: StubOpenAI, make_client: ClientFactory, sleeps: Sleeps, reply: StubReply, message: str
) -> None:
    stub_openai.script(reply)
    with pytest.raises(FatalLLMError, match=message):
        ask(make_client())
    assert len(stub_openai.chat_calls()) == 1 and sleeps.waits == []


def test_other_400_rejects_only_this_item(stub_openai: StubOpenAI, make_client: ClientFactory) -> None:
    stub_openai.script(
        StubReply.error(400, "This model's maximum context length is 8192 tokens"), StubReply.json(GOOD)
    )
    client = make_client()
    with pytest.raises(RequestRejected, match="maximum context length"):
        ask(client)
    assert ask(client, passage="ep1/p2/s1 Another passage.") == Topic(**GOOD)


def test_hosted_endpoint_notice_printed_once_before_first_call(
    stub_openai: StubOpenAI, make_client: ClientFactory
) -> None:
    from coursegen.config import Settings

    stub_openai.responder = lambda request: StubReply.json(GOOD)
    notices: list[str] = []
    hosted = make_client(
        notices=notices,
        base_url="https://llm.example.com/v1",
        transport_settings=Settings(
            api_key=SECRET_KEY, base_url=stub_openai.url, model="stub-model", timeout=5.0
        ),
    )
    ask(hosted)
    ask(hosted, passage="ep1/p2/s1 Other.")
    assert len(notices) == 1
    assert "sending transcript passages and prompts to https://llm.example.com/v1" in notices[0]
    local_notices: list[str] = []
    ask(make_client(notices=local_notices), passage="ep1/p3/s1 Local.")
    assert local_notices == []
