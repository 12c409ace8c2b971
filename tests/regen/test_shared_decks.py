"""Two courses with the same id built into different --out folders share one --decks folder.

The package already in the decks folder is the previous version of a course only when it was
made from the course.json that this build replaced in the same --out; otherwise it belongs to
another course and must not decide positions or retired notes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from coursegen.course_io import course_fingerprint
from coursegen.export.anki import RETIRED_TAG, package_summary, read_previous
from coursegen.pipeline import BuildOptions, build_course

pytestmark = pytest.mark.anki

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _build(root: Path, out: str, seeds: list[Path], decks: Path, export: bool = True) -> Path:
    sources = root / f"{out}-sources"
    shutil.rmtree(sources, ignore_errors=True)
    sources.mkdir()
    for seed in seeds:
        shutil.copy(seed, sources / seed.name)
    options = BuildOptions(
        engine="extractive", course_id="shared", title="Shared", config=root / "coursegen.toml",
        export_formats=["anki"] if export else [], decks_dir=decks,
    )  # fmt: skip
    result = build_course([sources], root / out, options)
    if not export:
        assert not result.exported
        return root / out / "course.json"
    [package] = [p for p in result.exported if p.suffix == ".apkg"]
    return package


def test_another_out_with_the_same_course_id_does_not_retire_the_first_ones_cards(tmp_path: Path) -> None:
    seeds = sorted(SEEDS.iterdir())
    decks = tmp_path / "decks"
    first = _build(tmp_path, "a", [seeds[3]], decks)
    first_guids = set(read_previous(first).notes)
    second = _build(tmp_path, "b", [seeds[2]], decks)
    assert first == second  # same course id: same package path
    shipped = read_previous(second)
    notes, _, retired = package_summary(second)
    assert retired == 0 and not any(RETIRED_TAG in n.tags for n in shipped.notes.values())
    assert not first_guids & set(shipped.notes)  # none of a's notes (different episodes, different facts)
    assert sorted(shipped.positions.values()) == list(range(1, notes + 1))  # a fresh ramp order


def test_a_rebuild_in_the_same_out_still_retires_what_left_the_course(tmp_path: Path) -> None:
    seeds = sorted(SEEDS.iterdir())
    decks = tmp_path / "decks"
    first = _build(tmp_path, "a", [seeds[2], seeds[3]], decks)
    before = read_previous(first)
    assert before.course is not None
    second = _build(tmp_path, "a", [seeds[3]], decks)
    after = read_previous(second)
    gone = set(before.notes) - {g for g, n in after.notes.items() if RETIRED_TAG not in n.tags}
    assert gone, "dropping an episode should drop some cards"
    assert {g for g, n in after.notes.items() if RETIRED_TAG in n.tags} == gone
    kept = (set(before.notes) & set(after.notes)) - gone
    assert all(after.notes[g].position == before.notes[g].position for g in kept)
    # A learner importing the package fresh meets the retired notes after every card of the course.
    assert min(after.notes[g].position for g in gone) > max(after.notes[g].position for g in kept)


def test_a_no_export_rebuild_in_between_keeps_the_package_as_the_previous_one(tmp_path: Path) -> None:
    seeds = sorted(SEEDS.iterdir())
    decks = tmp_path / "decks"
    first = _build(tmp_path, "a", [seeds[2], seeds[3]], decks)
    before = read_previous(first)
    _build(tmp_path, "a", [seeds[3]], decks, export=False)  # the content changes, no export
    second = _build(tmp_path, "a", [seeds[3]], decks)  # unchanged content, exported
    after = read_previous(second)
    retired = {g for g, n in after.notes.items() if RETIRED_TAG in n.tags}
    assert retired and retired == set(before.notes) - {g for g in after.notes if g not in retired}


def test_the_package_names_the_course_it_was_made_from(tmp_path: Path) -> None:
    seeds = sorted(SEEDS.iterdir())
    package = _build(tmp_path, "a", [seeds[3]], tmp_path / "decks")
    from coursegen.course_io import load_course

    assert read_previous(package).course == course_fingerprint(load_course(tmp_path / "a" / "course.json"))
