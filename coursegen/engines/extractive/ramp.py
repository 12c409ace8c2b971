"""The ramp stage: prerequisite order, lessons of 1-3 related concepts, gently rising levels."""

from __future__ import annotations

import heapq

from coursegen.engines.extractive.prerequisites import (
    MIN_SHARED_SENTENCES,
    MIN_SHARED_SHARE,
    PEER_BAND,
    contains,
)
from coursegen.engines.types import ConceptGraph, GraphConcept, LessonPlan, RampOptions, RampPlan
from coursegen.fsutil import sha256_text
from coursegen.graphs import reaches

MAX_CONCEPTS_PER_LESSON = 3


def lesson_id(concept_ids: list[str]) -> str:
    """A lesson id derived from the concepts it teaches (never from its position)."""
    if len(concept_ids) == 1:
        return concept_ids[0]
    return f"{concept_ids[0]}-{sha256_text('|'.join(sorted(concept_ids)))[:6]}"


# A concept joins the lesson of the idea it is explained with when the speakers name the two
# together this often, and in this share of the sentences naming it ("the weights of the
# neural network": weights with neural network).
MIN_GROUP_LINK = 3
MIN_GROUP_SHARE = 0.2
# ... and it ranks at most this much less general than the lead (a summit idea is not pulled
# forward to an early lesson because one foundation explains it).
MAX_GROUP_GAP = 0.1
IMPORTANCE_WEIGHT = 0.1
# Each layer of ideas a concept builds on makes it that much more specific than a ready idea of
# the same generality that builds on nothing: "pre-training" (of a language model) after an
# idea about as broad that needs nothing, as a margin of generality (prerequisites.py) does.
DEPTH_WEIGHT = 0.075
# A related idea anchors a concept only when it is clearly more general: by twice the margin a
# prerequisite needs, so an idea about as broad as the one it is discussed beside ("scaling"
# beside "machine learning") is no aside and keeps its own place on the ramp.
MARGIN = 0.1
# An idea waits for those of its this many closest companions in the talk that are clearly
# more general than it (see `ordered_groups`).
COMPANIONS_WAITED_FOR = 2


def _closest_broader(concept: GraphConcept, by_id: dict[str, GraphConcept]) -> list[str]:
    """The concept's companions in the talk (`related`, closest first) clearly more general than it."""
    return [r for r in concept.related if r in by_id and by_id[r].generality >= concept.generality + MARGIN]


def anchor(concept: GraphConcept, by_id: dict[str, GraphConcept]) -> str | None:
    """The idea a concept hangs from: its strongest prerequisite, else the first related concept
    that is clearly more general (an aside on "world GDP" belongs next to "compute", not at the summit)."""
    for pid in concept.prerequisites:
        if pid in by_id:
            return pid
    return next(iter(_closest_broader(concept, by_id)), None)


def _explained_with(concept: GraphConcept, lead: GraphConcept) -> bool:
    """True when the speakers name a concept with the idea it hangs from in a fair share of the
    sentences naming it (at least MIN_GROUP_LINK of them)."""
    together = concept.links.get(lead.id, 0)
    return together >= MIN_GROUP_LINK and together >= MIN_GROUP_SHARE * max(1, concept.mentions)


def _follows(concept: GraphConcept, lead: GraphConcept, by_id: dict[str, GraphConcept]) -> bool:
    """True when a concept needs the idea it hangs from and is told as a sequel to it: its name
    holds the idea's name ("test-time compute" holds "compute"), the speakers name the two in
    MIN_GROUP_LINK sentences and a tenth of its own ("pre-training" with "language model"), or
    the idea is its closest broader companion in the talk and a sentence names both ("mixture of
    experts" with "transformer", "reinforcement learning" with "pre-training")."""
    if lead.id not in concept.prerequisites:
        return False
    together = concept.links.get(lead.id, 0)
    often = together >= MIN_GROUP_LINK and together >= MIN_SHARED_SHARE * max(1, concept.mentions)
    closest = together >= 1 and _closest_broader(concept, by_id)[:1] == [lead.id]
    return contains(lead, concept) or often or closest


def _linked(concept: GraphConcept, lead: GraphConcept, gap: float) -> bool:
    """True when the speakers explain a concept with the lesson's lead idea often enough, and it
    is not a much later idea (`gap`: how much less general it ranks), to share the lead's lesson."""
    together = concept.links.get(lead.id, 0)
    often = together >= MIN_GROUP_LINK and together >= MIN_GROUP_SHARE * max(1, concept.mentions)
    # A part is explained with its whole ("the weights of the neural network").
    often = often or concept.part_of.get(lead.id, 0) >= MIN_GROUP_LINK
    if not concept.mentions:
        # A graph without course counts (another engine's merge): its prerequisite edge is the link.
        often = lead.id in concept.prerequisites
    return often and gap <= MAX_GROUP_GAP


def _companions(concept: GraphConcept, lead: GraphConcept) -> bool:
    """True when each is the other's closest companion in the talk (the passages discussing the one
    discuss the other most): a pair for one lesson when nothing is explained with the lead."""
    return concept.related[:1] == [lead.id] and lead.related[:1] == [concept.id]


def _aside_of(concept: GraphConcept, lead: str, anchor_id: str | None) -> bool:
    """True when a concept hangs from the lead and is talked about with it most (what else it
    needs is taught: the caller asks only of ready concepts)."""
    return anchor_id == lead and concept.related[:1] == [lead]


def _thin_aside(concept: GraphConcept, lead: str, anchor_id: str | None) -> bool:
    """True when a concept hangs from the lead and is said in no more sentences than it takes to
    link two ideas (MIN_GROUP_LINK)."""
    return anchor_id == lead and 0 < concept.mentions <= MIN_GROUP_LINK


def _layer(concept: GraphConcept, needed: GraphConcept) -> bool:
    """True when a prerequisite makes the concept more specific: it is clearly more general, or
    the concept is named a part of it or holds its name. A peer needed only because the speakers
    explain the one with the other ("language model" and "token", about as broad) orders the
    two, it does not put the later one a layer deeper."""
    if concept.part_of.get(needed.id, 0) >= MIN_SHARED_SENTENCES or contains(needed, concept):
        return True
    return abs(needed.generality - concept.generality) >= PEER_BAND


def _depths(waiting: dict[str, set[str]]) -> dict[str, int]:
    """How many layers of ideas each concept builds on (0: none; 1 + its deepest prerequisite's)."""
    depth: dict[str, int] = {}

    def of(cid: str) -> int:
        if cid not in depth:
            depth[cid] = 0  # the graph is acyclic; this only guards the recursion
            depth[cid] = 1 + max((of(p) for p in sorted(waiting[cid])), default=-1)
        return depth[cid]

    for cid in sorted(waiting):
        of(cid)
    return depth


def ordered_groups(graph: ConceptGraph) -> list[list[GraphConcept]]:
    """Concepts in lessons, prerequisites first.

    Among the ready concepts the most general comes first, a concept counting as general as the
    middle of itself and the idea it hangs from (so an aside follows what it is about), as that
    idea when the two are each other's closest companions and it needs nothing else, and, when
    it needs no other, at least as the median (a narrow aside does not end the ramp as if it
    were its summit). A concept that follows the idea it hangs from (see `_follows`) ranks as
    that idea does. A ready concept explained
    with a lesson's lead idea joins that lesson (three concepts at most).
    """
    by_id = {c.id: c for c in graph.concepts}
    anchors = {c.id: anchor(c, by_id) for c in graph.concepts}
    waiting = {c.id: {p for p in c.prerequisites if p in by_id} for c in graph.concepts}
    for cid in sorted(anchors):
        aid = anchors[cid]
        # The anchor orders, it does not teach: it is dropped where it would close a loop.
        if aid is not None and aid not in waiting[cid]:
            if reaches(aid, cid, lambda c: waiting.get(c, ())):
                anchors[cid] = None
            else:
                waiting[cid].add(aid)
    for cid in sorted(waiting):
        # An idea told in the passages about broader ones is their aside: it waits for its two
        # closest broader companions ("cognitive core", told where "in-context learning" is,
        # after it), as for an anchor, where no loop closes.
        closest = by_id[cid].related[:COMPANIONS_WAITED_FOR]
        for rid in _closest_broader(by_id[cid], by_id):
            if rid in closest and not reaches(rid, cid, lambda c: waiting.get(c, ())):
                waiting[cid].add(rid)
    dependents: dict[str, list[str]] = {c.id: [] for c in graph.concepts}
    for cid, prereqs in waiting.items():
        for p in prereqs:
            dependents[p].append(cid)

    generalities = sorted(c.generality for c in graph.concepts)
    median = generalities[len(generalities) // 2] if generalities else 0.0

    def general(cid: str, pulled: bool = True) -> float:
        concept = by_id[cid]
        aid = anchors[cid]
        if aid and not concept.prerequisites and _companions(concept, by_id[aid]):
            return general(aid, False)  # "neuron" beside "neural network": right after it
        if pulled and aid in concept.prerequisites and _explained_with(concept, by_id[aid]):
            # "gradient descent" in many of the sentences about the "neural network" it needs:
            # taught as soon as it can be, not after every broader idea.
            return general(aid)
        value = (concept.generality + by_id[aid].generality) / 2 if aid else concept.generality
        # An idea that builds on nothing in the course can be met anywhere: mid-ramp at the
        # latest, leaving the summit to the ideas built on others.
        return value if concept.prerequisites else max(value, median)

    # Real prerequisites only: an anchor orders an aside, it is no layer the aside builds on;
    # nor is a peer (see `_layer`).
    depth = _depths(
        {c.id: {p for p in c.prerequisites if p in by_id and _layer(c, by_id[p])} for c in graph.concepts}
    )

    def value(cid: str) -> float:
        concept = by_id[cid]
        aid = anchors[cid]
        own = general(cid) + IMPORTANCE_WEIGHT * min(concept.importance, 1.5) - DEPTH_WEIGHT * depth[cid]
        if aid and _follows(concept, by_id[aid], by_id):
            # Taught as soon as it can be after the idea it hangs from, whatever lies between
            # them in generality and depth: "test-time compute" right after "compute" (and the
            # other idea it needs), not behind every unrelated narrow topic; never later than
            # its own rank would put it.
            return max(own, value(aid))
        return own

    def rank(cid: str) -> tuple[float, float, str]:
        return (-value(cid), -by_id[cid].importance, cid)

    ready = [rank(c) for c, ps in waiting.items() if not ps]
    heapq.heapify(ready)
    placed: set[str] = set()
    groups: list[list[GraphConcept]] = []

    def place(cid: str) -> None:
        placed.add(cid)
        for dep in sorted(dependents[cid]):
            waiting[dep].discard(cid)
            if not waiting[dep]:
                heapq.heappush(ready, rank(dep))

    while ready:
        _, _, cid = heapq.heappop(ready)
        if cid in placed:
            continue
        lead = by_id[cid]
        group = [lead]
        place(cid)
        ready_dependents = [d for d in dependents[cid] if d not in placed and not waiting[d]]
        partners = [
            d
            for _, d in sorted(
                (-lead.links.get(d, 0), d)
                for d in ready_dependents
                if _linked(by_id[d], lead, general(cid, False) - general(d, False))
            )
        ]
        # Each other's closest companions pair whichever waited for the other (if either).
        companion = lead.related[0] if lead.related and lead.related[0] in by_id else None
        ready_companion = companion is not None and companion not in placed and not waiting[companion]
        # ... when about as deep: an idea the companion needs and one built on it ("gradient
        # descent", "in-context learning") are two lessons, not one.
        builds = companion is not None and cid in by_id[companion].prerequisites
        close = not builds or general(cid, False) - general(companion or cid, False) <= MAX_GROUP_GAP
        # A companion also joins ideas explained with the lead, room permitting ("neural network",
        # its "weights", "neuron").
        if ready_companion and companion and close and _companions(by_id[companion], lead):
            partners = [*partners, companion] if companion not in partners else partners
        # So does an aside about as deep that hangs from the lead and is talked about with it
        # most ("continual learning" beside "in-context learning").
        partners += [
            d
            for d in sorted(ready_dependents)
            if d not in partners and _aside_of(by_id[d], cid, anchors[d])
            and general(cid, False) - general(d, False) <= MAX_GROUP_GAP
        ]
        # Three ideas share a lesson only on the speakers' word (sentences naming them together).
        room = MAX_CONCEPTS_PER_LESSON - 1 if lead.mentions else 1
        for partner in partners[:room]:
            group.append(by_id[partner])
            place(partner)
        # An aside hardly said at all is a remark in the lesson of the idea it hangs from, however
        # narrow: alone it is too thin to teach (or test).
        for d in sorted(dependents[cid]):
            thin = d not in placed and not waiting[d] and _thin_aside(by_id[d], cid, anchors[d])
            if thin and len(group) <= room:
                group.append(by_id[d])
                place(d)
        groups.append(group)
    if len(placed) != len(by_id):
        raise ValueError("prerequisite graph has a cycle; merge must break cycles first")
    return groups


def topological_order(graph: ConceptGraph) -> list[GraphConcept]:
    """Prerequisites first, in the ramp's order (see `ordered_groups`)."""
    return [c for group in ordered_groups(graph) for c in group]


def plan_ramp(graph: ConceptGraph, options: RampOptions) -> RampPlan:
    """Group the ordered concepts into lessons and give each a level."""
    groups = ordered_groups(graph)
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
