"""Roles read from the speakers' sentences (two names for one idea, parts of a whole) and what merge and
ramp make of them."""

from __future__ import annotations

import re

from coursegen.engines.extractive.merge import merge_concepts
from coursegen.engines.extractive.ramp import plan_ramp
from coursegen.engines.extractive.roles import appositions, owner_nouns, said_part_of
from coursegen.engines.types import Cite, ConceptCandidate, EpisodeConcepts, RampOptions


def test_owner_nouns_count_the_of_form_and_compounds_it_confirms() -> None:
    said = [
        "The widgets of the engine are tuned.",
        "We tuned the widgets of an engine again.",
        "Engine widgets are cheap.",
        "A billion widgets is a lot, and lifting widgets is hard.",
    ]
    owners = owner_nouns(["widget", "widgets"], said)
    # "engine" owns them (twice "of the engine", once "engine widgets"); a quantity or a
    # modifier the talk never says owns them ("lifting") is no owner.
    assert owners == {"engine": 3}


def test_appositions_rename_in_passing_and_a_single_or_is_a_list() -> None:
    said = [
        "We use gizmos, also called doohickeys, everywhere.",
        "A flux capacitor (FC) is neat.",
        "Take gizmos, or gadgets, for instance.",
    ]
    assert appositions(["gizmos"], said) == ["doohickeys"]
    assert appositions(["flux capacitor"], said) == ["fc"]
    assert appositions(["gizmos"], [*said, "Again gizmos, or gadgets, here."]) == ["doohickeys", "gadgets"]


def _cand(key: str, name: str, episode: str, owners: dict[str, int], mentions: int = 10) -> ConceptCandidate:
    return ConceptCandidate(
        key=key,
        name=name,
        definition=f"{name} is a thing.",
        mentions=mentions,
        evidence=[Cite(episode=episode, sentence_ids=[f"{episode}/p0/s0"])],
        importance=0.5,
        owners=owners,
    )


def _episodes(*pairs: tuple[str, list[ConceptCandidate]]) -> list[EpisodeConcepts]:
    return [EpisodeConcepts(episode=ep, episode_sha256=ep, concepts=cands) for ep, cands in pairs]


def test_two_names_owned_by_one_noun_and_never_said_together_are_one_concept() -> None:
    knobs = _cand("knob", "knob", "e1", {"engine": 3})
    dials = _cand("dial", "dial", "e2", {"engine": 4})
    graph = merge_concepts(_episodes(("e1", [knobs]), ("e2", [dials])))
    assert [(c.name, c.aliases) for c in graph.concepts] == [("dial", ["knob"])]


def test_owned_rarely_said_together_or_three_parts_of_one_noun_stay_apart() -> None:
    rare = _cand("knob", "knob", "e1", {"engine": 2})
    dials = _cand("dial", "dial", "e2", {"engine": 4})
    assert len(merge_concepts(_episodes(("e1", [rare]), ("e2", [dials]))).concepts) == 2
    knobs = _cand("knob", "knob", "e1", {"engine": 3})
    knobs.co_mentions = {"dial": 1}  # "the knobs and the dials of the engine": two things
    assert len(merge_concepts(_episodes(("e1", [knobs]), ("e2", [dials]))).concepts) == 2
    parts = [_cand(k, k, f"e{i}", {"engine": 3}) for i, k in enumerate(["knob", "dial", "lever"])]
    assert len(merge_concepts(_episodes(*((c.evidence[0].episode, [c]) for c in parts))).concepts) == 3


def test_a_name_given_in_passing_merges() -> None:
    gizmo = _cand("gizmo", "gizmo", "e1", {})
    gizmo.also_called = ["doohickey"]
    other = _cand("doohickey", "doohickey", "e2", {})
    assert len(merge_concepts(_episodes(("e1", [gizmo]), ("e2", [other]))).concepts) == 1


def test_said_part_of_reads_the_of_form_and_compounds_it_confirms() -> None:
    whole = re.compile(r"\b(?:steam engines?)\b", re.I)
    said = [
        "The valves of the steam engine open.",
        "Steam engine valves are brass.",
        "The valves and the steam engine.",
    ]
    assert said_part_of(["valves"], whole, said) == 2
    assert said_part_of(["valves"], whole, said[1:]) == 0  # a compound alone may be a modifier


def test_a_part_needs_its_whole_and_joins_its_lesson() -> None:
    whole = _cand("engine", "engine", "e1", {})
    part = _cand("valve", "valve", "e1", {})
    part.part_of = {"engine": 3}
    graph = merge_concepts(_episodes(("e1", [whole, part])))
    by_id = {c.id: c for c in graph.concepts}
    assert by_id["valve"].part_of == {"engine": 3}
    assert by_id["valve"].prerequisites == ["engine"]
    lessons = [p.concepts for p in plan_ramp(graph, RampOptions()).lessons]
    assert ["engine", "valve"] in lessons
