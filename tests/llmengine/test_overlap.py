"""Lessons and assessments overlap (each assessment follows its own lesson at once), and the course
does not depend on it: the same course.json, stage cache and build log at any concurrency, and
as the stage-by-stage path (every lesson, then every assessment) makes them."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from coursegen.engines.llm import LLMEngine
from coursegen.llm import make_llm_client, settings_from_flags
from coursegen.pipeline import BuildOptions, build_course
from tests.llmengine.conftest import SEED_002, SEED_003
from tests.support.rule_stub import RuleModel
from tests.support.stub_openai import StubOpenAI

SOURCES = [SEED_002, SEED_003]
LATENCY = 0.2


class StageByStageEngine(LLMEngine):
    """The LLM engine with the overlap turned off: the pipeline's stage-by-stage path."""

    @property
    def overlaps_assessments(self) -> bool:
        return False


def _build(
    out: Path, concurrency: int, engine_class: type[LLMEngine] = LLMEngine, latency: float = 0.02
) -> list[tuple[float, str]]:
    """Build the two seeds into `out`; returns (arrival time, answer schema) of each request."""
    arrivals: list[tuple[float, str]] = []
    model = RuleModel(latency=latency)

    def reply(request: Any) -> Any:
        arrivals.append((time.monotonic(), str(request["response_format"]["json_schema"]["name"])))
        return model.reply(request)

    with StubOpenAI() as stub:
        stub.responder = reply
        settings = settings_from_flags(base_url=stub.url, model="stub", concurrency=concurrency)
        engine = engine_class(make_llm_client(settings, build_dir=out, notify=lambda text: None))
        try:
            build_course(SOURCES, out, BuildOptions(engine_object=engine))
        finally:
            engine.close()
    return arrivals


def _first_assessment_and_last_lesson(arrivals: list[tuple[float, str]]) -> tuple[float, float]:
    lessons = [t for t, name in arrivals if name == "LessonAnswer"]
    assessments = [t for t, name in arrivals if name == "AssessmentAnswer"]
    assert len(lessons) > 5 and len(assessments) > 5
    return min(assessments), max(lessons)


def _course(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / "course.json").read_text(encoding="utf-8"))
    for varying in ("timings", "usage"):  # wall times, and counts that include cache replays
        data["build"].pop(varying)
    return data


def _stage_results(out: Path) -> dict[str, str]:
    cache = out / ".cache"
    return {
        str(path.relative_to(cache)): path.read_text(encoding="utf-8")
        for stage in ("lesson", "assessment")
        for path in sorted((cache / stage).glob("*.json"))
        if not path.name.endswith(".usage.json")
    }


def test_assessments_start_before_the_last_lesson_is_answered(tmp_path: Path) -> None:
    arrivals = _build(tmp_path / "c5", 5, latency=LATENCY)
    first_assessment, last_lesson = _first_assessment_and_last_lesson(arrivals)
    # The last lesson's answer comes LATENCY after its request; assessments went out before it
    # (the stage-by-stage path sends none until then: see the next test). Not LATENCY / 2: on a
    # loaded 2-core machine the first assessment once left 0.1-0.2 s after the last lesson.
    assert first_assessment < last_lesson + LATENCY


def test_the_course_is_the_same_at_any_concurrency_and_as_stage_by_stage(tmp_path: Path) -> None:
    _build(tmp_path / "c1", 1)
    _build(tmp_path / "c8", 8)
    first_assessment, last_lesson = _first_assessment_and_last_lesson(
        _build(tmp_path / "staged", 8, StageByStageEngine, latency=0.05)
    )
    assert first_assessment >= last_lesson + 0.05  # the staged path really waits for every lesson
    assert _course(tmp_path / "c1") == _course(tmp_path / "c8") == _course(tmp_path / "staged")
    assert _stage_results(tmp_path / "c1") == _stage_results(tmp_path / "c8") == _stage_results(
        tmp_path / "staged"
    )
    logs = [json.loads((tmp_path / d / ".cache" / "last_build.json").read_text()) for d in ("c8", "staged")]
    assert logs[0] == logs[1]
