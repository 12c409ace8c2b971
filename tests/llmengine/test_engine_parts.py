"""The LLM engine's parts: windows, citations from ids, cycle breaking, per-item salvage, caching rules."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from pathlib import Path

import pytest

from coursegen.engines.llm.answers import ConceptsAnswer
from coursegen.engines.llm.asking import ask
from coursegen.engines.llm.concepts import _problems as concept_problems
from coursegen.engines.llm.concepts import _prune as concept_prune
from coursegen.engines.llm.concepts import cites_in_order
from coursegen.engines.llm.merge import break_cycles
from coursegen.engines.llm.passages import ShownIds, excerpt, runs, windows
from coursegen.engines.sources import SourceIndex
from coursegen.engines.types import Cite, GraphConcept
from coursegen.ingest import ingest_paths
from coursegen.ir import Episode
from coursegen.llm import LLMClient, make_llm_client, settings_from_flags
from coursegen.llm.types import ServerUnavailable, Usage
from coursegen.stage_cache import StageCache, Uncacheable
from tests.llmengine.conftest import SEED_003
from tests.support.stub_openai import StubOpenAI, StubReply


@pytest.fixture(scope="module")
def seed003() -> Episode:
    return ingest_paths([SEED_003]).episodes[0]


def test_windows_cover_every_passage_in_order_within_budget(seed003: Episode) -> None:
    parts = windows(seed003, budget=600)
    assert len(parts) > 1
    assert [p.id for part in parts for p in part] == [p.id for p in seed003.passages]
    for part in parts:
        if len(part) > 1:  # a single long passage may exceed the budget; grouped ones do not
            text = "\n".join(f"{s.id} {s.text}" for p in part for s in p.sentences)
            assert len(text) // 4 <= 600 + 200


def test_cites_keep_best_first_order_and_group_consecutive_ids(seed003: Episode) -> None:
    sources = SourceIndex([seed003])
    e = seed003.id
    cites = cites_in_order(sources, e, [f"{e}/p3/s7", f"{e}/p3/s8", f"{e}/p2/s6", f"{e}/p99/s1"])
    assert cites == [
        Cite(episode=e, sentence_ids=[f"{e}/p3/s7", f"{e}/p3/s8"]),
        Cite(episode=e, sentence_ids=[f"{e}/p2/s6"]),
    ]


def test_a_run_of_ids_is_cut_where_another_speaker_takes_over(seed003: Episode) -> None:
    sources = SourceIndex([seed003])
    e = seed003.id
    # Seed 003, passage 5: "... what I mean there is" / "- Synthetic data." (the other speaker).
    assert sources.opens_turn(f"{e}/p5/s5") and not sources.opens_turn(f"{e}/p5/s4")
    ids = [f"{e}/p5/s3", f"{e}/p5/s4", f"{e}/p5/s5"]
    split = [Cite(episode=e, sentence_ids=ids[:2]), Cite(episode=e, sentence_ids=ids[2:])]
    assert runs(sources, e, ids) == split
    assert cites_in_order(sources, e, ids) == split


def test_excerpt_shows_cited_sentences_with_neighbours_and_records_them(seed003: Episode) -> None:
    sources = SourceIndex([seed003])
    e = seed003.id
    shown = ShownIds()
    text = excerpt(sources, [Cite(episode=e, sentence_ids=[f"{e}/p3/s2"])], shown)
    assert "p3/s1 " in text and "p3/s2 " in text and "p3/s3 " in text and "p3/s4 " not in text
    assert shown.unknown(e, ["p3/s1", "p3/s4"]) == ["p3/s4"]


def test_break_cycles_removes_one_edge_per_cycle_and_says_which() -> None:
    def concept(cid: str, needs: list[str]) -> GraphConcept:
        return GraphConcept(id=cid, name=cid, definition=cid, prerequisites=needs)

    concepts = [concept("a", ["b"]), concept("b", ["c"]), concept("c", ["a"]), concept("d", ["a"])]
    broken = break_cycles(concepts)
    assert len(broken) == 1
    assert "a -> b -> c -> a" in broken[0].reason
    assert concepts[3].prerequisites == ["a"]
    assert break_cycles(concepts) == []


def _client(url: str, tmp_path: Path, **kwargs: object) -> LLMClient:
    settings = dataclasses.replace(settings_from_flags(base_url=url, model="stub"), **kwargs)
    return make_llm_client(settings, build_dir=tmp_path, notify=lambda text: None)


def _concepts_reply(evidence: list[list[str]]) -> StubReply:
    return StubReply.json(
        {
            "concepts": [
                {
                    "name": f"idea {n}",
                    "aliases": [],
                    "kind": "idea",
                    "definition": "d",
                    "evidence": ids,
                    "problem": [],
                    "importance": 3,
                }
                for n, ids in enumerate(evidence, start=1)
            ]
        }
    )


def test_bad_items_are_reasked_then_dropped_with_their_reasons(tmp_path: Path) -> None:
    with StubOpenAI() as stub:
        stub.script(*[_concepts_reply([["p1/s1"], ["p9/s9"]])] * 3)
        client = _client(stub.url, tmp_path)

        async def run() -> object:
            try:
                return await ask(
                    client,
                    "concepts",
                    {
                        "episode_title": "t",
                        "transcript": "p1/s1 Hello there.",
                        "language": "en",
                        "max_concepts": 3,
                    },
                    ConceptsAnswer,
                    stage="concepts",
                    item="ep window 1/1",
                    problems=concept_problems({"p1/s1"}),
                    prune=concept_prune,
                )
            finally:
                await client.aclose()

        outcome = asyncio.run(run())
        calls = stub.chat_calls()
    assert len(calls) == 3  # the first answer and two re-asks
    assert (
        "concept 2 (idea 2): sentence id 'p9/s9' is not in the transcript shown"
        in calls[1].json["messages"][-1]["content"]
    )
    assert [c.name for c in outcome.answer.concepts] == ["idea 1"]  # type: ignore[attr-defined]
    assert outcome.dropped == [  # type: ignore[attr-defined]
        ("ep window 1/1 concept 2 (idea 2)", "sentence id 'p9/s9' is not in the transcript shown")
    ]


def test_a_fixed_answer_after_a_reask_is_kept_whole(tmp_path: Path) -> None:
    with StubOpenAI() as stub:
        stub.script(_concepts_reply([["p1/s1"], ["p9/s9"]]), _concepts_reply([["p1/s1"], ["p1/s1"]]))
        client = _client(stub.url, tmp_path)

        async def run() -> object:
            try:
                return await ask(
                    client,
                    "concepts",
                    {
                        "episode_title": "t",
                        "transcript": "p1/s1 Hello there.",
                        "language": "en",
                        "max_concepts": 3,
                    },
                    ConceptsAnswer,
                    stage="concepts",
                    item="w",
                    problems=concept_problems({"p1/s1"}),
                    prune=concept_prune,
                )
            finally:
                await client.aclose()

        outcome = asyncio.run(run())
    assert len(outcome.answer.concepts) == 2 and outcome.dropped == []  # type: ignore[attr-defined]


def _ask_a_failing_server(tmp_path: Path, answered_before: bool) -> object:
    """One concepts call to a server that answers 503, after an earlier answer or with none yet."""
    with StubOpenAI() as stub:
        stub.responder = lambda request: StubReply.server_error(503)
        client = _client(stub.url, tmp_path, transport_retries=1)
        client.transport.policy.sleep = lambda s: None

        async def no_wait(seconds: float) -> None:
            return None

        client.transport.policy.asleep = no_wait
        if answered_before:  # an answer of this build (a cached one counts: the ledger has it)
            client.ledger.record("concepts", Usage(prompt_tokens=10, completion_tokens=5), cached=True)

        async def run() -> object:
            try:
                return await ask(
                    client,
                    "concepts",
                    {"episode_title": "t", "transcript": "p1/s1 Hi.", "language": "en", "max_concepts": 3},
                    ConceptsAnswer,
                    stage="concepts",
                    item="w",
                    problems=concept_problems({"p1/s1"}),
                    prune=concept_prune,
                )
            finally:
                await client.aclose()

        return asyncio.run(run())


def test_server_unavailable_drops_the_item_and_marks_it_transient(tmp_path: Path) -> None:
    outcome = _ask_a_failing_server(tmp_path, answered_before=True)
    assert outcome.answer is None and outcome.transient  # type: ignore[attr-defined]
    assert outcome.dropped and outcome.dropped[0][0] == "w"  # type: ignore[attr-defined]


def test_a_server_that_never_answered_stops_the_build(tmp_path: Path) -> None:
    # Dropping every call of a server that is not there ends minutes later in "no concept".
    with pytest.raises(ServerUnavailable, match="gave up after 2 tries"):
        _ask_a_failing_server(tmp_path, answered_before=False)


def test_an_uncacheable_result_is_used_but_not_stored(tmp_path: Path) -> None:
    cache = StageCache(tmp_path / "cache")
    value = Cite(episode="e", sentence_ids=["e/p1/s1"])

    def failing() -> Cite:
        raise Uncacheable(value)

    assert cache.fetch("lesson", "k1", Cite, "l1", failing) == value
    assert cache.get("lesson", "k1", Cite) is None
    assert "not stored" in cache.recomputed[0][2]
    assert cache.fetch("lesson", "k1", Cite, "l1", lambda: value) == value
    assert cache.get("lesson", "k1", Cite) == value


def test_language_flag_reaches_every_prompt_and_the_course(tmp_path: Path, rule_stub: object) -> None:
    from tests.llmengine.conftest import RuleStub, load_course, run_build

    assert isinstance(rule_stub, RuleStub)
    out = tmp_path / "course"
    assert (
        run_build(
            SEED_003,
            "--out",
            out,
            "--engine",
            "llm",
            "--base-url",
            rule_stub.url,
            "--language",
            "de",
            "--no-export",
        )
        == 0
    )
    assert load_course(out)["language"] == "de"
    systems = [call.json["messages"][0]["content"] for call in rule_stub.server.chat_calls()]
    prompted = [s for s in systems if "ConceptsAnswer" not in s]
    assert systems and all(" de" in s for s in systems if "organise the concepts" not in s)
    assert prompted


def test_dry_run_sends_nothing_and_prints_an_estimate(
    tmp_path: Path, rule_stub: object, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.llmengine.conftest import RuleStub, run_build

    assert isinstance(rule_stub, RuleStub)
    assert (
        run_build(
            SEED_003, "--out", tmp_path / "o", "--engine", "llm", "--base-url", rule_stub.url, "--dry-run"
        )
        == 0
    )
    assert rule_stub.chat_count() == 0
    assert "estimate: " in capsys.readouterr().out
    assert not (tmp_path / "o" / "course.json").exists()


def test_max_cost_below_the_estimate_stops_before_the_first_call(
    tmp_path: Path, rule_stub: object, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.llmengine.conftest import RuleStub, run_build

    assert isinstance(rule_stub, RuleStub)
    (tmp_path / "coursegen.toml").write_text(
        "[llm.prices.stub]\ninput = 10.0\noutput = 30.0\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    code = run_build(
        SEED_003,
        "--out",
        tmp_path / "o",
        "--engine",
        "llm",
        "--base-url",
        rule_stub.url,
        "--model",
        "stub",
        "--max-cost",
        "0.01",
    )
    err = capsys.readouterr().err
    assert code != 0 and "max-cost" in err and "Traceback" not in err
    assert rule_stub.chat_count() == 0


def test_batch_out_writes_the_concept_requests_and_sends_nothing(tmp_path: Path, rule_stub: object) -> None:
    from tests.llmengine.conftest import RuleStub, run_build

    assert isinstance(rule_stub, RuleStub)
    batch = tmp_path / "requests.jsonl"
    assert (
        run_build(
            SEED_003,
            "--out",
            tmp_path / "o",
            "--engine",
            "llm",
            "--base-url",
            rule_stub.url,
            "--batch-out",
            batch,
        )
        == 0
    )
    assert rule_stub.chat_count() == 0
    lines = [json.loads(line) for line in batch.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 1 and lines[0]["url"] == "/v1/chat/completions"
    assert lines[0]["body"]["response_format"]["json_schema"]["name"] == "ConceptsAnswer"
