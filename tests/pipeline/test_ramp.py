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


def _concept(cid: str, generality: float, **kw: object) -> GraphConcept:
    return GraphConcept(id=cid, name=cid.replace("-", " "), definition="", generality=generality, **kw)  # type: ignore[arg-type]


def test_an_aside_is_not_the_summit_and_follows_what_it_is_about() -> None:
    """A narrow idea that builds on nothing ('world GDP', beside 'compute') sits mid-ramp after
    the idea it hangs from; the summit is an idea built on others."""
    concepts = [
        _concept("compute", 0.9),
        _concept("inference", 0.7, prerequisites=["compute"]),
        _concept("test-time-compute", 0.4, prerequisites=["inference"]),
        _concept("batching", 0.35, prerequisites=["test-time-compute"]),
        _concept("scaling", 0.8),
        _concept("token", 0.6),
        _concept("world-gdp", 0.2, related=["compute"]),
    ]
    lessons = plan_ramp(ConceptGraph(concepts=concepts), RampOptions()).lessons
    order = [cid for plan in lessons for cid in plan.concepts]
    assert order[-1] != "world-gdp" and order.index("world-gdp") > order.index("compute")
    assert order[-1] == "batching"


def test_concepts_explained_together_share_a_lesson() -> None:
    """Weights: 6 of its 20 sentences name neural network, which it needs: one lesson."""
    concepts = [
        _concept("neural-network", 0.8),
        _concept("weights", 0.7, prerequisites=["neural-network"], links={"neural-network": 6}, mentions=20),
        _concept("scaling", 0.75),
        _concept("reward", 0.72, prerequisites=["neural-network"], links={"neural-network": 2}, mentions=20),
    ]
    lessons = plan_ramp(ConceptGraph(concepts=concepts), RampOptions()).lessons
    assert [p.concepts for p in lessons][0] == ["neural-network", "weights"]
    assert ["reward"] in [p.concepts for p in lessons]


def test_a_closest_companion_follows_its_idea() -> None:
    """Neuron needs nothing, but neural network is its closest companion (and the other way round)."""
    concepts = [
        _concept("neural-network", 0.8, related=["neuron"]),
        _concept("neuron", 0.3, related=["neural-network"]),
        *(_concept(f"idea-{i}", 0.7 - i / 100) for i in range(6)),
        _concept("deep-idea", 0.2, prerequisites=["idea-0"]),
    ]
    lessons = plan_ramp(ConceptGraph(concepts=concepts), RampOptions()).lessons
    # Nothing is explained with neural network, so its companion shares its lesson.
    assert lessons[0].concepts == ["neural-network", "neuron"]


def test_a_related_idea_anchors_only_when_clearly_more_general() -> None:
    """Machine learning (0.57) hangs from scaling (0.74), not from neural network (0.58)."""
    from coursegen.engines.extractive.ramp import anchor

    concepts = [
        _concept("machine-learning", 0.57, related=["neuron", "neural-network", "scaling"]),
        _concept("neuron", 0.36),
        _concept("neural-network", 0.58),
        _concept("scaling", 0.74),
    ]
    assert anchor(concepts[0], {c.id: c for c in concepts}) == "scaling"


def test_companions_pair_whichever_comes_first() -> None:
    """Mixture of experts waits for neither; its closest companion joins it when it comes up."""
    concepts = [
        _concept("transformer", 0.9, related=["mixture-of-experts"]),
        _concept("mixture-of-experts", 0.30, related=["modularity", "transformer"], importance=1.0),
        _concept("modularity", 0.31, related=["mixture-of-experts"]),
    ]
    lessons = plan_ramp(ConceptGraph(concepts=concepts), RampOptions()).lessons
    assert ["mixture-of-experts", "modularity"] in [p.concepts for p in lessons]


def test_an_idea_explained_with_what_it_needs_follows_it_as_soon_as_it_can() -> None:
    """Gradient descent (narrow) is named with the neural network it needs in 5 of its (few)
    sentences: it comes right after it, not after every broader idea; a loosely linked one waits."""
    concepts = [
        _concept("neural-network", 0.9),
        _concept("scaling", 0.8),
        _concept("token", 0.7),
        _concept("gradient-descent", 0.3, prerequisites=["neural-network"], links={"neural-network": 5}),
        _concept("reward", 0.3, prerequisites=["neural-network"], links={"neural-network": 1}),
    ]
    lessons = plan_ramp(ConceptGraph(concepts=concepts), RampOptions()).lessons
    order = [cid for plan in lessons for cid in plan.concepts]
    assert order[:2] == ["neural-network", "gradient-descent"]
    assert order.index("reward") > order.index("token")
    # Too narrow to share the lesson of the broad idea (the gap rule still holds).
    assert lessons[0].concepts == ["neural-network"]


def test_an_idea_about_as_broad_as_a_related_one_is_no_aside() -> None:
    """Scaling (0.73) is discussed beside machine learning (0.79): it does not wait for it."""
    from coursegen.engines.extractive.ramp import anchor

    concepts = [
        _concept("scaling", 0.73, related=["machine-learning"]),
        _concept("machine-learning", 0.79),
        _concept("world-gdp", 0.2, related=["machine-learning"]),
    ]
    by_id = {c.id: c for c in concepts}
    assert anchor(concepts[0], by_id) is None
    assert anchor(concepts[2], by_id) == "machine-learning"


def _idea(
    cid: str, generality: float, needs: list[str] | None = None, related: list[str] | None = None
) -> GraphConcept:
    return GraphConcept(
        id=cid, name=cid, definition="", generality=generality, importance=0.5, mentions=10,
        prerequisites=needs or [], related=related or [],
    )


def test_an_idea_built_on_another_waits_for_an_about_as_general_one_built_on_nothing() -> None:
    """"pre-training" (of a language model) after "transformer", which needs nothing."""
    graph = ConceptGraph(concepts=[_idea("base", 0.9), _idea("built", 0.7, ["base"]), _idea("free", 0.74)])
    order = [cid for plan in plan_ramp(graph, RampOptions()).lessons for cid in plan.concepts]
    assert order == ["base", "free", "built"]


def test_companions_of_different_depth_are_two_lessons() -> None:
    def lessons(built_generality: float) -> list[list[str]]:
        graph = ConceptGraph(
            concepts=[
                _idea("method", 0.6, related=["effect"]),
                _idea("effect", built_generality, ["method"], related=["method"]),
                _idea("other", 0.2),
            ]
        )
        return [plan.concepts for plan in plan_ramp(graph, RampOptions()).lessons]

    assert lessons(0.55)[0] == ["method", "effect"]  # about as deep: one lesson
    assert ["method"] in lessons(0.3) and ["effect"] in lessons(0.3)


def test_a_companion_joins_the_ideas_explained_with_the_lead_room_permitting() -> None:
    lead = _idea("network", 0.8, related=["cell"])
    part = _idea("weight", 0.7, ["network"])
    part.links = {"network": 5}
    cell = _idea("cell", 0.4, related=["network"])
    ramp = plan_ramp(ConceptGraph(concepts=[lead, part, cell]), RampOptions())
    assert ramp.lessons[0].concepts == ["network", "weight", "cell"]


def test_an_aside_about_as_deep_joins_the_idea_it_hangs_from() -> None:
    def lessons(aside_generality: float) -> list[list[str]]:
        concepts = [
            _idea("lead", 0.8, related=["filler"]),
            _idea("aside", aside_generality, related=["lead"]),
            _idea("filler", 0.2),
        ]
        return [p.concepts for p in plan_ramp(ConceptGraph(concepts=concepts), RampOptions()).lessons]

    assert lessons(0.65)[0] == ["lead", "aside"]
    assert ["lead"] in lessons(0.3)  # a much narrower aside is its own, later lesson


def _order(concepts: list[GraphConcept]) -> list[str]:
    """The concepts in ramp order."""
    lessons = plan_ramp(ConceptGraph(concepts=concepts), RampOptions()).lessons
    return [cid for plan in lessons for cid in plan.concepts]


def test_an_idea_whose_name_holds_what_it_needs_follows_it_closely() -> None:
    """"test time compute" holds "compute": it comes right after it, not behind unrelated topics
    that build on nothing; a narrow idea needing compute without that tie waits behind them."""
    sequel = GraphConcept(
        id="test-time-compute", name="test time compute", definition="", generality=0.2,
        importance=0.5, mentions=10, prerequisites=["compute"],
    )
    concepts = [
        _idea("compute", 0.9), _idea("topic-a", 0.5), _idea("topic-b", 0.5), _idea("topic-c", 0.5),
        _idea("reward", 0.2, ["compute"]), sequel,
    ]
    order = _order(concepts)
    assert order[:2] == ["compute", "test-time-compute"]
    assert order.index("reward") > order.index("topic-c")


def test_a_peer_prerequisite_is_no_layer_deeper() -> None:
    """"language model" needs "token", about as broad: "pre-training" (of a language model) is one
    layer deep, not two, and comes before a narrower idea built on nothing."""
    concepts = [
        _idea("token", 0.8), _idea("language-model", 0.85, ["token"]),
        _idea("pre-training", 0.65, ["language-model"]), _idea("world", 0.62),
        _idea("f1", 0.1), _idea("f2", 0.1), _idea("f3", 0.1),
    ]
    order = _order(concepts)
    assert order.index("pre-training") < order.index("world")


def test_an_idea_explained_with_its_anchor_follows_it_however_deep() -> None:
    """Gradient descent needs the neural network and its weights (two layers deep) and is named
    with the network in half its sentences: right after that lesson, before broader ideas."""
    weight = _idea("weight", 0.85, ["network"])
    weight.part_of = {"network": 3}
    descent = _idea("descent", 0.3, ["network", "weight"])
    descent.links = {"network": 5}
    concepts = [_idea("network", 0.9), weight, _idea("scaling", 0.8), _idea("token", 0.75), descent]
    order = _order(concepts)
    assert order[:3] == ["network", "weight", "descent"]


def test_an_idea_named_with_its_closest_broader_companion_follows_it() -> None:
    """"mixture of experts" needs "token", its closest broader companion, and a sentence names
    the two: right after it, not behind unrelated topics; an idea that shares only passages
    with what it needs waits behind them."""
    experts = _idea("experts", 0.3, ["token"], related=["token"])
    experts.links = {"token": 1}
    concepts = [
        _idea("token", 0.9), _idea("topic-a", 0.6), _idea("topic-b", 0.6), _idea("topic-c", 0.6),
        experts, _idea("remark", 0.3, ["token"], related=["token"]),
    ]
    order = _order(concepts)
    assert order[:2] == ["token", "experts"]
    assert order.index("remark") > order.index("topic-c")


def test_an_idea_waits_for_its_closest_broader_companions() -> None:
    """"cognitive core" needs only an early idea it is named with often, but is told where a
    later, broader idea ("in-context learning") is: it comes after that one."""
    core = _idea("core", 0.3, ["network"], related=["later", "network"])
    core.links = {"network": 5}
    concepts = [
        _idea("network", 0.9), _idea("middle", 0.7), _idea("later", 0.5, ["middle"]), core,
        _idea("f1", 0.1), _idea("f2", 0.1),
    ]
    order = _order(concepts)
    assert order.index("core") > order.index("later")
    core.related = ["network"]
    assert _order(concepts)[:2] == ["network", "core"]


def test_an_aside_hardly_said_joins_the_lesson_of_the_idea_it_hangs_from() -> None:
    def lessons(mentions: int) -> list[list[str]]:
        remark = _idea("remark", 0.2, related=["lead"])
        remark.mentions = mentions
        concepts = [_idea("lead", 0.9), remark, _idea("other", 0.6), _idea("f1", 0.1)]
        return [p.concepts for p in plan_ramp(ConceptGraph(concepts=concepts), RampOptions()).lessons]

    assert lessons(3)[0] == ["lead", "remark"]
    assert ["remark"] in lessons(8)
