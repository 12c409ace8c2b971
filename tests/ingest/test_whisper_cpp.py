"""whisper.cpp console output in the shapes real users paste, built from seed 003's cues."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coursegen.ingest import ingest_file
from coursegen.ingest.detect import choose_parser
from tests.ingest.conftest import SEEDS
from tests.ingest.trace import assert_traceable

SEED = SEEDS / "003_9859fa03d6cc2246.txt"
STAMP = re.compile(r"^\[(\S+) --> (\S+)\]\s+(.*)$")


def _seed_cues() -> list[tuple[str, str, str]]:
    cues = []
    for line in SEED.read_text(encoding="utf-8").split("\n"):
        match = STAMP.match(line)
        if match:
            cues.append((match.group(1), match.group(2), match.group(3)))
    return cues


def _short(stamp: str) -> str:
    """00:01:02.500 → 01:02,500 (hour-less, comma decimal)."""
    return stamp[3:].replace(".", ",")


def _write(tmp_path: Path, lines: list[str], newline: str = "\n") -> Path:
    path = tmp_path / "console.txt"
    path.write_bytes(newline.join(lines).encode("utf-8"))
    return path


def test_seed_has_hundreds_of_cues() -> None:
    assert len(_seed_cues()) > 200


def test_colour_codes_log_lines_and_crlf(tmp_path: Path) -> None:
    lines = [
        "whisper_init_from_file_with_params_no_state: loading model from 'models/ggml-base.en.bin'",
        "system_info: n_threads = 4 / 8 | AVX = 1 | AVX2 = 1 |",
        "main: processing 'talk.wav' (8429184 samples, 526.8 sec), 4 threads, 1 processors, lang = en",
        "",
    ]
    for start, end, text in _seed_cues():
        coloured = " ".join(f"\x1b[38;5;{160 + i % 5}m{word}\x1b[0m" for i, word in enumerate(text.split()))
        lines.append(f"[{start} --> {end}]  {coloured}")
    lines += [
        "",
        "whisper_print_timings:     load time =    61.64 ms",
        "output_txt: saving output to 'x.txt'",
    ]
    path = _write(tmp_path, lines, "\r\n")
    episode = ingest_file(path)
    assert episode.format == "whisper-cpp"
    reference = ingest_file(SEED)
    assert [s.text for p in episode.passages for s in p.sentences] == [
        s.text for p in reference.passages for s in p.sentences
    ]
    text = " ".join(s.text for p in episode.passages for s in p.sentences)
    assert "whisper_" not in text and "load time" not in text and "\x1b" not in text


def test_hourless_comma_stamps_and_tinydiarize_turns(tmp_path: Path) -> None:
    lines = []
    for start, end, text in _seed_cues():
        turn = text.startswith("- ")
        if turn and lines:
            lines[-1] += " [SPEAKER_TURN]"
        lines.append(f"[{_short(start)} --> {_short(end)}]  {text.removeprefix('- ')}")
    path = _write(tmp_path, lines)
    episode = ingest_file(path)
    reference = ingest_file(SEED)
    assert [(s.text, s.start, s.end) for p in episode.passages for s in p.sentences] == [
        (s.text, s.start, s.end) for p in reference.passages for s in p.sentences
    ]
    assert_traceable(episode, path)


def test_diarized_speakers_and_wrapped_lines(tmp_path: Path) -> None:
    lines = []
    speaker = 0
    for start, end, text in _seed_cues():
        if text.startswith("- "):
            speaker = 1 - speaker
        words = text.removeprefix("- ").split()
        half = len(words) // 2
        lines.append(f"[{start} --> {end}]  (speaker {speaker}) {' '.join(words[:half])}")
        lines.append(" ".join(words[half:]))  # a wrapped line continues the cue
    path = _write(tmp_path, lines)
    episode = ingest_file(path)
    assert episode.speakers == ["Speaker 1", "Speaker 2"]
    assert {p.speaker for p in episode.passages} == {"Speaker 1", "Speaker 2"}
    assert_traceable(episode, path)
    first = episode.passages[0].sentences[0]
    assert first.start == 0.0 and first.line_start == 1


@pytest.mark.parametrize("name", ["talk.srt", "talk.txt", "talk"])
def test_detected_by_content_not_extension(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(SEED.read_bytes())
    assert choose_parser(SEED.read_text(encoding="utf-8"), path).name == "whisper-cpp"
