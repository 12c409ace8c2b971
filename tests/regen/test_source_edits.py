"""An edited episode file: citations are re-resolved, and no item points at words that are not there."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from coursegen.citations import EpisodeIndex, locate_quote, materialize
from coursegen.evidence import cited_items
from coursegen.ir import Course
from coursegen.pipeline import BuildOptions, build_course
from coursegen.textnorm import words

SEED = Path(__file__).resolve().parents[2] / "seeds" / "003_9859fa03d6cc2246.txt"
NEW_OPENING = "[00:00:00.000 --> 00:00:00.500]   - Welcome back, this is a re-recorded opening.\n"


def _all_citations(course: Course) -> list[tuple[str, str, list[str], str]]:
    return [(item, c.episode, c.sentence_ids, c.quote) for item, c in cited_items(course)]


def test_edited_episode_relocates_moved_quotes_and_retires_items_whose_words_vanished(tmp_path: Path) -> None:
    sources, out = tmp_path / "src", tmp_path / "course"
    sources.mkdir()
    transcript = sources / SEED.name
    shutil.copy(SEED, transcript)
    options = BuildOptions(engine="extractive", config=tmp_path / "none.toml")
    old = build_course([sources], out, options).course

    # The instructor re-cuts the episode: a new opening turn (every later passage shifts) and
    # the lines holding one card's quoted sentence removed.
    [episode] = old.episodes
    sentences = {s.id: s for p in episode.passages for s in p.sentences}
    victim = next(c for c in old.cards if len(c.citations) == 1 and len(c.citations[0].sentence_ids) == 1)
    cut = sentences[victim.citations[0].sentence_ids[0]]
    lines = transcript.read_text(encoding="utf-8").splitlines(keepends=True)
    cut_lines = range(cut.line_start, cut.line_end + 1)
    kept = [line for number, line in enumerate(lines, start=1) if number not in cut_lines]
    transcript.write_text(NEW_OPENING + "".join(kept), encoding="utf-8")

    new = build_course([sources], out, options).course
    [edited] = new.episodes
    assert edited.sha256 != episode.sha256
    index = EpisodeIndex(new.episodes)

    # Every citation of the new course names exactly the words it quotes, in the edited file.
    for item, episode_id, ids, quote in _all_citations(new):
        assert materialize(index, episode_id, ids).quote == quote, item
    # The removed words are cited nowhere, and the card that quoted them is retired.
    assert locate_quote(edited, victim.citations[0].quote) is None
    assert victim.identity not in {c.identity for c in new.cards}
    assert all(quote != victim.citations[0].quote for *_, quote in _all_citations(new))

    changes = json.loads((out / "changes.json").read_text(encoding="utf-8"))
    assert changes["episodes"]["changed"][0]["id"] == episode.id
    evidence = changes["evidence"]
    assert evidence["changed_episodes"] == [episode.id]
    vanished = next(v for v in evidence["vanished"] if v["quote"] == victim.citations[0].quote)
    assert vanished["after"] is None and vanished["outcomes"][f"card {victim.identity}"] == "retired"
    assert victim.identity in changes["cards"]["removed"]
    # Quotes that survived were found again at their new (shifted) sentence ids; the old ids
    # now name other words, which is why nothing may reuse them.
    assert evidence["moved"]
    new_index_text = {s.id: s.text for p in edited.passages for s in p.sentences}
    for moved in evidence["moved"]:
        relocated = " ".join(new_index_text[i] for i in moved["after"])
        assert " ".join(words(relocated)).find(" ".join(words(moved["quote"]))[:40]) >= 0
    stale = evidence["moved"][0]
    assert " ".join(new_index_text.get(i, "") for i in stale["before"]) != stale["quote"]
