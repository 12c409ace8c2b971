"""Re-resolve the previous course's citations after an episode's file changed.

Sentence ids are positions ("<episode>/p<n>/s<k>"), so an edited transcript can shift them:
an old id may now name different words. For every citation of a changed episode, the old
quote is looked up in the new sentences (`locate_quote`); the report says which quotes moved,
which vanished, and what became of the items that cited a vanished quote (kept with new
evidence, or retired). The build itself never reuses old sentence ids of a changed episode:
every stage that read the episode is keyed by its hash and recomputed.
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from coursegen.citations import locate_quote
from coursegen.ir import Citation, Course, IRModel


class CitedQuote(IRModel):
    """One quote of a changed episode that the previous course cited, and where it is now."""

    episode: str
    quote: str
    before: list[str]
    # Sentence ids of the quote in the new file; None when the words are gone.
    after: list[str] | None
    # Items of the previous course that cited it: "card <identity>", "question <id>", ...
    items: list[str] = Field(default_factory=list)
    # For a vanished quote, per item: "retired" (gone from the course) or "kept" (new evidence).
    outcomes: dict[str, str] = Field(default_factory=dict)


class EvidenceReport(IRModel):
    """Quotes of changed episodes that moved or vanished (unchanged positions are not listed)."""

    changed_episodes: list[str] = Field(default_factory=list)
    moved: list[CitedQuote] = Field(default_factory=list)
    vanished: list[CitedQuote] = Field(default_factory=list)


def cited_items(course: Course) -> Iterator[tuple[str, Citation]]:
    """Every (item, citation) pair of a course: concepts, lesson blocks, questions, cards."""
    for concept in course.concepts:
        for citation in concept.citations:
            yield f"concept {concept.id}", citation
    for lesson in course.lessons:
        for block in lesson.blocks:
            for citation in block.citations:
                yield f"lesson {lesson.id}", citation
    for question in course.questions:
        for citation in question.citations:
            yield f"question {question.id}", citation
    for card in course.cards:
        for citation in card.citations:
            yield f"card {card.identity}", citation


def _present(course: Course) -> set[str]:
    return (
        {f"concept {c.id}" for c in course.concepts}
        | {f"lesson {lesson.id}" for lesson in course.lessons}
        | {f"question {q.id}" for q in course.questions}
        | {f"card {c.identity}" for c in course.cards}
    )


def relocate_evidence(previous: Course, course: Course) -> EvidenceReport:
    """Where the previous course's quotes of every changed episode are in the new files."""
    old_hashes = {e.id: e.sha256 for e in previous.episodes}
    changed = {e.id: e for e in course.episodes if e.id in old_hashes and old_hashes[e.id] != e.sha256}
    report = EvidenceReport(changed_episodes=sorted(changed))
    if not changed:
        return report
    quotes: dict[tuple[str, tuple[str, ...]], CitedQuote] = {}
    for item, citation in cited_items(previous):
        episode = changed.get(citation.episode)
        if episode is None:
            continue
        key = (citation.episode, tuple(citation.sentence_ids))
        entry = quotes.get(key)
        if entry is None:
            entry = CitedQuote(
                episode=citation.episode,
                quote=citation.quote,
                before=list(citation.sentence_ids),
                after=locate_quote(episode, citation.quote),
            )
            quotes[key] = entry
        if item not in entry.items:
            entry.items.append(item)
    present = _present(course)
    for key in sorted(quotes):
        entry = quotes[key]
        entry.items.sort()
        if entry.after is None:
            entry.outcomes = {item: "kept" if item in present else "retired" for item in entry.items}
            report.vanished.append(entry)
        elif entry.after != entry.before:
            report.moved.append(entry)
    return report
