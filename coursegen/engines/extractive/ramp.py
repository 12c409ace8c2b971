"""The ramp stage: prerequisite order, lessons of 1-3 related concepts, gently rising levels."""

from __future__ import annotations

import heapq

from coursegen.engines.types import ConceptGraph, GraphConcept, LessonPlan, RampOptions, RampPlan
from coursegen.fsutil import sha256_text

MAX_CONCEPTS_PER_LESSON = 3
# Lessons pair concepts only when they are closely related; most lessons teach one or two.
MAX_PAIR = 2


def lesson_id(concept_ids: list[str]) -> str:
    """A lesson id derived from the concepts it teaches (never from its position)."""
    if len(concept_ids) == 1:
        return concept_ids[0]
    return f"{concept_ids[0]}-{sha256_text('|'.join(sorted(concept_ids)))[:6]}"


def topological_order(graph: ConceptGraph) -> list[GraphConcept]:
    """Prerequisites first; among ready concepts the most general, then most important, first."""
    by_id = {c.id: c for c in graph.concepts}
    waiting = {c.id: {p for p in c.prerequisites if p in by_id} for c in graph.concepts}
    dependents: dict[str, list[str]] = {c.id: [] for c in graph.concepts}
    for cid, prereqs in waiting.items():
        for p in prereqs:
            dependents[p].append(cid)

    def rank(cid: str) -> tuple[float, float, str]:
        concept = by_id[cid]
        # General first; among similar generality, the ideas the course is most about first.
        return (-(concept.generality + 0.25 * min(concept.importance, 1.5)), -concept.importance, cid)

    ready = [rank(c) for c, ps in waiting.items() if not ps]
    heapq.heapify(ready)
    order: list[GraphConcept] = []
    while ready:
        _, _, cid = heapq.heappop(ready)
        order.append(by_id[cid])
        for dep in sorted(dependents[cid]):
            waiting[dep].discard(cid)
            if not waiting[dep]:
                heapq.heappush(ready, rank(dep))
    if len(order) != len(by_id):
        raise ValueError("prerequisite graph has a cycle; merge must break cycles first")
    return order


def _related(a: GraphConcept, b: GraphConcept) -> bool:
    return (
        a.id in b.prerequisites
        or b.id in a.prerequisites
        or (a.id in b.related[:2] and b.id in a.related[:3])
    )


def plan_ramp(graph: ConceptGraph, options: RampOptions) -> RampPlan:
    """Group the ordered concepts into lessons and give each a level."""
    groups: list[list[GraphConcept]] = []
    for concept in topological_order(graph):
        current = groups[-1] if groups else None
        if current is not None and len(current) < MAX_PAIR and all(_related(concept, c) for c in current):
            current.append(concept)
        else:
            groups.append([concept])
    left_out: list[tuple[str, str]] = []
    if options.max_lessons is not None and len(groups) > options.max_lessons:
        for group in groups[options.max_lessons :]:
            left_out.extend((c.id, f"beyond --max-lessons {options.max_lessons}") for c in group)
        groups = groups[: options.max_lessons]
    lesson_of: dict[str, str] = {}
    lessons: list[LessonPlan] = []
    level = options.start_level
    span = 5 - options.start_level + 1
    for position, group in enumerate(groups):
        ids = [c.id for c in group]
        target = options.start_level + (span * position) // max(1, len(groups))
        level = max(level, min(target, level + 1, 5)) if position else options.start_level
        prereq_lessons = sorted(
            {lesson_of[p] for c in group for p in c.prerequisites if p in lesson_of},
            key=lambda lid: next(i for i, lp in enumerate(lessons) if lp.id == lid),
        )
        plan = LessonPlan(
            id=lesson_id(ids),
            position=position + 1,
            level=level,
            concepts=ids,
            prerequisite_lessons=prereq_lessons,
        )
        lessons.append(plan)
        for cid in ids:
            lesson_of[cid] = plan.id
    return RampPlan(lessons=lessons, left_out=left_out)
