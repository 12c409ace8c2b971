"""Anki packages (.apkg) via genanki: frozen note types, one deck per course, ramp-ordered cards.

Identity discipline (see docs/export.md): model ids and field lists never change once
shipped, deck ids derive from the course id, note GUIDs from `Card.identity`, and every
package carries a newer timestamp than the last one, so a learner's re-import updates notes
in place instead of duplicating them.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Collection
from pathlib import Path

import genanki

from coursegen.course_io import course_fingerprint
from coursegen.errors import CourseFileError, WriteError
from coursegen.export._common import (
    CitationView,
    SourceIndex,
    card_tags,
    cards_in_order,
    cloze_html,
    cloze_numbers,
    escape_html,
    generated_html,
    lesson_labels,
    lessons_in_order,
    safe_url,
)
from coursegen.export.anki_history import PreviousPackage, package_stamp, read_previous, retired_notes
from coursegen.export.anki_models import (
    BASIC_FIELDS,
    BASIC_MODEL,
    BASIC_MODEL_ID,
    CLOZE_FIELDS,
    CLOZE_MODEL,
    CLOZE_MODEL_ID,
    RETIRED_TAG,
)
from coursegen.fsutil import atomic_write_bytes, slugify
from coursegen.ir import Card, Course, Lesson


def _stable_id(*parts: str) -> int:
    """A deck id derived from names: same course → same deck, in genanki's suggested range."""
    digest = hashlib.sha256("\x1f".join(("coursegen", *parts)).encode("utf-8")).digest()
    return (1 << 30) + int.from_bytes(digest[:8], "big") % (1 << 30)


def deck_id_for(course_id: str) -> int:
    """The deck id of a course (stable across builds)."""
    return _stable_id("deck", course_id)


def deck_name(title: str) -> str:
    """A plain deck name from the course title: `::` would create a hierarchy, so it is broken up."""
    # Anki trims colons at the ends of a deck name itself; doing it here keeps names predictable.
    name = " ".join(title.replace("::", ": ").split()).strip(" :")
    return name or "coursegen"


def subdeck_name(course_title: str, lesson: Lesson, rank: int) -> str:
    """`Course::NN Lesson title`: numbered so Anki's alphabetical subdeck walk follows the ramp."""
    return f"{deck_name(course_title)}::{rank:02d} {deck_name(lesson.title)}"


def package_path(course: Course, decks_dir: Path) -> Path:
    """Where the course's package is written: `<decks_dir>/<course-id slug>.apkg`."""
    return Path(decks_dir) / f"{slugify(course.id, 'course')}.apkg"


def render_citation(view: CitationView) -> str:
    """One citation as HTML: the verbatim quote, then speaker, episode title and time link."""
    # tex2jax_ignore: a quote is data, so MathJax must not typeset a `\(` someone said.
    quote = f'<blockquote class="tex2jax_ignore">{escape_html(view.quote)}</blockquote>'
    # <bdi> isolates each transcript string, so a stray right-to-left override in a speaker's
    # name cannot reorder the rest of the line.
    meta: list[str] = []
    if view.speaker:
        meta.append(f"<b><bdi>{escape_html(view.speaker)}</bdi></b>")
    meta.append(f"<i><bdi>{escape_html(view.episode_title)}</bdi></i>")
    if view.time_label and view.url:
        meta.append(f'<a href="{escape_html(view.url)}">{escape_html(view.time_label)}</a>')
    elif view.time_label:
        meta.append(escape_html(view.time_label))
    elif view.url:
        meta.append(f'<a href="{escape_html(view.url)}">link</a>')
    if view.line_label:
        meta.append(escape_html(view.line_label))
    return quote + '<div class="meta tex2jax_ignore">' + " · ".join(meta) + "</div>"


def _attribution(card: Card, index: SourceIndex) -> str:
    """Credit every episode the card cites: title, speakers where known, link."""
    credits: list[str] = []
    for episode_id in index.episode_ids_of(card.citations):
        episode = index.episodes.get(episode_id)
        if episode is None:
            credits.append(escape_html(episode_id))
            continue
        text = f"<i><bdi>{escape_html(episode.title)}</bdi></i>"
        if episode.speakers:
            text += " — " + ", ".join(f"<bdi>{escape_html(s)}</bdi>" for s in episode.speakers)
        url = safe_url(episode.url)
        if url:
            text += f' — <a href="{escape_html(url)}">{escape_html(url)}</a>'
        credits.append(text)
    return '<span class="tex2jax_ignore">Source: ' + "; ".join(credits) + "</span>" if credits else ""


def _tags(card: Card, level: int | None, index: SourceIndex, retired: Collection[str]) -> list[str]:
    tags = card_tags(card, level, index)
    if card.identity in retired:
        tags.add(RETIRED_TAG)
    return sorted(tags)


def build_note(course: Course, card: Card, due: int, index: SourceIndex,
               retired: Collection[str] = ()) -> genanki.Note:
    """The genanki note of one card; GUID from its identity, `due` its ramp position."""
    lessons = {lesson.id: lesson for lesson in course.lessons}
    concepts = {concept.id: concept for concept in course.concepts}
    lesson = lessons.get(card.lesson)
    concept = concepts.get(card.concept)
    source = "".join(render_citation(index.view(c)) for c in card.citations)
    lesson_html = escape_html(lesson_labels(course).get(card.lesson, card.lesson))
    concept_html = escape_html(concept.name if concept else card.concept)
    attribution = _attribution(card, index)
    if card.kind == "cloze":
        if not cloze_numbers(card.front):
            raise CourseFileError(f"card {card.id}: a cloze card without a {{{{c1::…}}}} deletion",
                                  "run `coursegen validate` on the course and fix or rebuild it")
        fields = [cloze_html(card.front), generated_html(card.back), source, attribution, lesson_html,
                  concept_html, escape_html(card.concept), escape_html(card.identity)]
        model = CLOZE_MODEL
    else:
        fields = [generated_html(card.front), generated_html(card.back), source, attribution, lesson_html,
                  concept_html, escape_html(card.concept), escape_html(card.identity), ""]
        model = BASIC_MODEL
    return genanki.Note(
        model=model,
        fields=fields,
        tags=_tags(card, lesson.level if lesson else None, index, retired),
        guid=note_guid(card),
        due=due,
    )


def note_guid(card: Card) -> str:
    """The note GUID: a hash of the card's identity, never of its text."""
    return str(genanki.guid_for("coursegen-card", card.identity))


def new_card_positions(course: Course, previous: dict[str, int] | None = None) -> dict[str, int]:
    """Each card's new-card position (`due`), by identity.

    Without a previous package: 1, 2, … in ramp order. With one, cards it already held keep
    their position (Anki never moves a learner's existing cards) and new cards follow after the
    highest previous position, in ramp order, so an updating learner meets them next.
    """
    previous = previous or {}
    positions: dict[str, int] = {}
    next_position = max(previous.values(), default=0) + 1
    for card in cards_in_order(course):
        kept = previous.get(note_guid(card))
        if kept is not None:
            positions[card.identity] = kept
        else:
            positions[card.identity] = next_position
            next_position += 1
    return positions


def build_package(course: Course, subdecks: bool = False, retired: Collection[str] = (),
                  previous: PreviousPackage | None = None, same_course: bool = False) -> genanki.Package:
    """All cards in one deck named by the course title (or one subdeck per lesson).

    With the previous package, positions carry over and notes that left the course are shipped
    once more with the retired tag (see anki_history); `same_course` (the previous package was
    made from this very course) ships the ones it already retired again, as it did.
    """
    previous = previous or PreviousPackage()
    index = SourceIndex.of(course)
    main_deck = genanki.Deck(deck_id_for(course.id), deck_name(course.title),
                             description=escape_html(f"Generated by coursegen from {len(course.episodes)} "
                                                     "episode(s); quotes belong to their speakers."))
    decks: dict[str, genanki.Deck] = {}
    if subdecks:
        for rank, lesson in enumerate(lessons_in_order(course), start=1):
            decks[lesson.id] = genanki.Deck(_stable_id("subdeck", course.id, lesson.id),
                                            subdeck_name(course.title, lesson, rank))
    positions = new_card_positions(course, previous.positions)
    for card in cards_in_order(course):
        note = build_note(course, card, positions[card.identity], index, retired)
        decks.get(card.lesson, main_deck).add_note(note)
    # A learner importing this package fresh meets the retired notes last, after every card of
    # the course (their old positions put them among the first new cards).
    last = max(positions.values(), default=0)
    current = {note_guid(card) for card in course.cards}
    for note in retired_notes(previous, current, again=same_course, after=last):
        main_deck.add_note(note)
    return genanki.Package([main_deck, *decks.values()])


def package_bytes(package: genanki.Package, timestamp: float, fingerprint: str | None = None) -> bytes:
    """The .apkg bytes; deterministic for a given timestamp (fixed zip dates and ids).

    `fingerprint` (the course's, see course_io.course_fingerprint) goes into the zip comment.
    """
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "collection.anki2"
        conn = sqlite3.connect(db_path)
        try:
            cursor = conn.cursor()
            package.write_to_db(cursor, timestamp, itertools.count(int(timestamp * 1000)))
            conn.commit()
        finally:
            conn.close()
        db = db_path.read_bytes()
    date = time.gmtime(max(timestamp, 315532800))[:6]  # zip dates start in 1980
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if fingerprint is not None:
            archive.comment = package_stamp(fingerprint)
        for name, data in (("collection.anki2", db), ("media", b"{}")):
            info = zipfile.ZipInfo(name, date_time=date)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def export_anki(course: Course, decks_dir: Path, timestamp: float | None = None, subdecks: bool = False,
                retired: Collection[str] = (), use_previous: bool = True) -> list[Path]:
    """Write `<decks_dir>/<course>.apkg` atomically and return its path.

    Without an explicit timestamp the build time is used, bumped past the previous package's
    so that Anki (which updates a note only when the package is newer) always takes the update.
    With `use_previous`, the package already at that path decides positions and retired notes
    (see anki_history), but only when it is the previous version of this course: made from the
    course this build replaced (`course.build.previous_course`) or from this very course. A
    package of another course with the same id (another --out sharing the decks folder) is
    ignored. `retired` tags cards still in the course as retired.
    """
    path = package_path(course, decks_dir)
    fingerprint = course_fingerprint(course)
    on_disk = read_previous(path)
    ours = on_disk.course is not None and on_disk.course in {course.build.previous_course, fingerprint}
    previous = on_disk if use_previous and ours else PreviousPackage()
    if timestamp is None:
        timestamp = time.time()
        if on_disk.timestamp is not None and int(timestamp) <= on_disk.timestamp:
            timestamp = float(on_disk.timestamp + 1)
    # A rebuild or export with nothing changed writes the package it found, retired notes and all:
    # dropping them then left a learner who had not imported in between without the retired tag.
    same = on_disk.course == fingerprint
    package = build_package(course, subdecks=subdecks, retired=set(retired), previous=previous,
                            same_course=same)
    try:
        data = package_bytes(package, timestamp, fingerprint)
    except (ValueError, TypeError) as exc:  # genanki rejects e.g. malformed tags
        raise WriteError(f"cannot build the Anki package {path}: {exc}",
                         "check the course's card tags and fields") from exc
    atomic_write_bytes(path, data)
    return [path]


def package_summary(path: Path) -> tuple[int, int, int]:
    """(notes, cards, retired notes) in a written package."""
    notes = read_previous(path).notes.values()
    with zipfile.ZipFile(path) as archive, tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "collection.anki2"
        db_path.write_bytes(archive.read("collection.anki2"))
        conn = sqlite3.connect(db_path)
        try:
            cards = int(conn.execute("SELECT count() FROM cards").fetchone()[0])
        finally:
            conn.close()
    return len(notes), cards, sum(RETIRED_TAG in n.tags for n in notes)


def describe_package(path: Path) -> tuple[str, int]:
    """("140 notes, 140 cards; 5 retired note(s) tagged coursegen::retired", 5): what the build and
    export commands print after the deck's path (a learner must know to suspend the retired)."""
    notes, cards, retired = package_summary(path)
    extra = f"; {retired} retired note(s) tagged {RETIRED_TAG}" if retired else ""
    return f"{notes} notes, {cards} cards{extra}", retired


__all__ = [
    "BASIC_FIELDS", "BASIC_MODEL", "BASIC_MODEL_ID", "CLOZE_FIELDS", "CLOZE_MODEL", "CLOZE_MODEL_ID",
    "RETIRED_TAG", "build_package", "deck_id_for", "deck_name", "export_anki", "note_guid",
    "describe_package", "package_path", "package_summary", "read_previous",
]
