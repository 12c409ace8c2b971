"""The stages of the build between the merge and the written course, each through the stage cache.

Lessons and assessments see only their own slice of the course and are keyed by exactly
that slice (coursegen.lesson_scope), so adding an episode recomputes only the lessons whose
inputs changed. Every cache miss of a stage is
handed to the engine in one batch call.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Protocol, runtime_checkable

from coursegen import __version__
from coursegen.assemble_course import assemble_course
from coursegen.engines.base import Engine, LessonContext
from coursegen.engines.extractive.mentions import MentionFinder
from coursegen.engines.sources import SourceIndex
from coursegen.engines.types import (
    ConceptGraph,
    LessonAssessment,
    LessonDraft,
    LessonPlan,
    PlacementChoice,
    RampPlan,
    StageModel,
)
from coursegen.ir import Course, Episode
from coursegen.lesson_scope import LessonScope, lesson_scope, scope_key, scope_parts
from coursegen.stage_cache import StageCache, Uncacheable, model_hash, stage_key

ProgressHook = Callable[[str, int, int], None]
# Called by an overlapping engine as each new draft is done: does its assessment need computing?
NeedsAssessment = Callable[[int, LessonDraft], bool]


@runtime_checkable
class OverlappingEngine(Protocol):
    """An engine that can start each lesson's assessment as soon as that lesson's draft is done."""

    name: str
    versions: dict[str, str]

    @property
    def overlaps_assessments(self) -> bool:
        """True when it will (an engine may decline, e.g. when it sends one stage per round)."""

    def lessons_with_assessments(
        self,
        lessons: list[tuple[int, LessonPlan, LessonContext]],
        assessments: list[tuple[int, LessonPlan, LessonDraft, LessonContext]],
        needs_assessment: NeedsAssessment,
    ) -> tuple[dict[int, LessonDraft | Uncacheable], dict[int, LessonAssessment | Uncacheable]]:
        """Write `lessons` (assessing each new draft that `needs_assessment`) and assess
        `assessments` (drafts known already), all side by side; results by lesson index."""


@runtime_checkable
class InterleavingEngine(Protocol):
    """An engine that moves some of a lesson's questions to later lessons as reviews."""

    def interleave(
        self,
        ramp: RampPlan,
        drafts: list[LessonDraft],
        assessments: list[LessonAssessment],
        keep: set[str],
    ) -> list[LessonAssessment]:
        """The assessments with reviews moved; `keep` (question ids) stays where it is."""


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
            self.add(name, time.perf_counter() - start)

    def add(self, name: str, seconds: float) -> None:
        """Count `seconds` under `name`."""
        self.timings[name] = round(self.timings.get(name, 0.0) + seconds, 4)


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
    kept_cards: Mapping[str, frozenset[tuple[str, str, str]]] | None = None,
) -> tuple[list[LessonDraft], list[LessonAssessment]]:
    """Every lesson's draft and assessment; `kept_cards` (concept id → the previous course's
    cards of it, see LessonContext.kept_cards) goes to each lesson's context."""
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
        if kept_cards:
            kept = frozenset().union(*(kept_cards.get(cid, frozenset()) for cid in plan.concepts))
            scope = dataclasses.replace(scope, context=dataclasses.replace(scope.context, kept_cards=kept))
        scopes.append(scope)
        parts = scope_parts(engine.name, engine.versions["lesson"], scope)
        lesson_parts.append(parts)
        lesson_keys.append((scope_key("lesson", parts), plan.id))
        taught.extend(plan.concepts)
    plans = ramp.lessons
    if isinstance(engine, OverlappingEngine) and engine.overlaps_assessments:
        return _overlapped(engine, cache, timer, scopes, lesson_keys, lesson_parts, report)
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
        assessment_parts = [
            _assessment_parts(engine.name, engine.versions, parts, draft)
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


def _assessment_parts(
    name: str, versions: dict[str, str], lesson_parts: dict[str, str], draft: LessonDraft
) -> dict[str, str]:
    """An assessment's key parts: the lesson's inputs (its stage version replaced by this
    stage's) plus its draft."""
    return {
        **lesson_parts,
        "engine and stage version": stage_key("version", name, versions["assessment"]),
        "lesson draft": model_hash(draft),
    }


def _overlapped(
    engine: OverlappingEngine,
    cache: StageCache,
    timer: StageTimer,
    scopes: list[LessonScope],
    lesson_keys: list[tuple[str, str]],
    lesson_parts: list[dict[str, str]],
    report: ProgressHook,
) -> tuple[list[LessonDraft], list[LessonAssessment]]:
    """Lessons and assessments through the stage cache in one run of the engine, each lesson's
    assessment starting as soon as its draft is done instead of after every lesson's.

    The results, the cache entries and the build log are those of the stage-by-stage path (the
    log's entries in lesson order); the timer counts the lessons stage until the last draft
    and the assessment stage from there, so the two add up to the wall time of the run.
    """
    started = time.perf_counter()
    plans = [scope.plan for scope in scopes]
    contexts = [scope.context for scope in scopes]
    # Per lesson: the assessment's key parts, its key and the cached result (None: compute it).
    found: dict[int, tuple[dict[str, str], str, LessonAssessment | None]] = {}

    def look_up_assessment(index: int, draft: LessonDraft) -> bool:
        parts = _assessment_parts(engine.name, engine.versions, lesson_parts[index], draft)
        key = scope_key("assessment", parts)
        found[index] = (parts, key, cache.get("assessment", key, LessonAssessment))
        return found[index][2] is None

    drafts: dict[int, LessonDraft | None] = {}
    for index, (key, item) in enumerate(lesson_keys):
        drafts[index] = cache.get("lesson", key, LessonDraft)
        cache.note("lesson", key, item, hit=drafts[index] is not None, parts=lesson_parts[index])
    for index, known in drafts.items():
        if known is not None:
            look_up_assessment(index, known)
    last_draft = [time.perf_counter()]

    def needs_assessment(index: int, draft: LessonDraft) -> bool:
        # Runs on the engine's side as each new draft is done: only reads the cache.
        last_draft[0] = max(last_draft[0], time.perf_counter())
        return look_up_assessment(index, draft)

    to_write = [(i, plans[i], contexts[i]) for i, d in drafts.items() if d is None]
    to_assess = [
        (i, plans[i], d, contexts[i]) for i, d in drafts.items() if d is not None and found[i][2] is None
    ]
    (new_drafts, new_assessments), spent = cache.metered(
        lambda: engine.lessons_with_assessments(to_write, to_assess, needs_assessment)
        if to_write or to_assess
        else ({}, {})
    )
    finished = time.perf_counter()
    computed: list[tuple[str, str]] = []
    reused: list[tuple[str, str]] = []
    lesson_results: list[LessonDraft] = []
    for index, (key, item) in enumerate(lesson_keys):
        known = drafts[index]
        if known is None:
            known = cache.keep("lesson", key, item, new_drafts[index])
            computed.append(("lesson", key))
        else:
            reused.append(("lesson", key))
        lesson_results.append(known)
    assessment_results: list[LessonAssessment] = []
    for index, (_, item) in enumerate(lesson_keys):
        parts, key, cached = found[index]
        cache.note("assessment", key, item, hit=cached is not None, parts=parts)
        if cached is None:
            cached = cache.keep("assessment", key, item, new_assessments[index])
            computed.append(("assessment", key))
        else:
            reused.append(("assessment", key))
        assessment_results.append(cached)
    cache.account(computed, spent, reused)
    timer.add("lessons", last_draft[0] - started)
    timer.add("assessment", finished - last_draft[0])
    report("lessons", len(plans), len(plans))
    report("assessment", len(plans), len(plans))
    return lesson_results, assessment_results
