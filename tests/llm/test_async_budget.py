"""Async concurrency, the --max-cost cap, estimates for --dry-run, and the usage summary."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest

from coursegen.errors import BudgetExceeded, FatalLLMError
from coursegen.llm.accounting import Estimate, estimate_tokens, format_summary
from coursegen.llm.cache import ResponseCache
from coursegen.llm.concurrency import gather_items
from coursegen.llm.types import ValidationExhausted
from tests.llm.conftest import GOOD, ClientFactory, Topic, priced
from tests.support.stub_openai import StubOpenAI, StubReply


def passages(n: int) -> list[str]:
    return [f"ep1/p{i}/s1 Passage number {i} about reinforcement learning." for i in range(n)]


class SlowCounter:
    """A responder that holds each request briefly and records how many overlap."""

    def __init__(self, delay: float = 0.15) -> None:
        self.delay = delay
        self.active = 0
        self.peak = 0
        self.lock = threading.Lock()

    def __call__(self, request: Any) -> StubReply:
        with self.lock:
            self.active += 1
            self.peak = max(self.peak, self.active)
        time.sleep(self.delay)
        with self.lock:
            self.active -= 1
        return StubReply.json(GOOD)


def test_arun_runs_concurrently_but_within_the_bound(
    stub_openai: StubOpenAI, make_client: ClientFactory
) -> None:
    counter = SlowCounter()
    stub_openai.responder = counter
    client = make_client(concurrency=3)

    async def main() -> list[Topic | Exception]:
        jobs = [client.arun("selftest", {"passage": p}, Topic, stage="concepts") for p in passages(9)]
        try:
            return list(await gather_items(jobs))
        finally:
            await client.aclose()

    results = asyncio.run(main())
    assert results == [Topic(**GOOD)] * 9
    assert counter.peak == 3 and client.limiter.peak == 3
    assert client.usage_summary()["stages"]["concepts"]["calls"] == 9


def test_429s_shrink_concurrency(stub_openai: StubOpenAI, make_client: ClientFactory) -> None:
    stub_openai.script(StubReply.rate_limited(0), StubReply.rate_limited(0))
    stub_openai.responder = SlowCounter(0.05)
    client = make_client(concurrency=8)

    client.map("selftest", [{"passage": p} for p in passages(6)], Topic, stage="s")
    assert client.limiter.limit < 8  # halved per 429 (8 -> 4 -> 2), then creeping back up
    assert len(stub_openai.chat_calls()) == 8


def test_one_bad_item_is_dropped_and_the_rest_continue(
    stub_openai: StubOpenAI, make_client: ClientFactory
) -> None:
    def responder(request: Any) -> StubReply:
        bad = "Passage number 1 " in str(request["messages"])
        return StubReply.json({"topic": "", "sentence_ids": []} if bad else GOOD)

    stub_openai.responder = responder
    client = make_client(max_attempts=2)

    results = client.map("selftest", [{"passage": p} for p in passages(3)], Topic, stage="s")
    assert results[0] == Topic(**GOOD) and results[2] == Topic(**GOOD)
    assert isinstance(results[1], ValidationExhausted) and len(results[1].attempts) == 2


def test_fatal_error_stops_the_whole_run(stub_openai: StubOpenAI, make_client: ClientFactory) -> None:
    stub_openai.responder = lambda request: StubReply.error(401, "bad key")
    client = make_client(concurrency=2)

    with pytest.raises(FatalLLMError, match="API key was rejected"):
        client.map("selftest", [{"passage": p} for p in passages(20)], Topic, stage="s")
    assert len(stub_openai.chat_calls()) <= 2  # the in-flight pair, then everything stopped


def test_max_cost_stops_mid_run_and_keeps_finished_work(
    stub_openai: StubOpenAI, make_client: ClientFactory, cache: ResponseCache
) -> None:
    # 1000 in + 200 out tokens at $1/$2 per 1M = $0.0014 per call; the next call is reserved at
    # its estimate (~300 tokens in + max_tokens 200 out = ~$0.0007). A cap of $0.0045 admits
    # three calls: after them $0.0042 is spent and the fourth would pass it.
    stub_openai.responder = lambda request: StubReply.json(GOOD, prompt_tokens=1000, completion_tokens=200)
    client = make_client(prices=priced(), max_cost=0.0045)
    done = 0
    with pytest.raises(BudgetExceeded, match="would pass --max-cost \\$0.0045") as caught:
        for passage in passages(10):
            client.run("selftest", {"passage": passage}, Topic, stage="s")
            done += 1
    assert done == 3 and len(stub_openai.chat_calls()) == 3 and len(cache) == 3
    assert caught.value.tip is not None and "--max-cost" in caught.value.tip
    assert client.ledger.spent == pytest.approx(3 * 0.0014)


def test_estimate_refuses_before_the_first_call(stub_openai: StubOpenAI, make_client: ClientFactory) -> None:
    client = make_client(prices=priced(inp=100.0, out=100.0), max_cost=0.01)
    estimate = Estimate()
    for passage in passages(5):
        usage, cost, cached = client.estimate("selftest", {"passage": passage}, Topic)
        estimate.add(usage, cost, cached=cached)
    assert estimate.calls == 5 and estimate.usage.completion_tokens == 5 * 200  # max_tokens from front matter
    assert estimate.cost is not None and estimate.cost > 0.01
    with pytest.raises(BudgetExceeded, match="nothing was sent") as caught:
        estimate.check_cap(0.01)
    assert caught.value.tip is not None and caught.value.tip.startswith("rerun with --max-cost ")
    assert "5 call(s) to stub-model" in estimate.describe("stub-model", stub_openai.url)
    assert stub_openai.chat_calls() == []


def test_estimate_counts_cached_calls_as_free(stub_openai: StubOpenAI, make_client: ClientFactory) -> None:
    stub_openai.script(StubReply.json(GOOD))
    client = make_client(prices=priced())
    client.run("selftest", {"passage": passages(1)[0]}, Topic, stage="s")
    _, _, cached = client.estimate("selftest", {"passage": passages(1)[0]}, Topic)
    _, _, fresh = client.estimate("selftest", {"passage": passages(2)[1]}, Topic)
    assert cached is True and fresh is False


def test_estimate_tokens_from_characters() -> None:
    assert estimate_tokens("") == 0
    assert estimate_tokens("abcd") == 1 and estimate_tokens("abcde") == 2
    assert estimate_tokens("x" * 4000) == 1000


def test_unknown_model_cost_is_unknown_and_printed_so(
    stub_openai: StubOpenAI, make_client: ClientFactory
) -> None:
    from coursegen.config import Settings

    stub_openai.script(StubReply.json(GOOD))
    hosted = make_client(
        base_url="https://llm.example.com/v1",
        model="mystery-model",
        transport_settings=Settings(base_url=stub_openai.url, api_key="k", timeout=5.0),
    )
    hosted.run("selftest", {"passage": "ep1/p1/s1 Hi."}, Topic, stage="concepts")
    summary = hosted.usage_summary()
    assert summary["total"]["cost_usd"] is None
    assert "unknown" in format_summary(summary)


def test_usage_summary_per_stage(stub_openai: StubOpenAI, make_client: ClientFactory) -> None:
    stub_openai.responder = lambda request: StubReply.json(GOOD, prompt_tokens=500, completion_tokens=100)
    client = make_client(prices=priced(inp=2.0, out=8.0))
    for index, stage in enumerate(["concepts", "concepts", "lessons"]):
        client.run("selftest", {"passage": passages(3)[index]}, Topic, stage=stage)
    summary = client.usage_summary()
    assert summary["stages"]["concepts"] == {
        "calls": 2,
        "cached_calls": 0,
        "prompt_tokens": 1000,
        "completion_tokens": 200,
        "cost_usd": pytest.approx(0.0036),
    }
    assert summary["total"]["calls"] == 3 and summary["total"]["cost_usd"] == pytest.approx(0.0054)
    assert summary["prompt_versions"] == {"selftest": "1"}
    text = format_summary(summary)
    assert "concepts" in text and "lessons" in text and "$0.0054" in text


def test_max_cost_in_concurrent_run_lets_calls_in_flight_finish(
    stub_openai: StubOpenAI, make_client: ClientFactory, cache: ResponseCache
) -> None:
    counter = SlowCounter(0.1)

    def responder(request: Any) -> StubReply:
        counter(request)
        return StubReply.json(GOOD, prompt_tokens=1000, completion_tokens=200)

    stub_openai.responder = responder
    client = make_client(prices=priced(), max_cost=0.0045, concurrency=2)
    with pytest.raises(BudgetExceeded):
        client.map("selftest", [{"passage": p} for p in passages(10)], Topic, stage="s")
    sent = len(stub_openai.chat_calls())
    assert 2 <= sent <= 4 and len(cache) == sent  # every answer paid for is kept
    assert client.ledger.spent is not None and client.ledger.spent <= 0.0045 + 0.0014
