"""ExtractiveEngine: the Engine protocol implemented without any model."""

from __future__ import annotations

from typing import Any

from coursegen.engines.base import BatchByOne, LessonContext
from coursegen.engines.extractive.assessment import LOOSE_FACT, assess_lesson
from coursegen.engines.extractive.concepts import extract_concepts
from coursegen.engines.extractive.lessons import write_lesson
from coursegen.engines.extractive.merge import merge_concepts
from coursegen.engines.extractive.ramp import plan_ramp
from coursegen.engines.types import (
    ConceptGraph,
    EpisodeConcepts,
    LessonAssessment,
    LessonDraft,
    LessonPlan,
    PlacementChoice,
    QuestionDraft,
    RampOptions,
    RampPlan,
)
from coursegen.errors import UsageError
from coursegen.ir import Episode

PLACEMENT_SIZE = 8


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
        "concepts": "ex-8",
        "merge": "ex-7",
        "ramp": "ex-3",
        "lesson": "ex-7",
        "assessment": "ex-22",
        "placement": "ex-4",
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
        """One recall question from lessons spread evenly over the ramp, first and last included.

        A newcomer who misses the first is sent to lesson 1; one who answers the items of the
        last lessons too skips what they know. Each lesson's first fairly judged mcq is its best
        (quoted in the lesson first); a spot whose lesson has none moves to a neighbour that has.
        A missed item sends the learner to the lesson right after the one the previous item
        tested, not to its own lesson: the lessons in between were never tested, and skipping
        them would skip prerequisites of the lesson the item tests.
        """
        by_lesson = {a.lesson: a for a in assessments}
        lessons = [plan for plan in ramp.lessons if plan.id in by_lesson]
        if not lessons:
            return []
        count = min(PLACEMENT_SIZE, len(lessons))
        spots = sorted({round(i * (len(lessons) - 1) / max(1, count - 1)) for i in range(count)})
        choices: list[PlacementChoice] = []
        taken: set[int] = set()
        next_untested = 0  # the first lesson after the one the previous item tests
        for spot in spots:
            # The nearest lesson (this one, then the next, then the one before) whose mcq was
            # judged fair; else this lesson's best item.
            # The first lesson stays: a newcomer who misses its item must start at lesson 1.
            moves = (spot,) if spot == 0 else (spot, spot + 1, spot - 1)
            near = [i for i in moves if 0 <= i < len(lessons) and i not in taken]
            picks = [(i, _placement_item(by_lesson[lessons[i].id])) for i in near]
            fair = [
                (i, q)
                for i, q in picks
                if q is not None and q.kind == "mcq" and not q.fact.startswith(LOOSE_FACT)
            ]
            index, pick = (fair or picks)[0] if (fair or picks) else (spot, None)
            if pick is not None:
                taken.add(index)
                start = lessons[min(index, next_untested)].id
                choices.append(PlacementChoice(question_id=pick.id, start_lesson=start))
                next_untested = index + 1
        return choices


def _placement_item(assessment: LessonAssessment) -> QuestionDraft | None:
    """A lesson's first fair mcq, else its first mcq, else its first question that is not short."""
    questions = assessment.questions
    fair = [q for q in questions if q.kind == "mcq" and not q.fact.startswith(LOOSE_FACT)]
    return (
        next(iter(fair), None)
        or next((q for q in questions if q.kind == "mcq"), None)
        or next((q for q in questions if q.kind != "short"), None)
    )
