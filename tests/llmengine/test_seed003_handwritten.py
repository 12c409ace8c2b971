"""Seed 003 end to end through the real openai client, the stub server replaying hand-written answers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.llmengine.conftest import ROOT, SEED_003, load_course, run_build
from tests.llmengine.handwritten import HandWrittenModel
from tests.support.stub_openai import StubOpenAI

FIXTURES = ROOT / "tests" / "fixtures" / "llm_seed003"


@pytest.fixture
def handwritten() -> Iterator[tuple[StubOpenAI, HandWrittenModel]]:
    with StubOpenAI() as server:
        model = HandWrittenModel(FIXTURES)
        server.responder = model.reply
        yield server, model


def test_seed003_course_from_handwritten_answers_validates(
    handwritten: tuple[StubOpenAI, HandWrittenModel], tmp_path: Path
) -> None:
    server, model = handwritten
    out = tmp_path / "course"
    status = run_build(SEED_003, "--out", out, "--engine", "llm", "--base-url", server.url, "--model", "stub")
    assert status == 0
    assert model.missing == [], "prompts changed: write these answers (see the fixture README)"
    assert model.retries == [], "every hand-written answer should pass the validators first time"
    course = load_course(out)
    build = course["build"]
    assert build["engine"] == "llm"
    assert build["validation"]["errors"] == 0
    assert build["validation"]["citation_validity_rate"] == 1.0
    assert build["dropped"] == []
    assert build["usage"]["model_calls"] == len(server.chat_calls()) == 1 + 1 + 5 + 5
    # What came from the transcript or from earlier answers (names, definitions, quotes) is sent
    # only as delimited data in user messages, never in the instructions.
    for call in server.chat_calls():
        system = call.json["messages"][0]["content"]
        assert "intelligence explosion" not in system and "research taste" not in system
        assert "compute" not in system
    names = {c["name"] for c in course["concepts"]}
    assert {"intelligence explosion", "compute", "research taste", "synthetic data"} <= names
    lessons = course["lessons"]
    assert [lesson["title"] for lesson in lessons][:2] == [
        "Compute, and how a lab splits it",
        "Deciding on imperfect information",
    ]
    levels = [lesson["level"] for lesson in lessons]
    assert all(abs(a - b) <= 1 for a, b in zip(levels, levels[1:], strict=False))
    for lesson in lessons:
        assert lesson["problem"] and lesson["prediction"] and lesson["prediction_reveal"]
        assert all(block["citations"] for block in lesson["blocks"])
        assert len(lesson["question_ids"]) >= 2
    kinds = {q["kind"] for q in course["questions"]}
    assert kinds == {"mcq", "cloze", "true_false", "short"}
    # Quotes are materialized from the ids the answers gave: verbatim transcript text.
    first = lessons[0]["blocks"][0]["citations"][0]
    assert first["quote"] == "Yeah, I think like more compute would just like directly convert into progress."
    assert first["start"] is not None
