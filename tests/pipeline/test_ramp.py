"""The ramp stage: prerequisite order, 1-3 concepts per lesson, gentle levels, position-free ids."""

from __future__ import annotations

from coursegen.engines.extractive.ramp import lesson_id, plan_ramp
from coursegen.engines.types import ConceptGraph, GraphConcept, RampOptions


def _graph(n: int, extra: list[GraphConcept] | None = None) -> ConceptGraph:
    concepts = [
        GraphConcept(
            id=f"c{i:02d}",
            name=f"concept {i}",
            definition="",
            generality=1.0 - i / 100,
            importance=0.5,
            prerequisites=[f"c{i - 1:02d}"] if i % 3 else [],
        )
        for i in range(n)
    ]
    return ConceptGraph(concepts=concepts + (extra or []))


def test_prerequisites_come_first_and_levels_rise_gently() -> None:
    graph = _graph(20)
    ramp = plan_ramp(graph, RampOptions())
    order = [cid for plan in ramp.lessons for cid in plan.concepts]
    assert sorted(order) == sorted(c.id for c in graph.concepts)
    position = {cid: i for i, cid in enumerate(order)}
    for concept in graph.concepts:
        for prereq in concept.prerequisites:
            assert position[prereq] < position[concept.id]
    levels = [plan.level for plan in ramp.lessons]
    assert levels[0] == 1 and levels[-1] >= 4
    assert all(0 <= b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))
    assert all(1 <= len(plan.concepts) <= 3 for plan in ramp.lessons)
    assert [plan.position for plan in ramp.lessons] == list(range(1, len(ramp.lessons) + 1))


def test_prerequisite_lessons_point_backwards() -> None:
    ramp = plan_ramp(_graph(12), RampOptions())
    seen: set[str] = set()
    for plan in ramp.lessons:
        assert set(plan.prerequisite_lessons) <= seen
        seen.add(plan.id)


def test_lesson_ids_come_from_concepts_not_positions() -> None:
    before = plan_ramp(_graph(9), RampOptions())
    newcomer = GraphConcept(id="a-new-idea", name="a new idea", definition="", generality=2.0)
    after = plan_ramp(_graph(9, [newcomer]), RampOptions())
    assert after.lessons[0].concepts == ["a-new-idea"]
    old_ids = {p.id: p.concepts for p in before.lessons}
    for plan in after.lessons[1:]:
        assert old_ids[plan.id] == plan.concepts
    assert lesson_id(["x", "y"]) == lesson_id(["x", "y"]) != lesson_id(["x", "z"])


def test_max_lessons_and_start_level() -> None:
    ramp = plan_ramp(_graph(20), RampOptions(max_lessons=4, start_level=3))
    assert len(ramp.lessons) == 4
    assert ramp.lessons[0].level == 3
    assert ramp.left_out and all("max-lessons" in why for _, why in ramp.left_out)
