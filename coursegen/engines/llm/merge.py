"""The merge stage: rule-based name merging first, then one model call for the rest.

The rules (shared with the extractive engine) catch case, plurals and close spellings; the
model sees only names, aliases and definitions (no transcript) and says which keys are one
idea and which concept needs which. Cycles in its answer are broken and reported.
"""

from __future__ import annotations

from typing import Any

from coursegen.engines.extractive.text import name_key
from coursegen.engines.llm.answers import MergeAnswer
from coursegen.engines.llm.asking import Outcome, ask
from coursegen.engines.types import (
    BrokenEdge,
    Cite,
    ConceptCandidate,
    ConceptGraph,
    EpisodeConcepts,
    GraphConcept,
)
from coursegen.llm import LLMClient

MAX_EVIDENCE = 6


def exact_merge(per_episode: list[EpisodeConcepts]) -> ConceptGraph:
    """One concept per normalized name or alias (case, plurals): cheap and certain. Spellings and
    wordings that differ more are the model's to merge, in the merge call."""
    items = [(ec.episode, c) for ec in sorted(per_episode, key=lambda e: e.episode) for c in ec.concepts]
    owner: dict[str, int] = {}  # name key -> group number
    groups: list[list[tuple[str, ConceptCandidate]]] = []
    for episode, candidate in items:
        keys = {name_key(n) for n in [candidate.name, *candidate.aliases]} - {""}
        found = sorted({owner[k] for k in keys if k in owner})
        if found:
            target = found[0]
            for other in found[1:]:  # this candidate joins groups that were apart
                groups[target] += groups[other]
                groups[other] = []
                owner.update({k: target for k, g in owner.items() if g == other})
        else:
            target = len(groups)
            groups.append([])
        groups[target].append((episode, candidate))
        owner.update({k: target for k in keys})
    concepts: dict[str, GraphConcept] = {}
    merged: list[tuple[str, str]] = []
    for members in filter(None, groups):
        ranked = sorted(members, key=lambda ec: (-ec[1].importance, -ec[1].mentions, ec[0], ec[1].key))
        best = ranked[0][1]
        cid = best.key
        while cid in concepts:  # two groups whose best names slug alike
            cid += "-2"
        names = {n for _, c in members for n in [c.name, *c.aliases]}
        merged += [(cid, c.name) for _, c in members if c.name != best.name]
        evidence: list[Cite] = []
        problems: list[Cite] = []
        for depth in range(MAX_EVIDENCE):  # best evidence of each episode first, then the next
            evidence += [c.evidence[depth] for _, c in ranked if depth < len(c.evidence)]
            problems += [c.problems[depth] for _, c in ranked if depth < len(c.problems)]
        concepts[cid] = GraphConcept(
            id=cid,
            name=best.name,
            aliases=sorted(names - {best.name}),
            kind=best.kind,
            definition=best.definition,
            evidence=_unique(evidence)[:MAX_EVIDENCE],
            problems=_unique(problems)[:4],
            importance=round(max(c.importance for _, c in members) + 0.25 * (len(members) - 1), 4),
            generality=max(c.generality for _, c in members),
            episodes=sorted({e for e, _ in members}),
        )
    return ConceptGraph(
        concepts=sorted(concepts.values(), key=lambda c: c.id),
        merged=sorted(set(merged)),
        terms=sorted({t for ec in per_episode for t in ec.terms}),
    )


def _unique(cites: list[Cite]) -> list[Cite]:
    out: list[Cite] = []
    for cite in cites:
        if cite not in out:
            out.append(cite)
    return out


def merge_variables(graph: ConceptGraph) -> dict[str, Any]:
    """The merge prompt's variables: one line per concept."""
    lines = [
        f"{c.id} | {c.name} | {', '.join(c.aliases) or '-'} | {c.definition}"
        for c in sorted(graph.concepts, key=lambda c: c.id)
    ]
    return {"concepts": "\n".join(lines)}


def _problems(keys: set[str]) -> Any:
    def check(answer: MergeAnswer) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for number, group in enumerate(answer.same, start=1):
            unknown = [k for k in [group.keep, *group.same_as] if k not in keys]
            if unknown:
                found[f"same {number}"] = [f"unknown key {k!r}" for k in unknown]
        for number, edge in enumerate(answer.prerequisites, start=1):
            reasons = [f"unknown key {k!r}" for k in (edge.concept, edge.needs) if k not in keys]
            if edge.concept == edge.needs:
                reasons.append("a concept cannot be its own prerequisite")
            if reasons:
                found[f"prerequisite {number}"] = reasons
        return found

    return check


def _prune(answer: MergeAnswer, bad: set[str]) -> MergeAnswer:
    return MergeAnswer(
        same=[g for n, g in enumerate(answer.same, start=1) if f"same {n}" not in bad],
        prerequisites=[
            e for n, e in enumerate(answer.prerequisites, start=1) if f"prerequisite {n}" not in bad
        ],
    )


async def merge_graph(client: LLMClient, per_episode: list[EpisodeConcepts]) -> tuple[ConceptGraph, bool]:
    """The merged concept graph (and whether a transient failure makes it unfit to cache)."""
    graph = exact_merge(per_episode)
    dropped = [pair for ec in sorted(per_episode, key=lambda e: e.episode) for pair in ec.dropped]
    if not graph.concepts:
        return graph.model_copy(update={"dropped": dropped}), False
    outcome: Outcome[MergeAnswer] = await ask(
        client,
        "merge",
        merge_variables(graph),
        MergeAnswer,
        stage="merge",
        item="merge",
        problems=_problems({c.id for c in graph.concepts}),
        prune=_prune,
    )
    dropped += outcome.dropped
    if outcome.answer is not None:
        graph = _apply(graph, outcome.answer)
    return graph.model_copy(update={"dropped": dropped}), outcome.transient


def _apply(graph: ConceptGraph, answer: MergeAnswer) -> ConceptGraph:
    by_id = {c.id: c.model_copy(deep=True) for c in graph.concepts}
    renamed: dict[str, str] = {}
    merged = list(graph.merged)
    for group in answer.same:
        keep = renamed.get(group.keep, group.keep)
        for other_key in group.same_as:
            other_id = renamed.get(other_key, other_key)
            if other_id == keep or other_id not in by_id or keep not in by_id:
                continue
            _absorb(by_id[keep], by_id.pop(other_id))
            merged.append((keep, other_key))
            renamed.update({k: keep for k, v in renamed.items() if v == other_id})
            renamed[other_id] = keep
    edges: dict[str, set[str]] = {cid: set() for cid in by_id}
    for edge in answer.prerequisites:
        dependent, needs = renamed.get(edge.concept, edge.concept), renamed.get(edge.needs, edge.needs)
        if dependent in by_id and needs in by_id and dependent != needs:
            edges[dependent].add(needs)
    for cid, concept in by_id.items():
        concept.prerequisites = sorted(edges[cid])
        concept.related = sorted({renamed.get(r, r) for r in concept.related} - {cid} & set(by_id))
    concepts = sorted(by_id.values(), key=lambda c: c.id)
    broken = break_cycles(concepts)
    return graph.model_copy(
        update={
            "concepts": concepts,
            "merged": sorted(set(merged)),
            "broken_edges": graph.broken_edges + broken,
        }
    )


def _absorb(keep: GraphConcept, other: GraphConcept) -> None:
    keep.aliases = sorted({*keep.aliases, other.name, *other.aliases} - {keep.name})
    keep.evidence = (keep.evidence + [c for c in other.evidence if c not in keep.evidence])[:MAX_EVIDENCE]
    keep.problems = (keep.problems + [c for c in other.problems if c not in keep.problems])[:4]
    keep.episodes = sorted({*keep.episodes, *other.episodes})
    keep.importance = round(max(keep.importance, other.importance) + 0.25, 4)
    keep.related = sorted({*keep.related, *other.related})


def break_cycles(concepts: list[GraphConcept]) -> list[BrokenEdge]:
    """Remove the edge that closes each cycle found by a depth-first walk in id order; report each."""
    by_id = {c.id: c for c in concepts}
    broken: list[BrokenEdge] = []
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(cid: str, path: list[str]) -> None:
        state[cid] = 1
        concept = by_id[cid]
        for need in list(concept.prerequisites):
            if state.get(need) == 1:
                cycle = " -> ".join([*path[path.index(need) :], cid, need])
                concept.prerequisites.remove(need)
                broken.append(BrokenEdge(concept=cid, prerequisite=need, reason=f"a cycle {cycle}"))
            elif need not in state:
                visit(need, [*path, cid])
        state[cid] = 2

    for cid in sorted(by_id):
        if cid not in state:
            visit(cid, [])
    return broken
