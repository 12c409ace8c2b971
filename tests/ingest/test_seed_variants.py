"""The seed layouts survive what editors and scrapers do to them: CRLF, BOM, tabs, glued junk."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from coursegen.ingest import ingest_file
from coursegen.ir import Episode
from tests.ingest.conftest import SEEDS
from tests.ingest.trace import assert_traceable

SEED_FILES = sorted(SEEDS.iterdir())


def _texts(episode: Episode) -> list[tuple[str, float | None, int]]:
    return [(s.text, s.start, s.line_start) for p in episode.passages for s in p.sentences]


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name[:3])
def test_crlf_bom_and_trailing_spaces_change_nothing(tmp_path: Path, seed: Path) -> None:
    original = seed.read_text(encoding="utf-8")
    variant = "\r\n".join(
        line + "  " if line.strip() and not line.startswith(" ") else line for line in original.split("\n")
    )
    path = tmp_path / seed.name
    path.write_bytes(codecs.BOM_UTF8 + variant.encode("utf-8"))
    episode = ingest_file(path)
    reference = ingest_file(seed)
    assert episode.format == reference.format
    assert _texts(episode) == _texts(reference)
    assert episode.claims == reference.claims
    assert_traceable(episode, path)


def test_tab_indented_translations_stay_out(tmp_path: Path) -> None:
    seed = SEEDS / "004_81e8968b19920830.txt"
    text = "\n".join(
        "\t" + line.lstrip() if line.startswith("  ") else line
        for line in seed.read_text(encoding="utf-8").split("\n")
    )
    path = tmp_path / "tabs.txt"
    path.write_text(text, encoding="utf-8")
    assert _texts(ingest_file(path)) == _texts(ingest_file(seed))


def test_scraper_junk_glued_to_the_last_line(tmp_path: Path) -> None:
    seed = SEEDS / "002_06453bb8a140ced2.txt"
    text = seed.read_text(encoding="utf-8").rstrip("\n")
    text = text.removesuffix("\nLoading video analysis...") + " Loading video analysis..."
    path = tmp_path / "glued.txt"
    path.write_text(text, encoding="utf-8")
    episode = ingest_file(path)
    last = episode.passages[-1].sentences[-1].text
    assert "Loading" not in last and last.endswith("episode.")
    assert_traceable(episode, path)
