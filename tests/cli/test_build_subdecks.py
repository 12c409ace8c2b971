"""`coursegen build --subdecks` passes through to the Anki export (finding 3), checked in real Anki."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from coursegen.cli import main
from tests.cli.conftest import make_project
from tests.export.conftest import import_apkg


@pytest.fixture
def anki_collection(tmp_path: Path) -> Iterator[Any]:
    """A fresh Anki collection, closed afterwards."""
    from anki.collection import Collection

    (tmp_path / "learner").mkdir()
    col = Collection(str(tmp_path / "learner" / "collection.anki2"))
    yield col
    col.close()


@pytest.mark.parametrize("subdecks", [True, False], ids=["subdecks", "one-deck"])
def test_build_subdecks_reach_anki(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, anki_collection: Any, subdecks: bool
) -> None:
    monkeypatch.chdir(make_project(tmp_path / "proj"))
    flags = ["--subdecks"] if subdecks else []
    args = ["build", "src/talk.txt", "--out", "out", "--engine", "extractive", "--format", "anki", *flags]
    assert main([*args, "--title", "GPU talk"]) == 0
    course = json.loads(Path("out/course.json").read_text(encoding="utf-8"))
    [package] = sorted(Path("decks").glob("*.apkg"))
    import_apkg(anki_collection, package)
    names = sorted(d.name for d in anki_collection.decks.all_names_and_ids() if d.name != "Default")
    lessons = [f"GPU talk::{n + 1:02d} {lesson['title']}" for n, lesson in enumerate(course["lessons"])]
    assert names == (sorted(["GPU talk", *lessons]) if subdecks else ["GPU talk"])
    if subdecks:
        first_lesson_cards = [c for c in course["cards"] if c["lesson"] == course["lessons"][0]["id"]]
        assert len(anki_collection.find_cards(f'"deck:{lessons[0]}"')) == len(first_lesson_cards) > 0
