"""ExtractiveEngine: the Engine protocol implemented without any model."""

from __future__ import annotations

from typing import Any

from coursegen.engines.base import BatchByOne, LessonContext
from coursegen.engines.extractive.assessment import assess_lesson
from coursegen.engines.extractive.concepts import extract_concepts
from coursegen.engines.extractive.lessons import write_lesson
from coursegen.engines.extractive.merge import merge_concepts
from coursegen.engines.extractive.placement import place
from coursegen.engines.extractive.ramp import plan_ramp
from coursegen.engines.extractive.readings import EpisodeReadings, read_all, read_episode, remember
from coursegen.engines.extractive.review import interleave
from coursegen.engines.extractive.text import load_word_lists
from coursegen.engines.extractive.wordclass import load_dictionary
from coursegen.engines.extractive.workers import map_in_workers
from coursegen.engines.types import (
    ConceptGraph,
    EpisodeConcepts,
    LessonAssessment,
    LessonDraft,
    LessonPlan,
    PlacementChoice,
    RampOptions,
    RampPlan,
)
from coursegen.errors import UsageError
from coursegen.ir import Episode


class ExtractiveEngine(BatchByOne):
    """Key phrases, co-occurrence and quoted evidence; no network, no model, same output every run."""

    name = "extractive"
    note = (
        "extractive engine: concepts are key phrases scored against general-English word "
        "frequencies; lesson text and questions are built from the speakers' own sentences; "
        "no language model was used"
    )
    model: str | None = None
    # Its lessons and questions read the same at any level, so a lesson re-levelled by an
    # insertion earlier in the ramp is not recomputed (see coursegen.lesson_scope).
    lesson_uses_level = False
    # Bump a stage's version when its output changes: it enters that stage's cache key.
    versions = {
        "concepts": "ex-14",
        "merge": "ex-10",
        "ramp": "ex-6",
        "lesson": "ex-30",
        "assessment": "ex-49",
        "placement": "ex-11",
    }

    def usage(self) -> dict[str, Any]:
        """No model, no cost."""
        return {"model_calls": 0, "tokens_in": 0, "tokens_out": 0, "cost_usd": 0.0}

    def concepts(self, episode: Episode) -> EpisodeConcepts:
        """Key-phrase concepts of one English episode."""
        _check_english(episode)
        return extract_concepts(episode)

    def concepts_batch(self, episodes: list[Episode]) -> list[EpisodeConcepts]:
        """`concepts` for each episode, the episodes shared over the cores."""
        for episode in episodes:  # refused here, before any worker starts
            _check_english(episode)
        extracted = map_in_workers(
            self._concepts_and_readings, episodes, cost=_sentence_count, warm_up=load_word_lists
        )
        for episode, (_, readings) in zip(episodes, extracted, strict=True):
            remember(episode, readings)  # the lesson stages' workers inherit them
        return [concepts for concepts, _ in extracted]

    def _concepts_and_readings(self, episode: Episode) -> tuple[EpisodeConcepts, EpisodeReadings]:
        # Extracting the concepts reads the episode's assertions anyway: send them back with them.
        return self.concepts(episode), read_episode(episode)

    def merge(self, per_episode: list[EpisodeConcepts]) -> ConceptGraph:
        """Merge names across episodes and derive prerequisites."""
        return merge_concepts(per_episode)

    def ramp(self, graph: ConceptGraph, options: RampOptions) -> RampPlan:
        """Order concepts into lessons."""
        return plan_ramp(graph, options)

    def lesson(self, plan: LessonPlan, context: LessonContext) -> LessonDraft:
        """Write one lesson from cited evidence."""
        return write_lesson(plan, context)

    def lesson_batch(self, items: list[tuple[LessonPlan, LessonContext]]) -> list[LessonDraft]:
        """`lesson` for each item, the lessons shared over the cores (through `self.lesson`, so a
        subclass that overrides it is obeyed)."""
        read_all(episode for _, context in items for episode in context.sources.episodes.values())
        return map_in_workers(lambda item: self.lesson(*item), items)

    def assessment(self, plan: LessonPlan, draft: LessonDraft, context: LessonContext) -> LessonAssessment:
        """Questions and cards of one lesson."""
        return assess_lesson(plan, draft, context)

    def assessment_batch(
        self, items: list[tuple[LessonPlan, LessonDraft, LessonContext]]
    ) -> list[LessonAssessment]:
        """`assessment` for each item, the lessons shared over the cores."""
        read_all(episode for _, _, context in items for episode in context.sources.episodes.values())
        if items:
            load_dictionary()
        return map_in_workers(lambda item: self.assessment(*item), items)

    def placement(self, ramp: RampPlan, assessments: list[LessonAssessment]) -> list[PlacementChoice]:
        """A few items spread over the ramp that tell a learner where to start."""
        return place(ramp, assessments)

    def interleave(
        self,
        ramp: RampPlan,
        drafts: list[LessonDraft],
        assessments: list[LessonAssessment],
        keep: set[str],
    ) -> list[LessonAssessment]:
        """Spare choices on an idea's name asked again in later lessons (see review.py)."""
        return interleave(ramp, drafts, assessments, keep)


def _check_english(episode: Episode) -> None:
    if not episode.language.lower().startswith("en"):
        raise UsageError(
            f"{episode.source}: the extractive engine serves English only; this transcript is "
            f"in '{episode.language}'",
            "build it with --engine llm (a model writes the course in any language)",
        )


def _sentence_count(episode: Episode) -> float:
    return float(sum(len(passage.sentences) for passage in episode.passages))
