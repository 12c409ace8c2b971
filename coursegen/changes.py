"""The change report: what a regenerated course changed compared with the previous one.

Items are matched by their stable identities (episode id, concept id, lesson id, card
identity, question id), never by position or text, so a reworded card shows as *changed*
and a card about another fact as *added* + *retired* — exactly what a learner's Anki
collection will see on import.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from coursegen.evidence import EvidenceReport
from coursegen.fsutil import slugify
from coursegen.ir import Card, Course, IRModel, Lesson, Question


class TextChange(IRModel):
    """One item whose wording changed."""

    id: str
    before: str
    after: str


class Moved(IRModel):
    """A lesson whose ramp position changed."""

    id: str
    title: str
    before: int
    after: int


class Merged(IRModel):
    """A concept id that disappeared because it now lives on as an alias of another."""

    id: str
    into: str


class Section(IRModel):
    """Added / changed / removed ids of one kind of item."""

    added: list[str] = Field(default_factory=list)
    changed: list[TextChange] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)


class ChangeReport(IRModel):
    """Everything `changes.json` holds."""

    old_course: str | None
    new_course: str
    # Set when the title changed: Anki matches decks by name, so learners get a second deck.
    old_title: str | None = None
    episodes: Section = Field(default_factory=Section)
    concepts: Section = Field(default_factory=Section)
    concepts_merged: list[Merged] = Field(default_factory=list)
    # Concepts a merge renamed that kept their previous id (so their cards keep their GUIDs).
    concept_ids_kept: list[str] = Field(default_factory=list)
    lessons: Section = Field(default_factory=Section)
    lessons_moved: list[Moved] = Field(default_factory=list)
    # Kept lessons (same id and title) whose text changed: opening, prediction, blocks or quotes.
    # An instructor who publishes the lessons wants to reread these before the next release.
    lessons_rewritten: list[str] = Field(default_factory=list)
    # Episodes whose file is unchanged but whose title changed (a newer ingester reads it better).
    episodes_retitled: list[TextChange] = Field(default_factory=list)
    questions: Section = Field(default_factory=Section)
    cards: Section = Field(default_factory=Section)
    # Search that finds retired cards in a learner's Anki collection.
    retired_cards_search: str | None = None
    calls_this_build: int | None = None
    calls_full_rebuild: int | None = None
    cost_this_build: float | None = None
    cost_full_rebuild: float | None = None
    overrides: list[str] = Field(default_factory=list)
    # Quotes of changed episode files that moved or vanished (set by the build, not by `diff`).
    evidence: EvidenceReport | None = None
    # A build that changed nothing left changes.md and changes.json as they were (never written).
    last_report_kept: bool = Field(default=False, exclude=True)

    @property
    def empty(self) -> bool:
        """True when nothing in the course changed."""
        sections = (self.episodes, self.concepts, self.lessons, self.questions, self.cards)
        return (
            not any(s.added or s.changed or s.removed for s in sections)
            and not self.lessons_moved
            and not self.lessons_rewritten
            and not self.episodes_retitled
        )


def _card_text(card: Card) -> str:
    return card.front if not card.back else f"{card.front} → {card.back}"


def _question_text(question: Question) -> str:
    text = question.stem
    if question.options:
        text += " [" + " | ".join(question.options) + "]"
    return f"{text} → {question.answer}"


def _lesson_text(lesson: Lesson) -> str:
    """What a reader of the lesson sees, apart from its title and its place on the ramp."""
    blocks = [block.text + "".join(c.quote for c in block.citations) for block in lesson.blocks]
    return "\n".join([lesson.problem, lesson.prediction, lesson.prediction_reveal, *blocks])


def _section(old: dict[str, str], new: dict[str, str]) -> Section:
    """Compare two id → text maps."""
    return Section(
        added=sorted(set(new) - set(old)),
        removed=sorted(set(old) - set(new)),
        changed=[
            TextChange(id=key, before=old[key], after=new[key])
            for key in sorted(set(old) & set(new))
            if old[key] != new[key]
        ],
    )


def compare_courses(old: Course | None, new: Course) -> ChangeReport:
    """Compare two courses by stable identities; `old=None` means a first build."""
    old_course = old or Course(id=new.id, title=new.title)
    report = ChangeReport(old_course=old.id if old else None, new_course=new.id)
    if old is not None and old.title != new.title:
        report.old_title = old.title
    report.episodes = _section(
        {e.id: e.sha256 for e in old_course.episodes}, {e.id: e.sha256 for e in new.episodes}
    )
    # Episode "changes" are hash changes: the text itself is not useful in a report.
    for change in report.episodes.changed:
        change.before, change.after = change.before[:12], change.after[:12]
    old_titles = {e.id: (e.sha256, e.title) for e in old_course.episodes}
    report.episodes_retitled = [
        TextChange(id=e.id, before=old_titles[e.id][1], after=e.title)
        for e in sorted(new.episodes, key=lambda item: item.id)
        if e.id in old_titles and old_titles[e.id][0] == e.sha256 and old_titles[e.id][1] != e.title
    ]

    report.concepts = _section(
        {c.id: c.definition for c in old_course.concepts}, {c.id: c.definition for c in new.concepts}
    )
    alias_owner: dict[str, str] = {}
    for concept in new.concepts:
        for alias in concept.aliases:
            alias_owner.setdefault(alias, concept.id)
    still_removed: list[str] = []
    for concept_id in report.concepts.removed:
        owner = alias_owner.get(concept_id)
        if owner is None:
            owner = next((c.id for c in new.concepts if concept_id in {slugify(a) for a in c.aliases}), None)
        if owner is not None:
            report.concepts_merged.append(Merged(id=concept_id, into=owner))
        else:
            still_removed.append(concept_id)
    report.concepts.removed = still_removed

    report.lessons = _section(
        {lesson.id: lesson.title for lesson in old_course.lessons},
        {lesson.id: lesson.title for lesson in new.lessons},
    )
    old_lessons = {lesson.id: lesson for lesson in old_course.lessons}
    report.lessons_rewritten = sorted(
        lesson.id
        for lesson in new.lessons
        if lesson.id in old_lessons
        and old_lessons[lesson.id].title == lesson.title
        and _lesson_text(old_lessons[lesson.id]) != _lesson_text(lesson)
    )
    old_positions = {lesson.id: lesson.position for lesson in old_course.lessons}
    by_position = sorted(new.lessons, key=lambda item: item.position)
    kept = [lesson for lesson in by_position if lesson.id in old_positions]
    in_order = _longest_increasing([old_positions[lesson.id] for lesson in kept])
    # A lesson that only shifted because others were inserted or removed before it did not move:
    # listing all of them buries the few whose place in the ramp really changed.
    report.lessons_moved = [
        Moved(id=lesson.id, title=lesson.title, before=old_positions[lesson.id], after=lesson.position)
        for index, lesson in enumerate(kept)
        if index not in in_order
    ]

    report.questions = _section(
        {q.id: _question_text(q) for q in old_course.questions},
        {q.id: _question_text(q) for q in new.questions},
    )
    report.cards = _section(
        {c.identity: _card_text(c) for c in old_course.cards},
        {c.identity: _card_text(c) for c in new.cards},
    )
    if report.cards.removed:
        report.retired_cards_search = "tag:coursegen::retired"

    usage: dict[str, Any] = new.build.usage
    # "calls" is what this build paid for; the LLM layer's "model_calls" also counts cached answers.
    report.calls_this_build = _int_or_none(usage.get("calls", usage.get("model_calls")))
    report.calls_full_rebuild = _int_or_none(usage.get("calls_full_rebuild"))
    report.cost_this_build = _float_or_none(usage.get("cost_usd"))
    report.cost_full_rebuild = _float_or_none(usage.get("cost_full_rebuild_usd"))
    report.overrides = list(new.build.overrides)
    return report


def _int_or_none(value: Any) -> int | None:
    return int(value) if isinstance(value, int | float) else None


def _float_or_none(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _longest_increasing(values: list[int]) -> set[int]:
    """Indexes of one longest strictly increasing subsequence (always the same one for the same input)."""
    tails: list[int] = []  # tails[k]: index of the smallest last value of an increasing run of length k + 1
    parent: list[int] = [-1] * len(values)
    for index, value in enumerate(values):
        low, high = 0, len(tails)
        while low < high:
            middle = (low + high) // 2
            if values[tails[middle]] < value:
                low = middle + 1
            else:
                high = middle
        parent[index] = tails[low - 1] if low else -1
        if low == len(tails):
            tails.append(index)
        else:
            tails[low] = index
    chosen: set[int] = set()
    cursor = tails[-1] if tails else -1
    while cursor != -1:
        chosen.add(cursor)
        cursor = parent[cursor]
    return chosen
