"""Seed speech rendered into every format: each parser must give back exactly that speech.

The fixtures (tests/fixtures/formats/generated, made by make_fixtures.py) carry each
format's real-world quirks; expected.json holds what the generator wrote: the spoken
tokens in order, the first start and last end, speakers and language.
"""

from __future__ import annotations

import pytest

from coursegen.ingest.detect import parser_by_name
from coursegen.ir import FORMATS
from tests.ingest.formats.conftest import GENERATED, LEAKS, MANIFEST, assert_cues_traceable, parse
from tests.ingest.trace import tokens

NAMES = sorted(MANIFEST)


def test_every_standard_format_has_generated_fixtures() -> None:
    formats = {entry["format"] for entry in MANIFEST.values()}
    assert formats == {
        "srt", "webvtt", "youtube-vtt", "youtube-srv1", "youtube-srv3", "youtube-json3",
        "youtube-transcript-api", "whisper-json", "podcast-json", "rev-json", "otter-text",
        "sbv", "ttml", "plain-text",
    }  # fmt: skip
    # The names are the IR's contract, and each has exactly one registered parser.
    assert formats <= set(FORMATS)
    assert all(parser_by_name(fmt).name == fmt for fmt in formats)
    # Realistic sizes: hundreds of cues from each seed.
    assert all(entry["cues"] >= 200 for entry in MANIFEST.values())


@pytest.mark.parametrize("name", NAMES)
def test_parser_recovers_the_rendered_speech(name: str) -> None:
    expected = MANIFEST[name]
    path = GENERATED / name
    fmt, parsed = parse(path)
    assert fmt == expected["format"]
    assert parsed.format == expected["format"]
    spoken = [t for cue in parsed.cues for t in tokens(cue.text)]
    assert spoken == expected["tokens"].split(), "speech lost, invented or reordered"
    assert len(parsed.cues) >= 30


@pytest.mark.parametrize("name", NAMES)
def test_times_are_exact_to_the_millisecond(name: str) -> None:
    expected = MANIFEST[name]
    _, parsed = parse(GENERATED / name)
    first, last = parsed.cues[0], parsed.cues[-1]
    if expected["timed"]:
        assert first.start is not None and round(first.start, 3) == expected["first_start"]
        if expected["last_end"] is None:
            assert last.end is None
        else:
            assert last.end is not None and round(last.end, 3) == expected["last_end"]
        starts = [cue.start for cue in parsed.cues]
        assert all(start is not None for start in starts)
        for cue in parsed.cues:
            assert cue.start is not None
            assert cue.end is None or cue.end >= cue.start, cue
            # Times carry no float noise beyond the millisecond.
            assert cue.start == round(cue.start, 3)
    else:
        assert all(cue.start is None and cue.end is None for cue in parsed.cues)


@pytest.mark.parametrize("name", NAMES)
def test_speakers_and_language(name: str) -> None:
    expected = MANIFEST[name]
    _, parsed = parse(GENERATED / name)
    assert parsed.speakers == expected["speakers"]
    if expected["speakers"]:
        turns = sum(1 for cue in parsed.cues if cue.new_turn)
        changes = sum(1 for a, b in zip(parsed.cues, parsed.cues[1:], strict=False) if a.speaker != b.speaker)
        assert turns >= changes > 0
    if expected["language"]:
        assert parsed.language == expected["language"]


@pytest.mark.parametrize("name", NAMES)
def test_no_format_syntax_leaks_into_text(name: str) -> None:
    _, parsed = parse(GENERATED / name)
    for cue in parsed.cues:
        assert cue.text == cue.text.strip() and cue.text, cue
        assert not LEAKS.search(cue.text), f"{name}: format syntax in {cue.text!r}"


@pytest.mark.parametrize("name", NAMES)
def test_each_cue_points_at_its_own_lines(name: str) -> None:
    path = GENERATED / name
    _, parsed = parse(path)
    assert_cues_traceable(path, parsed)


def test_srt_drops_distributor_ads_in_first_and_last_cue() -> None:
    for name in ("srt-003.srt", "srt-004.srt"):
        raw = (GENERATED / name).read_bytes().decode("cp1252")
        assert "OpenSubtitles" in raw and "VIP member" in raw
        _, parsed = parse(GENERATED / name)
        text = " ".join(cue.text for cue in parsed.cues)
        assert "OpenSubtitles" not in text and "VIP" not in text and "explosiveskull" not in text


def test_youtube_vtt_keeps_each_phrase_once_although_the_file_repeats_it() -> None:
    path = GENERATED / "youtube-vtt-003.en.vtt"
    raw = path.read_text("utf-8")
    _, parsed = parse(path)
    first_phrase = parsed.cues[0].text
    assert raw.count(first_phrase) >= 2  # shown in the snapshot and carried into the next cue
    assert [cue.text for cue in parsed.cues].count(first_phrase) == 1
    # Word timings mark each new row exactly, so the assembler need not remove overlaps.
    assert parsed.rolling is False
