"""Bad input gets one clear InputError naming the file and the reason; nothing else is lost."""

from __future__ import annotations

import codecs
import os
import time
from pathlib import Path

import pytest

from coursegen.errors import InputError
from coursegen.ingest import MAX_FILE_BYTES, ignored_note, ingest_file, ingest_paths
from tests.ingest.conftest import SEEDS
from tests.ingest.trace import assert_traceable

WHISPER_SEED = SEEDS / "003_9859fa03d6cc2246.txt"


def _error(path: Path) -> InputError:
    with pytest.raises(InputError) as caught:
        ingest_file(path)
    assert str(path) in caught.value.message
    return caught.value


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"   \n\n\t\n", "empty"),
        (b"\x00\x01\x02binary\x00" * 50, "binary"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "binary"),
        (b"\x81\x8d\x8f\x90\x9d" * 20, "undecodable"),
    ],
)
def test_unreadable_content(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "bad.srt"
    path.write_bytes(content)
    assert reason in _error(path).reason


@pytest.mark.parametrize(
    "content",
    [
        "".join(f"[00:00:{i:02d}.000 --> 00:00:{i + 1:02d}.000]\n" for i in range(30)),
        "".join(f"[{i // 60:02d}:{i % 60:02d}]\n\n" for i in range(30)),
        "[Music]\n[Applause]\n(laughing)\n",
        "[00:01]\n[00:02]\n",
        "1\n00:00:01,000 --> 00:00:02,000\n\n2\n00:00:02,000 --> 00:00:03,000\n<i></i>\n",
    ],
)
def test_only_timestamps_or_markup(tmp_path: Path, content: str) -> None:
    path = tmp_path / "stamps.txt"
    path.write_text(content, encoding="utf-8")
    assert "no transcript text" in _error(path).reason


def test_folder_given_as_file_and_missing_file(tmp_path: Path) -> None:
    assert "no such file" in _error(tmp_path / "nope.vtt").reason
    report = ingest_paths([tmp_path / "nope.vtt", tmp_path])
    assert report.episodes == []
    assert [e.path for e in report.errors] == [str(tmp_path), str(tmp_path / "nope.vtt")]
    assert "no transcript files" in report.errors[0].reason


def test_too_large_is_refused_without_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: costs no disk
    error = _error(path)
    assert "limit" in error.reason and "MB" in error.reason


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-8", b""),
        ("utf-8", codecs.BOM_UTF8),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-16-le", b""),
        ("utf-16-be", b""),
    ],
)
def test_encodings_and_crlf_keep_lines(tmp_path: Path, encoding: str, bom: bytes) -> None:
    text = WHISPER_SEED.read_text(encoding="utf-8").replace("\n", "\r\n")
    path = tmp_path / "talk.txt"
    path.write_bytes(bom + text.encode(encoding))
    episode = ingest_file(path)
    reference = ingest_file(WHISPER_SEED, episode_id="talk")
    assert [p.model_dump(exclude={"id"}) for p in episode.passages] == [
        p.model_dump(exclude={"id"}) for p in reference.passages
    ]
    assert_traceable(episode, path)


def test_cp1252_fallback(tmp_path: Path) -> None:
    lines = [
        f"[00:00:{i:02d}.000 --> 00:00:{i + 1:02d}.000]   Caf\xe9 na\xefve \u201cquote\u201d {i}."
        for i in range(20)
    ]
    path = tmp_path / "legacy.txt"
    path.write_bytes("\r\n".join(lines).encode("cp1252"))
    episode = ingest_file(path)
    first = episode.passages[0].sentences[0]
    assert first.text == "Caf\xe9 na\xefve \u201cquote\u201d 0."
    assert_traceable(episode, path)


def test_mixed_folder_good_files_still_ingest(tmp_path: Path) -> None:
    for seed in SEEDS.iterdir():
        (tmp_path / seed.name).write_bytes(seed.read_bytes())
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "noise.dat").write_bytes(bytes(range(256)) * 64)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "stamps.txt").write_text("[00:01]\n[00:02]\n[00:03]\n", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (tmp_path / "talk.mp3").write_bytes(b"ID3")
    (tmp_path / "sub" / "slides.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / ".hidden.png").write_bytes(b"\x89PNG")
    (tmp_path / "coursegen.toml").write_text("[course]\n", encoding="utf-8")  # skipped, no note
    report = ingest_paths([tmp_path])
    assert len(report.episodes) == 5
    assert sorted(Path(e.path).name for e in report.errors) == ["empty.txt", "noise.dat", "stamps.txt"]
    # A recording or slides beside the transcripts are left out, and the report says which.
    assert [p.name for p in report.ignored] == ["slides.pdf", "talk.mp3"]  # sub/slides.pdf sorts first
    assert ignored_note(report.ignored) == "left out 2 file(s) that are no transcript: 1 .mp3, 1 .pdf"
    assert ignored_note([]) is None


def test_office_files_tables_and_a_readme_beside_the_transcripts_are_left_out(tmp_path: Path) -> None:
    (tmp_path / "talk.txt").write_bytes(WHISPER_SEED.read_bytes())
    # Each of these was read as a one-line plain-text "episode" (or a binary-file error).
    (tmp_path / "episodes.csv").write_text("name,url\ntalk,https://example.org\n", encoding="utf-8")
    (tmp_path / "README.md").write_text("# My course\n\nThe episodes for week 1.\n", encoding="utf-8")
    (tmp_path / "LICENSE").write_text("All rights reserved.\n", encoding="utf-8")
    (tmp_path / "slides.pptx").write_bytes(b"PK\x03\x04\x00\x00")
    report = ingest_paths([tmp_path])
    assert [e.id for e in report.episodes] == ["talk"] and not report.errors
    assert [p.name for p in report.ignored] == ["LICENSE", "README.md", "episodes.csv", "slides.pptx"]
    listed = "1 .csv, 1 .pptx, 1 LICENSE, 1 README.md"
    assert ignored_note(report.ignored) == f"left out 4 file(s) that are no transcript: {listed}"
    # A file named directly is always read.
    assert [e.id for e in ingest_paths([tmp_path / "README.md"]).episodes] == ["readme"]


def test_duplicate_stems_get_their_extension(tmp_path: Path) -> None:
    for suffix in (".txt", ".srt"):
        (tmp_path / f"Talk{suffix}").write_bytes(WHISPER_SEED.read_bytes())
    report = ingest_paths([tmp_path])
    assert [e.id for e in report.episodes] == ["talk-srt", "talk-txt"]
    assert report.episodes[0].passages[0].id == "talk-srt/p1"
    assert report.episodes[0].passages[0].sentences[0].id == "talk-srt/p1/s1"


def _big_whisper(path: Path, copies: int) -> None:
    body = WHISPER_SEED.read_text(encoding="utf-8")
    path.write_text(body * copies, encoding="utf-8")


def test_ingest_time_is_linear_in_size(tmp_path: Path) -> None:
    small, large = tmp_path / "small.txt", tmp_path / "large.txt"
    _big_whisper(small, 10)
    _big_whisper(large, 80)
    timings = []
    for path in (small, large):
        # CPU time of this process: other jobs on a shared machine do not distort it.
        best = float("inf")
        for _ in range(2):
            began = time.process_time()
            episode = ingest_file(path)
            best = min(best, time.process_time() - began)
            assert episode.passages
        timings.append(best)
    # 8x the input; linear means ~8x the time. Quadratic would be ~64x.
    assert timings[1] < 20 * max(timings[0], 0.01), timings


def test_lone_cr_line_breaks_count_as_lines(tmp_path: Path) -> None:
    path = tmp_path / "mac.txt"
    path.write_bytes(WHISPER_SEED.read_bytes().replace(b"\n", b"\r"))
    episode = ingest_file(path)
    reference = ingest_file(WHISPER_SEED)
    assert [(s.line_start, s.line_end) for p in episode.passages for s in p.sentences] == [
        (s.line_start, s.line_end) for p in reference.passages for s in p.sentences
    ]
    assert_traceable(episode, path)


def test_a_file_named_twice_is_ingested_once(tmp_path: Path) -> None:
    path = tmp_path / "talk.txt"
    path.write_bytes(WHISPER_SEED.read_bytes())
    report = ingest_paths([path, tmp_path, path])
    assert [e.id for e in report.episodes] == ["talk"] and report.errors == []


def test_devices_and_pipes_are_refused_without_reading(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.srt"
    os.mkfifo(fifo)  # opening it for reading would block forever
    assert "not a regular file" in _error(fifo).reason
    assert "not a regular file" in _error(Path("/dev/zero")).reason


def test_hidden_and_symlinked_folders_are_not_walked(tmp_path: Path) -> None:
    (tmp_path / "talks").mkdir()
    (tmp_path / "talks" / "a.txt").write_bytes(WHISPER_SEED.read_bytes())
    (tmp_path / "talks" / "loop").symlink_to(tmp_path / "talks", target_is_directory=True)
    (tmp_path / "talks" / ".cache").mkdir()
    (tmp_path / "talks" / ".cache" / "b.txt").write_bytes(WHISPER_SEED.read_bytes())
    report = ingest_paths([tmp_path / "talks"])
    assert [e.id for e in report.episodes] == ["a"] and report.errors == []
