"""End-to-end builds through the real openai client against the stub server playing the rule-based model."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from coursegen.config import Settings
from coursegen.engines.llm.passages import windows
from coursegen.ingest import ingest_paths
from tests.llmengine.conftest import SEED_001, SEED_002, SEED_003, RuleStub, build_log, load_course, run_build


def load_json(text: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(text)
    return data


def _stage_counts(stub: RuleStub, since: int) -> Counter[str]:
    counts: Counter[str] = Counter()
    for call in stub.server.chat_calls()[since:]:
        name = (call.json.get("response_format") or {}).get("json_schema", {}).get("name", "?")
        counts[name] += 1
    return counts


def test_build_validates_and_sends_transcript_only_as_data(rule_stub: RuleStub, tmp_path: Path) -> None:
    out = tmp_path / "course"
    assert (
        run_build(SEED_003, "--out", out, "--engine", "llm", "--base-url", rule_stub.url, "--model", "stub")
        == 0
    )
    course = load_course(out)
    build = course["build"]
    assert build["engine"] == "llm"
    assert build["validation"]["errors"] == 0
    assert build["validation"]["citation_validity_rate"] == 1.0
    assert course["lessons"] and course["questions"] and course["cards"]
    assert build["usage"]["model_calls"] == rule_stub.chat_count() > 0
    # Every transcript sentence the model saw was inside the <transcript> delimiters.
    for call in rule_stub.server.chat_calls():
        user = call.user_text
        inside = "".join(re.findall(r"<transcript>(.*?)</transcript>", user, re.DOTALL))
        for line in user.splitlines():
            if re.match(r"^p\d+/s\d+ ", line):
                assert line in inside


def test_rebuild_without_change_makes_no_call(rule_stub: RuleStub, tmp_path: Path) -> None:
    out = tmp_path / "course"
    args = (SEED_003, "--out", out, "--engine", "llm", "--base-url", rule_stub.url, "--model", "stub")
    assert run_build(*args) == 0
    first = (out / "course.json").read_text(encoding="utf-8")
    calls = rule_stub.chat_count()
    assert run_build(*args) == 0
    assert rule_stub.chat_count() == calls
    assert build_log(out)["recomputed"] == {}
    # Same course; only this build's own facts (its times and its model usage) differ.
    before, after = load_json(first), load_course(out)
    for data in (before, after):
        data["build"].pop("timings")
        data["build"].pop("usage")
    assert before == after


def test_adding_an_episode_costs_its_own_calls_plus_what_changed(rule_stub: RuleStub, tmp_path: Path) -> None:
    out = tmp_path / "course"
    base = ("--out", out, "--engine", "llm", "--base-url", rule_stub.url, "--model", "stub")
    assert run_build(SEED_001, SEED_003, *base) == 0
    before = rule_stub.chat_count()
    assert run_build(SEED_001, SEED_002, SEED_003, *base) == 0
    counts = _stage_counts(rule_stub, before)
    log = build_log(out)
    new_episode = ingest_paths([SEED_002]).episodes[0]
    # Per-episode stage: only the new episode's windows (the rule model never needs a re-ask there).
    assert counts["ConceptsAnswer"] == len(windows(new_episode))
    for call in rule_stub.server.chat_calls()[before:]:
        if (call.json.get("response_format") or {}).get("json_schema", {}).get("name") == "ConceptsAnswer":
            assert new_episode.title in call.user_text
    assert log["recomputed"]["concepts"] == 1
    # Cross-episode stage: one merge call.
    assert counts["MergeAnswer"] == 1
    # Lessons and assessments: at most one call per item the build log says was recomputed (fewer
    # when the prompt did not change and the model's cached answer is reused), plus re-asks.
    attempts = Settings().max_attempts
    lessons = [w for w in log["why"] if w["stage"] == "lesson"]
    assessed = [w for w in log["why"] if w["stage"] == "assessment"]
    assert counts["LessonAnswer"] <= attempts * len(lessons)
    assert counts["AssessmentAnswer"] <= attempts * len(assessed)
    assert len(lessons) == log["recomputed"].get("lesson", 0)
    # "its inputs changed since the previous build: <which of its inputs>" (see lesson_scope).
    assert all(
        w["reason"] == "new: not in the previous build"
        or w["reason"].startswith("its inputs changed since the previous build")
        for w in lessons + assessed
    )
    # Nothing else was asked: no concept call for the episodes already built.
    total_new = sum(counts.values())
    assert total_new == len(windows(new_episode)) + 1 + counts["LessonAnswer"] + counts["AssessmentAnswer"]


def test_a_model_rewording_its_cards_keeps_the_learners_notes(rule_stub: RuleStub, tmp_path: Path) -> None:
    """A regenerated lesson is asked again, and a model words each card's front and fact anew:
    a card with the same answer from the same quote is the card the learner has (its note)."""
    out = tmp_path / "course"
    args = (SEED_003, "--out", out, "--engine", "llm", "--base-url", rule_stub.url, "--model", "stub")
    assert run_build(*args) == 0
    first = {c["identity"]: c["front"] for c in load_course(out)["cards"]}
    rule_stub.model.card_wording = "Recall: "
    (out / ".cache" / "llm-cache.sqlite").unlink()  # the model is asked again, not its cached answers
    assert run_build(*args, "--no-cache") == 0
    again = {c["identity"]: c["front"] for c in load_course(out)["cards"]}
    assert first and set(again) == set(first)
    assert all(again[i] == "Recall: " + first[i] for i in first)  # reworded, notes kept
