"""The Engine protocol: every generation stage as a typed function over the IR.

Two engines implement it (extractive now, llm later). The pipeline owns caching, citation
materialization and validation; an engine only turns typed inputs into typed drafts that
cite sentence ids.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from coursegen.engines.sources import SourceIndex
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
from coursegen.ir import Episode
from coursegen.stage_cache import Uncacheable

STAGES = ("concepts", "merge", "ramp", "lesson", "assessment", "placement")


@dataclass(frozen=True)
class LessonContext:
    """Everything a lesson-level stage may look at besides its plan."""

    graph: ConceptGraph
    sources: SourceIndex
    # Concept ids taught in earlier lessons (usable in text), and those taught later (not).
    taught_before: frozenset[str] = frozenset()
    taught_later: frozenset[str] = frozenset()
    lesson_titles: dict[str, str] = field(default_factory=dict)
    # The cards the previous course of the output folder had for the lesson's concepts, as
    # (concept id now, card id less the concept id it had, the sentence ids it cites joined by
    # ","): an engine that can make a card again keeps it, so a learner's review history
    # survives a rebuild that adds an episode. A card of a concept a merge folded into another
    # counts for that one. Not part of any cache key: a folder's cache holds its own history
    # (see docs/regenerate.md).
    kept_cards: frozenset[tuple[str, str, str]] = frozenset()


class Engine(Protocol):
    """A course generator: one method per stage; `versions` enter the stage cache keys.

    `name` and `note` go to the build record (`build.engine`, `build.engine_note`), `model` to
    `build.model`; `versions` maps each stage name in STAGES to a version string (bump it
    when the stage's output changes, e.g. a prompt's front-matter version). Stages receive
    and return the pydantic types of coursegen.engines.types and cite sentence ids only.
    """

    name: str
    note: str
    model: str | None
    versions: dict[str, str]

    def usage(self) -> dict[str, Any]:
        """What this engine spent so far in this process: model_calls, tokens_in, tokens_out, cost_usd."""
        ...

    def concepts(self, episode: Episode) -> EpisodeConcepts:
        """Find the concepts of one episode (must not look at any other episode)."""
        ...

    def merge(self, per_episode: list[EpisodeConcepts]) -> ConceptGraph:
        """Merge concepts across episodes into one acyclic prerequisite graph."""
        ...

    def ramp(self, graph: ConceptGraph, options: RampOptions) -> RampPlan:
        """Order the concepts into lessons of 1-3 concepts with gently rising levels."""
        ...

    def lesson(self, plan: LessonPlan, context: LessonContext) -> LessonDraft:
        """Write one lesson: problem, prediction and reveal, core idea, nuance."""
        ...

    def assessment(self, plan: LessonPlan, draft: LessonDraft, context: LessonContext) -> LessonAssessment:
        """Write a lesson's check-yourself questions and its cards."""
        ...

    def placement(self, ramp: RampPlan, assessments: list[LessonAssessment]) -> list[PlacementChoice]:
        """Pick a short placement quiz over the ramp from the lessons' questions."""
        ...

    # Batch forms: the pipeline hands over every cache miss of a stage at once, so an engine
    # that calls a model can run them concurrently. BatchByOne implements them one by one.

    def concepts_batch(self, episodes: list[Episode]) -> Sequence[EpisodeConcepts | Uncacheable]:
        """`concepts` for several episodes, in order (Uncacheable: use the value, do not store it)."""
        ...

    def lesson_batch(
        self, items: list[tuple[LessonPlan, LessonContext]]
    ) -> Sequence[LessonDraft | Uncacheable]:
        """`lesson` for several lessons, in order."""
        ...

    def assessment_batch(
        self, items: list[tuple[LessonPlan, LessonDraft, LessonContext]]
    ) -> Sequence[LessonAssessment | Uncacheable]:
        """`assessment` for several lessons, in order."""
        ...


class BatchByOne:
    """Batch stage methods that call the single-item ones in order (for engines without concurrency)."""

    def concepts(self, episode: Episode) -> EpisodeConcepts:
        """Implemented by the engine."""
        raise NotImplementedError

    def lesson(self, plan: LessonPlan, context: LessonContext) -> LessonDraft:
        """Implemented by the engine."""
        raise NotImplementedError

    def assessment(self, plan: LessonPlan, draft: LessonDraft, context: LessonContext) -> LessonAssessment:
        """Implemented by the engine."""
        raise NotImplementedError

    def concepts_batch(self, episodes: list[Episode]) -> list[EpisodeConcepts]:
        """`concepts` for each episode, one after the other."""
        return [self.concepts(episode) for episode in episodes]

    def lesson_batch(self, items: list[tuple[LessonPlan, LessonContext]]) -> list[LessonDraft]:
        """`lesson` for each item, one after the other."""
        return [self.lesson(plan, context) for plan, context in items]

    def assessment_batch(
        self, items: list[tuple[LessonPlan, LessonDraft, LessonContext]]
    ) -> list[LessonAssessment]:
        """`assessment` for each item, one after the other."""
        return [self.assessment(plan, draft, context) for plan, draft, context in items]
