"""Full ingestion of every standard-format fixture: episodes that trace back to their lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from coursegen.ingest import ingest_file
from tests.ingest.formats.conftest import GENERATED, MANIFEST, REAL, prepare
from tests.ingest.formats.test_real_files import EXPECTED
from tests.ingest.trace import assert_traceable, tokens

SEEDS = Path(__file__).resolve().parents[3] / "seeds"

CASES = [(GENERATED / name, entry["format"]) for name, entry in sorted(MANIFEST.items())] + [
    (REAL / name, fmt) for name, (fmt, _) in sorted(EXPECTED.items())
]


@pytest.mark.parametrize(("source", "fmt"), CASES, ids=[p.name for p, _ in CASES])
def test_ingested_fixture_is_traceable(source: Path, fmt: str) -> None:
    episode = ingest_file(source)
    assert episode.format == fmt
    # Tags become spaces: one-line srv1 XML has `</text><text ...>` between two words.
    assert_traceable(episode, source, prepare=prepare)


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_timed_fixture_has_times_on_every_passage(name: str) -> None:
    expected = MANIFEST[name]
    episode = ingest_file(GENERATED / name)
    if not expected["timed"]:
        assert all(p.start is None for p in episode.passages)
        return
    assert all(p.start is not None for p in episode.passages)
    assert episode.passages[0].start == expected["first_start"]
    sentences = [s for p in episode.passages for s in p.sentences]
    assert all(s.start is not None and s.end is not None for s in sentences)
    starts = [s.start for s in sentences]
    assert starts == sorted(starts), "sentence times go backwards"
    if expected["speakers"]:
        assert episode.speakers == expected["speakers"]


def _spoken(episode_path: Path) -> list[str]:
    episode = ingest_file(episode_path)
    return [t for p in episode.passages for s in p.sentences for t in tokens(s.text)]


@pytest.mark.parametrize("name", sorted(n for n, e in MANIFEST.items() if e["seed"] == "003"))
def test_same_speech_in_any_format_ingests_to_the_same_words(name: str) -> None:
    # Seed 003 itself (whisper.cpp console text) is the reference: rendered into any format,
    # the same speech must come out word for word — nothing lost as a false "repeat"
    # (YouTube VTT's "thousands and thousands and thousands"), nothing added.
    reference = _spoken(SEEDS / "003_9859fa03d6cc2246.txt")
    assert _spoken(GENERATED / name) == reference
