"""Render a ChangeReport as a release note an instructor can read (changes.md).

Items are named by what a reader recognizes (episode titles, concept names, card fronts),
grouped by concept, and capped with a pointer to changes.json for the full list. Every piece of
transcript or generated text is escaped: in Markdown it is data, never markup.
"""

from __future__ import annotations

from collections import defaultdict

from coursegen.changes import ChangeReport, Section, TextChange
from coursegen.evidence import EvidenceReport
from coursegen.export._common import CLOZE_RE, cloze_blanked
from coursegen.export.markdown import md_escape
from coursegen.ir import Card, Course, Question

LIST_LIMIT = 25
CHANGED_LIMIT = 10  # before/after pairs shown per list
GROUP_LIMIT = 12  # concepts shown per item list
PER_GROUP = 3  # items shown per concept
SHORT = 140
BLANK = "▁▁▁▁"  # a cloze gap that needs no Markdown escaping


def _short(text: str, limit: int = SHORT) -> str:
    # Generated items write gaps as "_____"; shown as BLANK they need no escaping.
    text = " ".join(text.split()).replace("_____", BLANK)
    return md_escape(text if len(text) <= limit else text[: limit - 1] + "…")


def _card_line(card: Card) -> str:
    """A card as one line: cloze deletions blanked, with the answer after."""
    if card.kind == "cloze":
        answers = [m.group(2) for m in CLOZE_RE.finditer(card.front)]
        return f"{_short(cloze_blanked(card.front, BLANK))} → *{_short(', '.join(answers), 60)}*"
    return f"{_short(card.front)} → *{_short(card.back, 60)}*" if card.back else _short(card.front)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


class _Names:
    """Readable names for the ids of both courses (the newer name wins)."""

    def __init__(self, old: Course | None, new: Course) -> None:
        self.concepts: dict[str, str] = {}
        self.cards: dict[str, Card] = {}
        self.questions: dict[str, Question] = {}
        self.episodes: dict[str, str] = {}
        self.lessons: dict[str, str] = {}
        for course in (old, new):
            if course is None:
                continue
            self.concepts.update({c.id: c.name for c in course.concepts})
            self.cards.update({c.identity: c for c in course.cards})
            self.questions.update({q.id: q for q in course.questions})
            self.episodes.update({e.id: e.title for e in course.episodes})
            self.lessons.update({lesson.id: lesson.title for lesson in course.lessons})

    def concept(self, concept_id: str) -> str:
        return md_escape(self.concepts.get(concept_id, concept_id))


def _capped(lines: list[str], limit: int = LIST_LIMIT) -> list[str]:
    if len(lines) <= limit:
        return lines
    return [*lines[:limit], f"- … and {len(lines) - limit} more (see changes.json)"]


def _by_concept(
    title: str, ids: list[str], concept_of: dict[str, str], line_of: dict[str, str], names: _Names
) -> list[str]:
    """`**title (n)**`, then one bullet per concept with its items nested."""
    if not ids:
        return []
    groups: dict[str, list[str]] = defaultdict(list)
    for item in ids:
        groups[concept_of.get(item, "")].append(line_of.get(item, md_escape(item)))
    lines: list[str] = []
    ordered = sorted(groups, key=lambda c: names.concept(c).lower())
    for concept_id in ordered[:GROUP_LIMIT]:
        group = groups[concept_id]
        lines.append(f"- **{names.concept(concept_id)}** ({len(group)})")
        lines += [f"  - {line}" for line in group[:PER_GROUP]]
        if len(group) > PER_GROUP:
            lines.append(f"  - … and {len(group) - PER_GROUP} more")
    if len(ordered) > GROUP_LIMIT:
        rest = sum(len(groups[c]) for c in ordered[GROUP_LIMIT:])
        lines.append(
            f"- … and {rest} more about {len(ordered) - GROUP_LIMIT} other concepts (see changes.json)"
        )
    return [f"**{title} ({len(ids)})**", "", *lines, ""]


def _difference(before: str, after: str) -> tuple[str, str]:
    """Both texts, shortened around where they first differ (a long shared start is elided)."""
    before, after = " ".join(before.split()), " ".join(after.split())
    same = 0
    while same < min(len(before), len(after)) and before[same] == after[same]:
        same += 1
    if same > 60:
        start = before.rfind(" ", 0, same - 40) + 1
        return _short("…" + before[start:]), _short("…" + after[start:])
    return _short(before), _short(after)


def _changed(title: str, changes: list[TextChange], label: dict[str, str]) -> list[str]:
    if not changes:
        return []
    lines: list[str] = []
    for change in changes:
        before, after = _difference(change.before, change.after)
        lines += [
            f"- {label.get(change.id, md_escape(change.id))}",
            f"  - before: {before}",
            f"  - after: {after}",
        ]
    shown = CHANGED_LIMIT * 3  # three lines per change
    if len(lines) > shown:
        lines = [*lines[:shown], f"- … and {len(changes) - CHANGED_LIMIT} more (see changes.json)"]
    return [f"**{title} ({len(changes)})**", "", *lines, ""]


def _headline(report: ChangeReport, names: _Names) -> list[str]:
    if report.old_course is None:
        return ["First build of this course: everything is new.", ""]
    if report.empty:
        return ["Nothing in the course changed since the previous build.", ""]
    parts: list[str] = []
    if report.episodes.added:
        titles = "; ".join(md_escape(names.episodes.get(e, e)) for e in report.episodes.added)
        parts.append(f"{_plural(len(report.episodes.added), 'new episode')} ({titles})")
    if report.episodes.changed:
        parts.append(f"{_plural(len(report.episodes.changed), 'edited episode')}")
    if report.episodes.removed:
        parts.append(f"{_plural(len(report.episodes.removed), 'episode')} removed")
    for count, word in (
        (len(report.concepts.added), "new concept"),
        (len(report.lessons.added), "new lesson"),
        (len(report.cards.added), "new card"),
        (len(report.cards.changed), "reworded card"),
        (len(report.cards.removed), "retired card"),
        (len(report.questions.added), "new question"),
    ):
        if count:
            parts.append(_plural(count, word))
    return ["This update brings " + ", ".join(parts) + ".", ""] if parts else []


def _spending(report: ChangeReport, engine: str, is_build: bool) -> list[str]:
    if report.calls_this_build is None:
        return []
    if report.calls_this_build == 0 and not report.calls_full_rebuild:
        return [f"Built with the {engine} engine: no model calls.", ""]
    who = "This build" if is_build else "The newer course's build"
    text = f"{who} made {_plural(report.calls_this_build, 'model call')}"
    if report.cost_this_build is not None:
        text += f" (${report.cost_this_build:.4f})"
    if report.calls_full_rebuild is not None:
        text += f"; a full rebuild would have made {report.calls_full_rebuild}"
        if report.cost_full_rebuild is not None:
            text += f" (${report.cost_full_rebuild:.4f})"
    return [text + ".", ""]


def _evidence(evidence: EvidenceReport | None, names: _Names) -> list[str]:
    if evidence is None or not evidence.changed_episodes:
        return []
    lines = [
        f"{_plural(len(evidence.changed_episodes), 'episode file')} changed: "
        + "; ".join(md_escape(names.episodes.get(e, e)) for e in evidence.changed_episodes)
        + f". {_plural(len(evidence.moved), 'cited quote')} moved and were found again; "
        f"{_plural(len(evidence.vanished), 'cited quote')} no longer in the file.",
        "",
    ]
    for quote in evidence.vanished[:LIST_LIMIT]:
        lines.append(f"- “{_short(quote.quote)}”")
        for item, outcome in sorted(quote.outcomes.items()):
            kind, _, item_id = item.partition(" ")
            what = "retired" if outcome == "retired" else "kept, now citing other words"
            lines.append(f"  - {kind} {md_escape(item_id)}: {what}")
    if len(evidence.vanished) > LIST_LIMIT:
        lines.append(f"- … and {len(evidence.vanished) - LIST_LIMIT} more (see changes.json)")
    return [*lines, ""]


def render_markdown(report: ChangeReport, old: Course | None, new: Course, *, is_build: bool = True) -> str:
    """A release note: what learners and instructors will see change."""
    names = _Names(old, new)
    lines = [f"# Changes in “{md_escape(new.title)}”", "", *_headline(report, names)]
    if report.old_course is not None and report.old_course != report.new_course:
        lines += [
            f"**The course id changed** from `{md_escape(report.old_course)}` to "
            f"`{md_escape(report.new_course)}`. Card identities start with the course id, so every card "
            "is a new note to Anki: learners who import this package get duplicates of all their cards. "
            "Unless that is intended, build again with the old id (`--course-id` or `[course] id`).",
            "",
        ]
    if report.old_title is not None:
        lines += [
            f"The course title changed from “{md_escape(report.old_title)}”. Anki matches decks by "
            "name: learners who update get the new cards in a second deck named after the new title "
            "(their existing cards stay where they are). Set `[course] title` in coursegen.toml to keep "
            "a title fixed.",
            "",
        ]
    lines += ["| | added | changed | removed |", "|---|---:|---:|---:|"]
    for label, section in (
        ("episodes", report.episodes),
        ("concepts", report.concepts),
        ("lessons", report.lessons),
        ("questions", report.questions),
        ("cards", report.cards),
    ):
        lines.append(f"| {label} | {len(section.added)} | {len(section.changed)} | {len(section.removed)} |")
    lines += ["", *_spending(report, new.build.engine, is_build)]
    if report.old_course is not None and not report.empty:
        lines += _details(report, names, old, new)
    source_edits = _evidence(report.evidence, names)
    if source_edits:
        lines += ["## Source edits", "", *source_edits]
    if report.overrides:
        lines += ["## Instructor overrides applied", ""]
        lines += [f"- {md_escape(line)}" for line in report.overrides]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _details(report: ChangeReport, names: _Names, old: Course | None, new: Course) -> list[str]:
    lines: list[str] = []
    episodes = _section_list("New episodes", report.episodes.added, names.episodes)
    episodes += _section_list(
        "Episodes whose file changed", [c.id for c in report.episodes.changed], names.episodes
    )
    episodes += _section_list("Episodes removed", report.episodes.removed, names.episodes)
    if report.episodes_retitled:
        episodes += [f"**Episodes retitled ({len(report.episodes_retitled)})**", ""]
        episodes += _capped(
            [f"- {md_escape(c.before)} → {md_escape(c.after)}" for c in report.episodes_retitled]
        )
        episodes.append("")
    if episodes:
        lines += ["## Episodes", "", *episodes]

    definitions = {c.id: c.definition for c in new.concepts}
    concepts = []
    if report.concepts.added:
        concepts += [f"**New concepts ({len(report.concepts.added)})**", ""]
        concepts += _capped(
            [
                f"- **{names.concept(c)}**: {_short(definitions.get(c, ''), 110)}"
                for c in report.concepts.added
            ]
        )
        concepts.append("")
    if report.concepts_merged:
        concepts += [f"**Concepts merged ({len(report.concepts_merged)})**", ""]
        concepts += [
            f"- {names.concept(m.id)} is now part of **{names.concept(m.into)}**"
            for m in report.concepts_merged
        ]
        concepts.append("")
    if report.concept_ids_kept:
        concepts += ["**Renamed by a merge, identity kept**", ""]
        concepts += [f"- {md_escape(line)}" for line in report.concept_ids_kept]
        concepts.append("")
    concepts += _changed(
        "Concept definitions changed",
        report.concepts.changed,
        {c: f"**{names.concept(c)}**" for c in names.concepts},
    )
    concepts += _section_list("Concepts retired", report.concepts.removed, names.concepts)
    if concepts:
        lines += ["## Concepts", "", *concepts]

    positions = {lesson.id: lesson.position for lesson in new.lessons}
    ramp: list[str] = []
    if report.lessons.added:
        ramp += [f"**Lessons inserted ({len(report.lessons.added)})**", ""]
        added = sorted(report.lessons.added, key=lambda lid: positions.get(lid, 0))
        ramp += _capped(
            [
                f"- at position {positions.get(lid, 0) + 1}: {md_escape(names.lessons.get(lid, lid))}"
                for lid in added
            ]
        )
        ramp.append("")
    ramp += _section_list("Lessons removed or regrouped", report.lessons.removed, names.lessons)
    ramp += _section_list(
        "Lessons rewritten (same place, new text or quotes: reread before publishing)",
        sorted(report.lessons_rewritten, key=lambda lid: positions.get(lid, 0)),
        names.lessons,
    )
    if report.lessons_moved:
        ramp += [f"**Lessons moved along the ramp ({len(report.lessons_moved)})**", ""]
        ramp += _capped(
            [f"- {md_escape(m.title)}: position {m.before + 1} → {m.after + 1}" for m in report.lessons_moved]
        )
        ramp.append("")
    if ramp:
        lines += ["## Ramp", "", *ramp]

    card_concept = {key: card.concept for key, card in names.cards.items()}
    card_line = {key: _card_line(card) for key, card in names.cards.items()}
    q_concept = {key: q.concept for key, q in names.questions.items()}
    q_line = {key: _short(q.stem) for key, q in names.questions.items()}
    items = _by_concept("New cards", report.cards.added, card_concept, card_line, names)
    items += _changed(
        "Cards reworded (updated in place in Anki, review history kept)",
        report.cards.changed,
        {k: f"card on **{names.concept(c)}**" for k, c in card_concept.items()},
    )
    items += _by_concept("Cards retired", report.cards.removed, card_concept, card_line, names)
    if report.cards.removed and report.retired_cards_search:
        items += [
            "Anki never deletes notes on import. Learners who imported an earlier version keep "
            f"retired cards; they find them with the search `{report.retired_cards_search}` "
            "(the next package still ships them once, tagged and suspended) and may delete them.",
            "",
        ]
    items += _by_concept("New questions", report.questions.added, q_concept, q_line, names)
    # Questions whose stem and answer stayed and only the choices changed are listed compactly.
    before = {q.id: q for q in old.questions} if old else {}
    after = {q.id: q for q in new.questions}
    choices_only = [
        c.id
        for c in report.questions.changed
        if c.id in before
        and c.id in after
        and (before[c.id].stem, _answer_text(before[c.id])) == (after[c.id].stem, _answer_text(after[c.id]))
    ]
    items += _changed(
        "Questions changed",
        [c for c in report.questions.changed if c.id not in set(choices_only)],
        {k: f"question on **{names.concept(c)}**" for k, c in q_concept.items()},
    )
    if choices_only:
        items += _by_concept(
            "Questions with new answer choices (same stem and answer)", choices_only, q_concept, q_line, names
        )
    items += _by_concept("Questions retired", report.questions.removed, q_concept, q_line, names)
    if items:
        lines += ["## Cards and questions", "", *items]
    return lines


def _answer_text(question: Question) -> str:
    """The answer as a learner sees it (a choice's text, not its index, for multiple choice)."""
    answer = question.answer
    if question.kind == "mcq" and isinstance(answer, int) and not isinstance(answer, bool):
        return question.options[answer] if 0 <= answer < len(question.options) else str(answer)
    return str(answer)


def _section_list(title: str, ids: list[str], label: dict[str, str]) -> list[str]:
    if not ids:
        return []
    lines = _capped([f"- {md_escape(label.get(item, item))}" for item in ids])
    return [f"**{title} ({len(ids)})**", "", *lines, ""]


__all__ = ["Section", "render_markdown"]
