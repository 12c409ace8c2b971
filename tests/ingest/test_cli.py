"""`coursegen ingest` through main(): table, JSON, error lines, exit codes, speaker map."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coursegen.cli import main
from coursegen.ir import IngestResult
from tests.ingest.conftest import SEEDS


def test_ingest_seeds_writes_json_and_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out" / "episodes.json"
    assert main(["ingest", str(SEEDS), "--json", str(out)]) == 0
    result = IngestResult.model_validate_json(out.read_text(encoding="utf-8"))
    assert len(result.episodes) == 5
    assert list(json.loads(out.read_text(encoding="utf-8"))) == ["episodes"]
    shown = capsys.readouterr()
    assert "seed-analysis" in shown.out and "whisper-cpp" in shown.out
    assert "ERROR" not in shown.err
    assert not list(out.parent.glob(".*.tmp")), "atomic write left a temp file"


def test_same_input_same_json(tmp_path: Path) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    assert main(["ingest", str(SEEDS), "--json", str(first)]) == 0
    assert main(["ingest", str(SEEDS), "--json", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()


def test_bad_file_gets_one_line_and_others_still_ingest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty.srt").write_bytes(b"")
    (tmp_path / "blob.bin.txt").write_bytes(bytes(range(256)) * 4)
    good = tmp_path / "talk.txt"
    good.write_text((SEEDS / "003_9859fa03d6cc2246.txt").read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "o.json"
    assert main(["ingest", str(tmp_path), "--json", str(out)]) == 0
    err = capsys.readouterr().err
    error_lines = [line for line in err.splitlines() if line.startswith("ERROR")]
    assert len(error_lines) == 2, err
    assert any("empty.srt" in line and "empty" in line for line in error_lines)
    assert any("blob.bin.txt" in line and "binary" in line for line in error_lines)
    assert "Traceback" not in err
    assert [e["id"] for e in json.loads(out.read_text())["episodes"]] == ["talk"]
    assert main(["ingest", str(tmp_path), "--strict"]) != 0
    # A recording next to its transcript is said, not an error: --strict still passes on it.
    (tmp_path / "empty.srt").unlink()
    (tmp_path / "blob.bin.txt").unlink()
    out.unlink()  # the --json output above is no transcript either
    (tmp_path / "talk.mp3").write_bytes(b"ID3")
    capsys.readouterr()
    assert main(["ingest", str(tmp_path), "--strict"]) == 0
    assert "left out 1 file(s) that are no transcript: 1 .mp3" in capsys.readouterr().err


def test_nothing_ingested_exits_non_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty.vtt").write_text("", encoding="utf-8")
    assert main(["ingest", str(tmp_path / "empty.vtt")]) != 0
    assert main(["ingest", str(tmp_path / "missing.srt")]) != 0
    err = capsys.readouterr().err
    assert "missing.srt" in err and "no such file" in err
    assert "Traceback" not in err


def test_empty_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "nothing"
    folder.mkdir()
    (folder / ".hidden.srt").write_text("1\n00:00:01,000 --> 00:00:02,000\nhi\n", encoding="utf-8")
    assert main(["ingest", str(folder)]) != 0
    assert "no transcript files" in capsys.readouterr().err


def test_speaker_map_names_labels(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    talk = tmp_path / "talk.txt"
    talk.write_text(
        "\n".join(
            f"[00:00:{i:02d}.000 --> 00:00:{i + 1:02d}.000]  (speaker {i % 2}) Sentence number {i} is here."
            for i in range(40)
        )
        + "\n",
        encoding="utf-8",
    )
    (tmp_path / "coursegen.toml").write_text(
        '[speakers.talk]\n"Speaker 1" = "Ada Lovelace"\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "o.json"
    assert main(["ingest", "talk.txt", "--json", str(out)]) == 0
    episode = IngestResult.model_validate_json(out.read_text()).episodes[0]
    assert episode.speakers == ["Ada Lovelace", "Speaker 2"]
    assert {p.speaker for p in episode.passages} == {"Ada Lovelace", "Speaker 2"}


def test_bad_speaker_map_is_a_config_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "coursegen.toml"
    config.write_text("[speakers.talk]\nx = 3\n", encoding="utf-8")
    assert main(["ingest", str(SEEDS), "--config", str(config)]) != 0
    assert "speakers.talk" in capsys.readouterr().err
