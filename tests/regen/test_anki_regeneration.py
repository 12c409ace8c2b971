"""Regenerating the seed course after a fifth episode arrives, seen from a learner's real Anki collection.

Four seeds are built (extractive engine) and exported; a learner imports the package and
studies some cards; the fifth seed is added, the course rebuilt and re-exported; the learner
imports the new package. Nothing may be duplicated or lose its history. Built once per module.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from coursegen.export._common import cards_in_order
from coursegen.export.anki import RETIRED_TAG, deck_name, export_anki, note_guid, read_previous
from coursegen.ir import Course
from coursegen.pipeline import BuildOptions, build_course

pytestmark = pytest.mark.anki

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
T1 = 1_800_000_000.0
T2 = T1 + 86_400  # the next day's build: a newer package, so Anki takes the updates


@dataclass
class Regenerated:
    old: Course
    new: Course
    first_package: Path
    second_package: Path
    changes: dict[str, Any]


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Regenerated:
    root = tmp_path_factory.mktemp("regen-anki")
    sources = root / "transcripts"
    sources.mkdir()
    seeds = sorted(SEEDS.iterdir())
    for seed in seeds[:4]:
        shutil.copy(seed, sources / seed.name)
    out, decks = root / "course", root / "decks"
    options = BuildOptions(engine="extractive", config=root / "coursegen.toml")  # no overrides file
    old = build_course([sources], out, options).course
    [package] = export_anki(old, decks, timestamp=T1)
    first = root / "first.apkg"
    shutil.copy(package, first)
    shutil.copy(seeds[4], sources / seeds[4].name)
    new = build_course([sources], out, options).course
    [second] = export_anki(new, decks, timestamp=T2)
    changes = json.loads((out / "changes.json").read_text(encoding="utf-8"))
    return Regenerated(old, new, first, second, changes)


def _import(col: Any, path: Path) -> Any:
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    request = ImportAnkiPackageRequest(package_path=str(path), options=ImportAnkiPackageOptions())
    return col.import_anki_package(request).log


def _study(col: Any, deck: str, count: int) -> list[int]:
    """Answer `count` new cards the way a learner does (Good); return their card ids."""
    col.decks.select(col.decks.id_for_name(deck))
    answered: list[int] = []
    while len(answered) < count:
        card = col.sched.getCard()
        assert card is not None, "the deck ran out of cards to study"
        if card.type == 0:
            answered.append(card.id)
        card.start_timer()
        col.sched.answerCard(card, 3)
    return answered


def _notes_by_identity(col: Any) -> dict[str, int]:
    notes: dict[str, int] = {}
    for nid in col.find_notes(""):
        identity = col.get_note(nid)["Identity"]
        assert identity not in notes, f"duplicate note for {identity}"
        notes[identity] = nid
    return notes


def _schedule(col: Any, card_id: int) -> tuple[int, int, int, int, int, int]:
    card = col.get_card(card_id)
    return card.nid, card.type, card.queue, card.due, card.ivl, card.reps


def test_regeneration_updates_a_learners_collection_in_place(
    regenerated: Regenerated, tmp_path: Path
) -> None:
    from anki.collection import Collection

    old, new = regenerated.old, regenerated.new
    old_ids = {c.identity for c in old.cards}
    new_ids = {c.identity for c in new.cards}
    assert new_ids - old_ids, "the fifth episode should add cards"
    assert deck_name(new.title) == deck_name(old.title), "the deck (matched by name) must not change"

    (tmp_path / "learner").mkdir()
    col = Collection(str(tmp_path / "learner" / "collection.anki2"))
    try:
        first_log = _import(col, regenerated.first_package)
        assert len(first_log.new) == len(old.cards) == col.note_count()
        before_notes = _notes_by_identity(col)
        studied = _study(col, deck_name(old.title), 12)
        schedule_before = {cid: _schedule(col, cid) for cid in studied}
        revlog = "select count() from revlog where cid = ?"
        revlog_before = {cid: col.db.scalar(revlog, cid) for cid in studied}
        assert all(n >= 1 for n in revlog_before.values())
        max_old_due = col.db.scalar("select max(due) from cards where type = 0")

        log = _import(col, regenerated.second_package)
        after_notes = _notes_by_identity(col)  # asserts: one note per identity, no duplicates

        # Every card of either build is there exactly once: retired ones are kept, never deleted.
        assert set(after_notes) == old_ids | new_ids
        assert len(log.new) == len(new_ids - old_ids)
        assert len(log.conflicting) == 0 and len(log.duplicate) == 0
        # Notes of cards both builds have keep their note ids; changed ones were updated in place.
        for identity in old_ids:
            assert after_notes[identity] == before_notes[identity]
        shipped = read_previous(regenerated.second_package).notes
        previous = read_previous(regenerated.first_package).notes
        changed = [g for g in shipped if g in previous and shipped[g].fields != previous[g].fields]
        assert changed, "the rebuild should change some kept notes (e.g. moved lessons)"
        assert len(log.updated) >= len(changed)
        by_guid = {col.get_note(nid).guid: nid for nid in after_notes.values()}
        for guid in changed:
            assert tuple(col.get_note(by_guid[guid]).fields) == shipped[guid].fields

        # Review history and scheduling are untouched.
        for cid in studied:
            assert _schedule(col, cid) == schedule_before[cid]
            assert col.db.scalar(revlog, cid) == revlog_before[cid]

        # New cards come after every card the learner already had, in ramp order.
        ramp = [note_guid(c) for c in cards_in_order(new) if c.identity not in old_ids]
        new_positions = [
            col.db.scalar("select min(due) from cards where nid = ?", by_guid[guid]) for guid in ramp
        ]
        assert min(new_positions) > max_old_due
        assert new_positions == sorted(new_positions)

        # Retired cards are reported and findable with the search the report prints.
        retired = sorted(old_ids - new_ids)
        assert regenerated.changes["cards"]["removed"] == retired
        if retired:
            assert regenerated.changes["retired_cards_search"] == f"tag:{RETIRED_TAG}"
            found = {col.get_note(n)["Identity"] for n in col.find_notes(f"tag:{RETIRED_TAG}")}
            assert found == set(retired)
    finally:
        col.close()


def test_change_report_counts_match_the_courses(regenerated: Regenerated) -> None:
    changes, old, new = regenerated.changes, regenerated.old, regenerated.new
    added = sorted({e.id for e in new.episodes} - {e.id for e in old.episodes})
    assert changes["episodes"]["added"] == added and len(added) == 1
    new_cards = {c.identity for c in new.cards} - {c.identity for c in old.cards}
    assert changes["cards"]["added"] == sorted(new_cards)
    assert changes["lessons"]["added"] == sorted({x.id for x in new.lessons} - {x.id for x in old.lessons})
    assert changes["calls_this_build"] == 0 and changes["calls_full_rebuild"] == 0  # extractive engine


def test_identities_do_not_churn_when_an_episode_is_added(regenerated: Regenerated) -> None:
    old, new = regenerated.old, regenerated.new
    # Lesson ids come from the concepts taught, not from positions: lessons were inserted
    # before existing ones, and every lesson teaching the same concepts kept its id.
    old_by_concepts = {frozenset(lesson.concepts): lesson for lesson in old.lessons}
    kept = [lesson for lesson in new.lessons if frozenset(lesson.concepts) in old_by_concepts]
    assert kept and all(lesson.id == old_by_concepts[frozenset(lesson.concepts)].id for lesson in kept)
    assert any(lesson.position != old_by_concepts[frozenset(lesson.concepts)].position for lesson in kept)
    # Concepts keep their ids; one renamed by the merge keeps the previous id.
    assert {c.id for c in old.concepts} <= {c.id for c in new.concepts} | {
        m["id"] for m in regenerated.changes["concepts_merged"]
    } | set(regenerated.changes["concepts"]["removed"])
    # Card identity is course/concept/fact key, and the GUID derives from it alone, so a
    # reworded card keeps its note. A card that moved to another concept word for word (a merge
    # folded its concept in) keeps the identity it had.
    before = {card.identity for card in old.cards}
    for card in new.cards:
        course_id, concept_id, fact = card.identity.split("/")
        assert course_id == new.id and len(fact) == 16
        assert concept_id == card.concept or card.identity in before, card.identity
        reworded = card.model_copy(update={"front": card.front + " (reworded)", "back": "other"})
        assert note_guid(reworded) == note_guid(card)
