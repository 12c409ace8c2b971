"""What a build does because it may be a *re*build: overrides, a fixed course identity, the change report.

The pipeline calls one `Regeneration` at a few well-defined points (after ingest, after merge,
after assembly, after writing), so the regeneration rules live here and not in the stages:

- instructor overrides from coursegen.toml are applied on every build and logged;
- the course id is fixed once (`--course-id` > `[course] id` > the previous course.json's id >
  slug of the title), and so is the title (which names the Anki deck, matched by name);
- the previous course.json is compared with the new one: `changes.md` and `changes.json`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coursegen.changes import ChangeReport, compare_courses
from coursegen.changes_render import render_markdown
from coursegen.config_file import find_config_file
from coursegen.course_io import course_fingerprint, load_course
from coursegen.engines.types import ConceptGraph
from coursegen.errors import ConfigError, CourseFileError, CoursegenError, UsageError
from coursegen.evidence import relocate_evidence
from coursegen.fsutil import atomic_write_text, slugify
from coursegen.ir import Card, Course, Episode
from coursegen.overrides import (
    CourseSettings,
    Overrides,
    apply_concept_overrides,
    apply_item_locks,
    describe_episodes,
    exclude_episodes,
    load_overrides,
)

COURSE_ID = re.compile(r"[a-z0-9-]+")


def check_course_id(
    value: str, where: str, tip: str, error: type[CoursegenError] = UsageError
) -> None:
    """Raise `error` unless `value` is a slug ([a-z0-9-], not empty); the tip offers the slugified id.

    The id names the Anki deck and starts every card identity, so it must be the same plain
    text in file names, URLs and Anki on every system.
    """
    if COURSE_ID.fullmatch(value):
        return
    raise error(
        f"{where} {value!r} is not a valid course id: use lowercase letters, digits and '-' only",
        tip.format(slug=slugify(value, fallback="my-course")),
    )


def load_previous_course(out_dir: Path) -> Course | None:
    """The course an earlier build wrote to this folder (migrated to the current schema), if any."""
    path = Path(out_dir) / "course.json"
    if not path.is_file():
        return None
    try:
        return load_course(path)
    except CourseFileError as exc:
        raise CourseFileError(
            f"previous course unreadable: {exc.message}",
            f"move {path} away to build afresh (the stage cache is kept)",
        ) from exc


@dataclass
class Regeneration:
    """Overrides, identity and the previous course of one build."""

    out_dir: Path
    settings: CourseSettings
    overrides: Overrides
    previous: Course | None
    flag_course_id: str | None = None
    flag_title: str | None = None
    log: list[str] = field(default_factory=list)
    # Concept ids kept from the previous course although a merge renamed the concept.
    kept_ids: list[str] = field(default_factory=list)
    # The coursegen.toml read (named in errors about its tables).
    config_path: Path = Path("coursegen.toml")

    @classmethod
    def start(
        cls,
        out_dir: Path,
        course_id: str | None = None,
        title: str | None = None,
        config: Path | None = None,
    ) -> Regeneration:
        """Read coursegen.toml and the previous course (errors are clear CoursegenErrors)."""
        path = find_config_file(out_dir, config)
        settings, overrides = load_overrides(path)
        if course_id is not None:
            check_course_id(course_id, "--course-id", "pass --course-id {slug}")
        if settings.id is not None:
            tip = 'write id = "{slug}" in [course]'
            check_course_id(settings.id, f"{path}: [course] id", tip, ConfigError)
        return cls(
            out_dir=Path(out_dir),
            settings=settings,
            overrides=overrides,
            previous=load_previous_course(out_dir),
            flag_course_id=course_id,
            flag_title=title,
            config_path=path,
        )

    def filter_episodes(self, episodes: list[Episode]) -> list[Episode]:
        """Episodes left after `exclude_episodes`, with the titles and links of their
        `[episodes."<id>"]` tables (applied before any stage uses them)."""
        kept, log = exclude_episodes(episodes, self.overrides)
        if episodes and not kept:
            raise ConfigError(
                "exclude_episodes in coursegen.toml excludes every episode of this build",
                "remove some ids from [overrides] exclude_episodes",
            )
        self.log += log
        kept, log = describe_episodes(kept, self.overrides, str(self.config_path))
        self.log += log
        return kept

    def kept_cards(self, graph: ConceptGraph) -> dict[str, frozenset[tuple[str, str, str]]]:
        """The previous course's cards by the concept of `graph` that has them now (see
        LessonContext.kept_cards): what a rebuild makes again where it can, so a learner keeps
        their reviews."""
        owner = _concept_now(graph)
        kept: dict[str, set[tuple[str, str, str]]] = {}
        for card in self.previous.cards if self.previous is not None else []:
            now = owner.get(card.concept)
            if now is None:
                continue
            key = ",".join(sid for citation in card.citations for sid in citation.sentence_ids)
            kept.setdefault(now, set()).add((now, card.id.removeprefix(card.concept), key))
        return {concept: frozenset(cards) for concept, cards in sorted(kept.items())}

    def adjust_graph(self, graph: ConceptGraph) -> ConceptGraph:
        """The merged graph with previous ids kept, then concepts excluded, renamed and re-wired."""
        graph, self.kept_ids = keep_previous_concept_ids(graph, self.previous)
        concepts, log = apply_concept_overrides(graph.concepts, self.overrides)
        if graph.concepts and not concepts:
            raise ConfigError(
                "exclude_concepts in coursegen.toml excludes every concept of the course",
                "remove some ids from [overrides] exclude_concepts",
            )
        self.log += log
        if not log:
            return graph
        return graph.model_copy(update={"concepts": concepts})

    def course_id(self, title: str) -> str:
        """Fixed once: --course-id > [course] id > previous course.json's id > slug of the title."""
        chosen = self.flag_course_id or self.settings.id or (self.previous.id if self.previous else None)
        return chosen or slugify(title, fallback="course")

    def title(self, default: Callable[[], str]) -> str:
        """--title > [course] title > the previous course's title > a default from the concepts.

        Keeping the previous title matters: Anki matches decks by name, so a title that drifted
        with new episodes would put new cards in a second deck.
        """
        chosen = self.flag_title or self.settings.title or (self.previous.title if self.previous else None)
        return chosen or default()

    def finish(self, course: Course) -> Course:
        """Keep card identities, apply the item locks and record every override this build applied."""
        cards = keep_previous_card_identities(course.cards, self.previous)
        course = course.model_copy(update={"cards": cards})
        cards, questions, log = apply_item_locks(course.cards, course.questions, self.overrides)
        self.log += log
        course = course.model_copy(update={"cards": cards, "questions": questions})
        # The course this one replaced. An unchanged rebuild keeps the record it found, so it
        # stays byte-identical and a package exported before an intervening --no-export build
        # still counts as the previous one (the exporter also accepts a package of this course).
        previous = course_fingerprint(self.previous) if self.previous is not None else None
        if self.previous is not None and previous == course_fingerprint(course):
            previous = self.previous.build.previous_course
        update = {"overrides": list(self.log), "previous_course": previous}
        course.build = course.build.model_copy(update=update)
        return course

    def report(self, course: Course) -> ChangeReport:
        """Compare with the previous course and write changes.md and changes.json atomically."""
        report = compare_courses(self.previous, course)
        if self.previous is not None:
            report.evidence = relocate_evidence(self.previous, course)
        report.concept_ids_kept = list(self.kept_ids)
        unchanged = report.empty and report.old_title is None and report.old_course == report.new_course
        if unchanged and all((self.out_dir / name).is_file() for name in ("changes.md", "changes.json")):
            # The report of the last change stays, as the record's previous_course does: an
            # instructor who rebuilds twice before publishing still reads what changed.
            report.last_report_kept = True
            return report
        atomic_write_text(self.out_dir / "changes.json", report.model_dump_json(indent=2) + "\n")
        atomic_write_text(self.out_dir / "changes.md", render_markdown(report, self.previous, course))
        return report


def record_call_usage(course: Course, this_build: tuple[int, float], reused: tuple[int, float]) -> None:
    """Put this build's model calls and those of a full rebuild (this + reused results) in the record."""
    usage: dict[str, Any] = dict(course.build.usage)
    usage.setdefault("model_calls", this_build[0])
    usage.setdefault("cost_usd", round(this_build[1], 6))
    usage["calls"] = this_build[0]
    usage["calls_full_rebuild"] = this_build[0] + reused[0]
    usage["cost_full_rebuild_usd"] = round(this_build[1] + reused[1], 6)
    course.build.usage = usage


def summary_line(report: ChangeReport) -> str:
    """One line for the terminal: what changed and what it cost."""
    if report.old_course is None:
        what = "first build"
    elif report.empty:
        what = "no changes"
    else:
        parts = []
        for name, section in (
            ("episode", report.episodes),
            ("concept", report.concepts),
            ("lesson", report.lessons),
            ("question", report.questions),
            ("card", report.cards),
        ):
            signed = (("+", section.added), ("~", section.changed), ("-", section.removed))
            counts = [f"{sign}{len(items)}" for sign, items in signed if items]
            if counts:
                parts.append(f"{name}s {' '.join(counts)}")
        if report.lessons_moved:
            parts.append(_counted(len(report.lessons_moved), "lesson", "moved"))
        if report.lessons_rewritten:
            parts.append(_counted(len(report.lessons_rewritten), "lesson", "rewritten"))
        if report.episodes_retitled:
            parts.append(_counted(len(report.episodes_retitled), "episode", "retitled"))
        what = ", ".join(parts)
    if report.old_course is not None and report.old_course != report.new_course:
        renamed = f"COURSE ID CHANGED ({report.old_course} → {report.new_course})"
        what = f"{renamed}: every card is new to Anki; {what}"
    if report.old_title is not None:
        retitled = "title changed (a new Anki deck name)"
        what = retitled if report.empty else f"{retitled}, {what}"
    calls = ""
    if report.calls_this_build is not None:
        calls = f"; {report.calls_this_build} model calls"
        if report.calls_full_rebuild is not None:
            calls += f" (a full rebuild: {report.calls_full_rebuild})"
    if report.last_report_kept:
        return f"changes: none since the last build{calls}; changes.md still describes the last change"
    return f"changes: {what}{calls} — see changes.md"


def keep_previous_concept_ids(graph: ConceptGraph, previous: Course | None) -> tuple[ConceptGraph, list[str]]:
    """Give a concept the id it had in the previous course when a merge renamed it.

    A merge may choose a new canonical name (`neural-nets` becomes part of `neural-network`);
    the old id then lives on as an alias. Keeping the old id keeps its lesson id and its cards'
    identities (hence their Anki GUIDs and a learner's review history).
    """
    if previous is None:
        return graph, []
    old_ids = {c.id for c in previous.concepts}
    current = {c.id for c in graph.concepts}
    free = old_ids - current  # old ids no concept of this build claims
    renames: dict[str, str] = {}
    for concept in sorted(graph.concepts, key=lambda c: c.id):
        if concept.id in old_ids:
            continue
        names = {slugify(name, fallback="") for name in [concept.name, *concept.aliases]}
        for old in sorted(free & names):
            renames[concept.id] = old
            free.discard(old)
            break
    if not renames:
        return graph, []
    concepts = []
    for concept in graph.concepts:
        concepts.append(
            concept.model_copy(
                update={
                    "id": renames.get(concept.id, concept.id),
                    "prerequisites": [renames.get(p, p) for p in concept.prerequisites],
                    "related": [renames.get(r, r) for r in concept.related],
                }
            )
        )
    merged = [(renames.get(kept, kept), name) for kept, name in graph.merged]
    named = {c.id: c.name for c in graph.concepts}
    log = [
        f"“{named[new]}” keeps the id {old} (a merge renamed the concept; its cards update in place)"
        for new, old in sorted(renames.items())
    ]
    return graph.model_copy(update={"concepts": concepts, "merged": merged}), log


def _concept_now(graph: ConceptGraph) -> dict[str, str]:
    """Concept id → the id of the concept of `graph` that holds it: itself, or the concept a
    merge folded it into (its name is now an alias there: "weights" → "parameter")."""
    owner = {slugify(name, fallback=""): c.id for c in graph.concepts for name in c.aliases}
    owner.update({slugify(name, fallback=""): kept for kept, name in graph.merged})
    owner.update({c.id: c.id for c in graph.concepts})
    owner.pop("", None)
    return owner


def keep_previous_card_identities(cards: list[Card], previous: Course | None) -> list[Card]:
    """Give a new card the identity of the previous course's card it is, reworded or not.

    A card's identity names its concept, so a card whose sentence now belongs to another concept
    (a merge folded "weights" into "parameter") was a new Anki note beside the retired old one:
    the same front twice in a learner's deck. The same kind, front and cited sentences as a
    previous card whose identity no card of this course has: it is that card, and its note
    updates in place (its concept tag too).

    A model names the fact a card tests in its own words ("fact"), which enter the identity,
    and words it differently each time it is asked: a regenerated lesson's cards were all new
    notes. A card of the same concept and kind, quoting the same words, with the same answer
    (the same deletions; the same back) as a previous card tests that card's fact, however its
    front and fact are worded, and keeps that card's note. A different answer or quote is
    another fact: a new note, the old one retired (as when an edited transcript lost the quote).
    """
    if previous is None:
        return cards
    taken = {card.identity for card in cards}
    before = {card.identity for card in previous.cards}
    kept = list(cards)
    for key in (_card_text_key, _card_fact_key):
        free: dict[tuple[object, ...], list[str]] = {}
        for card in previous.cards:
            if card.identity not in taken:
                free.setdefault(key(card), []).append(card.identity)
        for number, card in enumerate(kept):
            if card.identity in before:
                continue
            identities = free.get(key(card))
            if identities:
                identity = identities.pop(0)
                taken.add(identity)
                kept[number] = card.model_copy(update={"identity": identity})
    return kept


def _sentences(card: Card) -> tuple[str, ...]:
    return tuple(sid for citation in card.citations for sid in citation.sentence_ids)


def _card_text_key(card: Card) -> tuple[object, ...]:
    return card.kind, card.front, _sentences(card)


_DELETION = re.compile(r"\{\{c\d+::(.*?)(?:::.*?)?\}\}", re.S)


def _card_fact_key(card: Card) -> tuple[object, ...]:
    """What the card asks the learner to recall, and from which words: its answer, lower case."""
    answer = " | ".join(_DELETION.findall(card.front)) if card.kind == "cloze" else card.back
    words = tuple(re.findall(r"\w+", answer.lower()))
    return card.concept, card.kind, tuple(citation.quote for citation in card.citations), words


def _counted(count: int, noun: str, what: str) -> str:
    """ "1 lesson rewritten", "2 lessons rewritten"."""
    return f"{count} {noun}{'' if count == 1 else 's'} {what}"
