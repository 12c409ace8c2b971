"""The concepts stage: each window of one episode goes to the model; answers cite short sentence ids."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from coursegen.engines.llm.answers import ConceptsAnswer, FoundConcept
from coursegen.engines.llm.asking import Outcome, ask
from coursegen.engines.llm.passages import passage_lines, short_id, windows
from coursegen.engines.sources import SourceIndex
from coursegen.engines.types import Cite, ConceptCandidate, EpisodeConcepts
from coursegen.fsutil import slugify
from coursegen.ir import Episode, Passage
from coursegen.llm import LLMClient

MAX_PER_WINDOW = 8
MAX_EVIDENCE = 4


def concept_budget(sentence_count: int) -> int:
    """How many concepts of one episode the course keeps (longer talks cover more)."""
    return max(MAX_PER_WINDOW, min(20, sentence_count // 40))


def window_variables(episode: Episode, passages: list[Passage], language: str) -> dict[str, Any]:
    """The prompt variables of one window (also used by --dry-run estimates)."""
    lines = [line for passage in passages for line in passage_lines(passage)]
    return {
        "episode_title": episode.title,
        "transcript": "\n".join(lines),
        "language": language,
        "max_concepts": MAX_PER_WINDOW,
    }


def _problems(shown: set[str]) -> Any:
    def check(answer: ConceptsAnswer) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for number, concept in enumerate(answer.concepts, start=1):
            reasons = [
                f"sentence id {sid!r} is not in the transcript shown"
                for sid in [*concept.evidence, *concept.problem]
                if sid.strip() not in shown
            ]
            if not slugify(concept.name, fallback=""):
                reasons.append("the name has no letters or digits")
            if reasons:
                found[f"concept {number} ({concept.name})"] = reasons
        return found

    return check


def _prune(answer: ConceptsAnswer, bad: set[str]) -> ConceptsAnswer:
    keep = [c for n, c in enumerate(answer.concepts, start=1) if f"concept {n} ({c.name})" not in bad]
    return ConceptsAnswer(concepts=keep)


def cites_in_order(sources: SourceIndex, episode: str, sentence_ids: Sequence[str]) -> list[Cite]:
    """Citations keeping the given (best-first) order; a run of consecutive ids stays one citation
    (up to a sentence where another speaker takes over: a quote is one speaker's, CIT014)."""
    cites: list[Cite] = []
    previous = None
    for sid in sentence_ids:
        ref = sources.get(sid)
        if ref is None:
            continue
        if (
            cites
            and previous is not None
            and ref.passage.id == previous.passage.id
            and ref.index == previous.index + 1
            and not sources.opens_turn(sid)
        ):
            cites[-1].sentence_ids.append(sid)
        elif not any(sid in c.sentence_ids for c in cites):
            cites.append(Cite(episode=episode, sentence_ids=[sid]))
        previous = ref
    return cites


async def episode_concepts(
    client: LLMClient, episode: Episode, language: str
) -> tuple[EpisodeConcepts, bool]:
    """The concepts of one episode (and whether a transient failure makes the result unfit to cache)."""
    parts = windows(episode)
    count = len(parts)
    jobs = []
    for index, passages in enumerate(parts):
        shown = {short_id(s.id) for p in passages for s in p.sentences}
        jobs.append(
            ask(
                client,
                "concepts",
                window_variables(episode, passages, language),
                ConceptsAnswer,
                stage="concepts",
                item=f"{episode.id} window {index + 1}/{count}",
                problems=_problems(shown),
                prune=_prune,
            )
        )
    results = await asyncio.gather(*jobs, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    outcomes: list[Outcome[ConceptsAnswer]] = [r for r in results if not isinstance(r, BaseException)]
    sources = SourceIndex([episode])
    found: list[FoundConcept] = [c for o in outcomes if o.answer is not None for c in o.answer.concepts]
    candidates = _combine(found, episode, sources)
    limit = concept_budget(sum(len(p.sentences) for p in episode.passages))
    ranked = sorted(candidates, key=lambda c: (-c.importance, -c.mentions, c.key))[:limit]
    dropped = [(item, reason) for o in outcomes for item, reason in o.dropped]
    concepts = EpisodeConcepts(
        episode=episode.id,
        episode_sha256=episode.sha256,
        concepts=sorted(ranked, key=lambda c: c.key),
        terms=sorted({c.name for c in candidates} - {c.name for c in ranked}),
        dropped=dropped,
    )
    return concepts, any(o.transient for o in outcomes)


def _combine(found: list[FoundConcept], episode: Episode, sources: SourceIndex) -> list[ConceptCandidate]:
    """One candidate per name key: windows that found the same concept add evidence and mentions."""
    by_key: dict[str, ConceptCandidate] = {}
    for concept in found:
        key = slugify(concept.name, fallback="")
        evidence = cites_in_order(
            sources, episode.id, [f"{episode.id}/{s.strip()}" for s in concept.evidence]
        )
        problems = cites_in_order(sources, episode.id, [f"{episode.id}/{s.strip()}" for s in concept.problem])
        if not evidence:
            continue
        current = by_key.get(key)
        if current is None:
            by_key[key] = ConceptCandidate(
                key=key,
                name=concept.name.strip(),
                aliases=sorted({a.strip() for a in concept.aliases if a.strip()}),
                kind=concept.kind,
                definition=concept.definition.strip(),
                evidence=evidence[:MAX_EVIDENCE],
                problems=problems[:2],
                importance=concept.importance / 5,
                mentions=1,
            )
            continue
        current.aliases = sorted({*current.aliases, *(a.strip() for a in concept.aliases if a.strip())})
        current.evidence = (current.evidence + evidence)[:MAX_EVIDENCE]
        current.problems = (current.problems + problems)[:2]
        current.mentions += 1
        if concept.importance / 5 > current.importance:
            current.importance = concept.importance / 5
            current.definition = concept.definition.strip()
    return list(by_key.values())
