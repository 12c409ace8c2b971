"""An episode's title may change (a better header, a friendlier name); its cards must not."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from coursegen.export.anki import note_guid
from coursegen.pipeline import BuildOptions, build_course

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SEED = "000_293b57aa9e5c01cf.txt"
CONTEXT = ("- The episode focuses on a discussion with Jeff Dean and Noam Shazir from Google about the past, "
           "present and future of AI technology at Google.")


def test_a_retitled_episode_keeps_its_id_and_card_guids(tmp_path: Path) -> None:
    sources, out = tmp_path / "transcripts", tmp_path / "course"
    sources.mkdir()
    shutil.copy(SEEDS / SEED, sources / SEED)
    options = BuildOptions(engine="extractive", config=tmp_path / "coursegen.toml")
    old = build_course([sources], out, options).course
    text = (sources / SEED).read_text(encoding="utf-8")
    assert CONTEXT in text
    (sources / SEED).write_text(text.replace(CONTEXT, "- This episode is about research at Google."),
                                encoding="utf-8")
    new = build_course([sources], out, options).course
    assert [e.title for e in old.episodes] != [e.title for e in new.episodes]
    assert new.episodes[0].title == "Research at Google"
    assert [e.id for e in old.episodes] == [e.id for e in new.episodes]
    assert old.cards and sorted(note_guid(c) for c in old.cards) == sorted(note_guid(c) for c in new.cards)
    changes = json.loads((out / "changes.json").read_text(encoding="utf-8"))
    # The report names the edited episode and no card coming or going.
    assert [e["id"] for e in changes["episodes"]["changed"]] == ["000-293b57aa9e5c01cf"]
    assert changes["cards"]["added"] == changes["cards"]["removed"] == []
