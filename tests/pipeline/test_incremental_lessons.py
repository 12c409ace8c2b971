"""Adding an episode recomputes only the lessons whose own inputs changed (coursegen.lesson_scope)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from coursegen.engines.extractive import ExtractiveEngine
from coursegen.engines.extractive.mentions import MentionFinder
from coursegen.engines.sources import SourceIndex
from coursegen.engines.types import ConceptGraph, GraphConcept, LessonAssessment, LessonDraft, RampOptions
from coursegen.ir import Course, Episode
from coursegen.lesson_scope import lesson_scope, scope_key, scope_parts
from coursegen.pipeline import BuildOptions, build_course
from coursegen.stage_cache import stage_key
from tests.pipeline.conftest import SEEDS

ADDED = "003_9859fa03d6cc2246.txt"


def _course_json(path: Path) -> dict[str, object]:
    data = json.loads(path.read_text(encoding="utf-8"))
    del data["build"]  # timings, usage and what was reused differ by construction
    return data


def test_adding_an_episode_recomputes_only_changed_lessons_and_says_why(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for path in sorted(SEEDS.glob("*.txt")):
        if path.name != ADDED:
            shutil.copy(path, src / path.name)
    # A fixed title and id: otherwise the first build's title becomes the course id.
    options = BuildOptions(engine="extractive", title="Seeds", course_id="seeds")
    out = tmp_path / "course"
    build_course([src], out, options)
    # The same history without the cache: the previous course is an input (its cards are kept).
    (tmp_path / "fresh").mkdir()
    shutil.copy(out / "course.json", tmp_path / "fresh" / "course.json")
    shutil.copy(SEEDS / ADDED, src / ADDED)
    grown = build_course([src], out, options)

    log = json.loads((out / ".cache" / "last_build.json").read_text(encoding="utf-8"))
    lessons = len(grown.course.lessons)
    for stage in ("lesson", "assessment"):
        why = [w for w in log["why"] if w["stage"] == stage]
        assert len(why) == log["recomputed"].get(stage, 0)
        assert 0 < len(why) < lessons, (stage, len(why), lessons)
        assert all(w["item"] and w["reason"] for w in why), why
        # A recompute is either new or names the inputs that changed (see lesson_scope's parts).
        assert all(
            w["reason"].startswith("new:")
            or w["reason"].startswith("its inputs changed since the previous build: ")
            for w in why
        ), why
        assert log["reused"].get(stage, 0) > 0
    # The cross-episode stages always run again after a new episode.
    assert {"concepts", "merge", "ramp"} <= set(log["recomputed"])

    # What the cache reused is what a build without a cache writes from the same previous
    # course: the keys miss no input.
    fresh = build_course([src], tmp_path / "fresh", BuildOptions(**{**options.__dict__, "use_cache": False}))
    assert _course_json(grown.course_path) == _course_json(fresh.course_path)


def _scoped_keys(graph: ConceptGraph, sources: SourceIndex) -> dict[str, str]:
    engine = ExtractiveEngine()
    ramp = engine.ramp(graph, RampOptions())
    finder = MentionFinder(graph)
    order = [cid for plan in ramp.lessons for cid in plan.concepts]
    keys: dict[str, str] = {}
    taught: list[str] = []
    for plan in ramp.lessons:
        later = frozenset(order) - set(taught) - set(plan.concepts)
        scope = lesson_scope(plan, graph, sources, finder, frozenset(taught), later, plan.id, None, False)
        keys[plan.id] = scope_key("lesson", scope_parts(engine.name, "v", scope))
        taught.extend(plan.concepts)
    return keys


def test_a_concept_no_quote_names_leaves_every_lesson_key_alone(talk_a: Episode, talk_b: Episode) -> None:
    engine = ExtractiveEngine()
    graph = engine.merge([engine.concepts(talk_a), engine.concepts(talk_b)])
    sources = SourceIndex([talk_a, talk_b])
    before = _scoped_keys(graph, sources)
    assert before
    # Most general and most important: ramped first, so it is "taught before" every lesson
    # without splitting any pair of concepts that share a lesson (a near-tie could).
    unrelated = GraphConcept(
        id="zebra-finch", name="zebra finch", definition="a bird", importance=9.0, generality=1.0
    )
    grown = graph.model_copy(update={"concepts": [*graph.concepts, unrelated]})
    after = _scoped_keys(grown, sources)
    assert {k: v for k, v in after.items() if k in before} == before

    # A new concept whose name the lesson's quotes contain is an input of that lesson.
    named = GraphConcept(id="warmup", name="warmup", definition="a schedule", importance=9.0, generality=1.0)
    grown = graph.model_copy(update={"concepts": [*graph.concepts, named]})
    after = _scoped_keys(grown, sources)
    changed = {k for k in before if after.get(k) != before[k]}
    assert changed and changed != set(before), changed
    # Only talk A says "warmup": lessons whose concepts cite only talk B keep their keys.
    episodes_of = {c.id: {cite.episode for cite in [*c.evidence, *c.problems]} for c in graph.concepts}
    ramp = engine.ramp(graph, RampOptions())
    only_b = {p.id for p in ramp.lessons if set().union(*(episodes_of[c] for c in p.concepts)) == {talk_b.id}}
    assert only_b and not (changed & only_b)


def test_assembly_drops_a_block_that_names_a_later_concept(talk_a: Episode, talk_b: Episode) -> None:
    """The safety net for engines that now see only the later concepts their quotes name."""
    from coursegen.assemble_course import assemble_course

    engine = ExtractiveEngine()
    graph = engine.merge([engine.concepts(talk_a), engine.concepts(talk_b)])
    ramp = engine.ramp(graph, RampOptions())
    sources = SourceIndex([talk_a, talk_b])
    finder = MentionFinder(graph)
    order = [cid for plan in ramp.lessons for cid in plan.concepts]
    drafts: list[LessonDraft] = []
    assessments: list[LessonAssessment] = []
    taught: list[str] = []
    for plan in ramp.lessons:
        later = frozenset(order) - set(taught) - set(plan.concepts)
        scope = lesson_scope(plan, graph, sources, finder, frozenset(taught), later, plan.id, None, False)
        draft = engine.lesson(scope.plan, scope.context)
        drafts.append(draft)
        assessments.append(engine.assessment(scope.plan, draft, scope.context))
        taught.extend(plan.concepts)
    by_id = {c.id: c for c in graph.concepts}
    last = by_id[ramp.lessons[-1].concepts[0]].name
    first = drafts[0]
    assert len(first.blocks) >= 1
    block = first.blocks[0].model_copy(update={"text": f"This matters for {last}, as we will see."})
    drafts[0] = first.model_copy(update={"blocks": [*first.blocks, block]})

    def assemble(lesson_drafts: list[LessonDraft]) -> Course:
        return assemble_course(
            course_id="c",
            title="T",
            language="en",
            engine=engine,
            episodes=[talk_a, talk_b],
            graph=graph,
            ramp=ramp,
            drafts=lesson_drafts,
            assessments=assessments,
            placement=[],
        )

    course = assemble(drafts)
    item = f"{ramp.lessons[0].id}#block{len(first.blocks)}"
    dropped = [d for d in course.build.dropped if d.item == item]
    assert dropped and "RAMP003" in dropped[0].reason
    clean = assemble([first, *drafts[1:]])
    assert course.build.validation["errors"] == clean.build.validation["errors"], (
        course.build.validation,
        clean.build.validation,
    )
    lesson = next(lesson for lesson in course.lessons if lesson.id == ramp.lessons[0].id)
    assert len(lesson.blocks) == len(first.blocks)


def test_a_recompute_names_the_parts_of_its_inputs_that_changed(tmp_path: Path) -> None:
    from coursegen.engines.types import StageModel
    from coursegen.stage_cache import StageCache

    class Result(StageModel):
        value: int

    def run(parts: dict[str, str]) -> list[tuple[str, str, str]]:
        cache = StageCache(tmp_path)
        key = stage_key("lesson", sorted(parts.items()))
        cache.fetch_many("lesson", [(key, "l1")], Result, lambda missing: [Result(value=1)], [parts])
        cache.save_index()
        return cache.recomputed

    assert run({"terms": "a", "taught later": "b"}) == [("lesson", "l1", "new: not in the previous build")]
    assert run({"terms": "a", "taught later": "b"}) == []
    assert run({"terms": "c", "taught later": "b"}) == [
        ("lesson", "l1", "its inputs changed since the previous build: terms")
    ]
    for stored in (tmp_path / "lesson").glob("*.json"):
        stored.unlink()
    assert run({"terms": "c", "taught later": "b"}) == [
        ("lesson", "l1", "its stored result was missing or unreadable")
    ]
