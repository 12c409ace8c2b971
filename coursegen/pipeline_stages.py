"""The stages of the build between the merge and the written course, each through the stage cache.

Lessons and assessments see only their own slice of the course and are keyed by exactly
that slice (coursegen.lesson_scope), so adding an episode recomputes only the lessons whose
inputs changed. Every cache miss of a stage is
handed to the engine in one batch call.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from coursegen import __version__
from coursegen.assemble_course import assemble_course
from coursegen.engines.base import Engine
from coursegen.engines.extractive.mentions import MentionFinder
from coursegen.engines.sources import SourceIndex
from coursegen.engines.types import (
    ConceptGraph,
    LessonAssessment,
    LessonDraft,
    PlacementChoice,
    RampPlan,
    StageModel,
)
from coursegen.ir import Course, Episode
from coursegen.lesson_scope import LessonScope, lesson_scope, scope_key, scope_parts
from coursegen.stage_cache import StageCache, model_hash, stage_key

ProgressHook = Callable[[str, int, int], None]


class StageTimer:
    """Wall time spent per stage (summed over calls)."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time the block under `name`."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = round(self.timings.get(name, 0.0) + time.perf_counter() - start, 4)


class _PlacementList(StageModel):
    items: list[PlacementChoice]


def placement_stage(
    engine: Engine, cache: StageCache, ramp: RampPlan, assessments: list[LessonAssessment]
) -> list[PlacementChoice]:
    key = stage_key(
        "placement",
        engine.name,
        engine.versions["placement"],
        model_hash(ramp),
        [model_hash(a) for a in assessments],
    )
    return cache.fetch(
        "placement",
        key,
        _PlacementList,
        "placement quiz",
        lambda: _PlacementList(items=engine.placement(ramp, assessments)),
    ).items


def assembled_course(
    engine: Engine,
    cache: StageCache,
    course_id: str,
    title: str,
    language: str,
    episodes: list[Episode],
    graph: ConceptGraph,
    ramp: RampPlan,
    drafts: list[LessonDraft],
    assessments: list[LessonAssessment],
    placement: list[PlacementChoice],
) -> Course:
    """The checked Course; assembly and validation are pure functions of their inputs, so a
    rebuild with nothing changed only ingests, compares hashes and writes."""
    key = stage_key(
        "course",
        __version__,  # assembly and the validators belong to the package, not the engine
        engine.name,
        engine.versions,
        course_id,
        title,
        language,
        [model_hash(e) for e in episodes],
        model_hash(graph),
        model_hash(ramp),
        [model_hash(d) for d in drafts],
        [model_hash(a) for a in assessments],
        [p.model_dump(mode="json") for p in placement],
    )
    return cache.fetch(
        "course",
        key,
        Course,
        "assembled course",
        lambda: assemble_course(
            course_id=course_id,
            title=title,
            language=language,
            engine=engine,
            episodes=episodes,
            graph=graph,
            ramp=ramp,
            drafts=drafts,
            assessments=assessments,
            placement=placement,
        ),
    )


def lessons_and_assessments(
    engine: Engine,
    cache: StageCache,
    timer: StageTimer,
    graph: ConceptGraph,
    ramp: RampPlan,
    sources: SourceIndex,
    report: ProgressHook,
    episode_terms: dict[str, list[str]] | None = None,
) -> tuple[list[LessonDraft], list[LessonAssessment]]:
    by_id = {c.id: c for c in graph.concepts}
    in_ramp = [cid for plan in ramp.lessons for cid in plan.concepts]
    finder = MentionFinder(graph)
    # Engines say `lesson_uses_level = False` when their lesson stages ignore the plan's level.
    uses_level = bool(getattr(engine, "lesson_uses_level", True))
    taught: list[str] = []
    scopes: list[LessonScope] = []
    lesson_keys: list[tuple[str, str]] = []
    lesson_parts: list[dict[str, str]] = []
    for plan in ramp.lessons:
        before = frozenset(taught)
        later = frozenset(in_ramp) - before - set(plan.concepts)
        title = ", ".join(by_id[c].name for c in plan.concepts)
        # Each lesson sees (and is keyed by) only its own slice of the course (see lesson_scope),
        # so an episode added elsewhere leaves it untouched.
        scope = lesson_scope(plan, graph, sources, finder, before, later, title, episode_terms, uses_level)
        scopes.append(scope)
        parts = scope_parts(engine.name, engine.versions["lesson"], scope)
        lesson_parts.append(parts)
        lesson_keys.append((scope_key("lesson", parts), plan.id))
        taught.extend(plan.concepts)
    plans = ramp.lessons
    with timer.stage("lessons"):
        drafts = cache.fetch_many(
            "lesson",
            lesson_keys,
            LessonDraft,
            lambda missing: engine.lesson_batch([(scopes[i].plan, scopes[i].context) for i in missing]),
            lesson_parts,
        )
        report("lessons", len(plans), len(plans))
    with timer.stage("assessment"):
        # The lesson's inputs (its stage version replaced by this stage's) plus its draft.
        assessment_parts = [
            {
                **parts,
                "engine and stage version": stage_key("version", engine.name, engine.versions["assessment"]),
                "lesson draft": model_hash(draft),
            }
            for parts, draft in zip(lesson_parts, drafts, strict=True)
        ]
        assessment_keys = [
            (scope_key("assessment", parts), item)
            for parts, (_, item) in zip(assessment_parts, lesson_keys, strict=True)
        ]
        assessments = cache.fetch_many(
            "assessment",
            assessment_keys,
            LessonAssessment,
            lambda missing: engine.assessment_batch(
                [(scopes[i].plan, drafts[i], scopes[i].context) for i in missing]
            ),
            assessment_parts,
        )
        report("assessment", len(plans), len(plans))
    return drafts, assessments
