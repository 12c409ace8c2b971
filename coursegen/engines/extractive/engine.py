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
        "lesson": "ex-17",
        "assessment": "ex-34",
        "placement": "ex-7",
    }

    def usage(self) -> dict[str, Any]:
        """No model, no cost."""
        return {"model_calls": 0, "tokens_in": 0, "tokens_out": 0, "cost_usd": 0.0}

    def concepts(self, episode: Episode) -> EpisodeConcepts:
        """Key-phrase concepts of one English episode."""
        if not episode.language.lower().startswith("en"):
            raise UsageError(
                f"{episode.source}: the extractive engine serves English only; this transcript is "
                f"in '{episode.language}'",
                "build it with --engine llm (a model writes the course in any language)",
            )
        return extract_concepts(episode)

    def merge(self, per_episode: list[EpisodeConcepts]) -> ConceptGraph:
        """Merge names across episodes and derive prerequisites."""
        return merge_concepts(per_episode)

    def ramp(self, graph: ConceptGraph, options: RampOptions) -> RampPlan:
        """Order concepts into lessons."""
        return plan_ramp(graph, options)

    def lesson(self, plan: LessonPlan, context: LessonContext) -> LessonDraft:
        """Write one lesson from cited evidence."""
        return write_lesson(plan, context)

    def assessment(self, plan: LessonPlan, draft: LessonDraft, context: LessonContext) -> LessonAssessment:
        """Questions and cards of one lesson."""
        return assess_lesson(plan, draft, context)

    def placement(self, ramp: RampPlan, assessments: list[LessonAssessment]) -> list[PlacementChoice]:
        """A few items spread over the ramp that tell a learner where to start."""
        return place(ramp, assessments)
