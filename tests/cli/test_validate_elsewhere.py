"""`coursegen validate DIR/course.json` from another folder than the build's (review finding 1)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from coursegen.cli import main


def test_validate_from_another_folder_finds_the_sources(
    built_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    course_path = built_project / "out" / "course.json"
    data = json.loads(course_path.read_text(encoding="utf-8"))
    assert data["episodes"][0]["source"] == "src/talk.txt"  # the path as given stays the contract
    # Recorded beside the cache, not in course.json (which must not depend on where it is built):
    # relative to the course folder first (survives moving the whole project), then absolute.
    assert "source_paths" not in data["build"]
    record = built_project / "out" / ".cache" / "source_paths.json"
    recorded = json.loads(record.read_text(encoding="utf-8"))
    assert recorded == {"talk": ["../src/talk.txt", str((built_project / "src" / "talk.txt").resolve())]}
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    capsys.readouterr()
    assert main(["validate", str(course_path)]) == 0
    out = capsys.readouterr().out
    assert "= 100.0%" in out and "missing" not in out


def test_a_project_moved_as_a_whole_still_finds_its_sources(
    built_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    moved = tmp_path / "elsewhere" / "moved"
    shutil.move(str(built_project), moved)
    monkeypatch.chdir(tmp_path)
    capsys.readouterr()
    assert main(["validate", str(moved / "out" / "course.json")]) == 0
    assert "= 100.0%" in capsys.readouterr().out


def test_missing_sources_are_one_clear_error_not_invalid_quotes(
    built_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    moved = tmp_path / "moved"
    shutil.move(str(built_project), moved)  # sources and course moved together: recorded path gone
    shutil.move(str(moved / "src"), tmp_path / "kept")
    capsys.readouterr()
    assert main(["validate", str(moved / "out" / "course.json")]) == 1
    captured = capsys.readouterr()
    assert "Citation validity" not in captured.out  # no misleading 0% figure
    lines = [line for line in captured.err.splitlines() if line.strip()]
    assert lines[0].startswith("ERROR src/talk.txt: source transcript of episode talk not found")
    assert lines[1] == (
        "TIP pass --sources DIR, the folder holding the transcripts (files are looked up by name)"
    )
    assert len(lines) == 2 and "Traceback" not in captured.err
    assert main(["validate", str(moved / "out" / "course.json"), "--sources", str(tmp_path / "kept")]) == 0
    assert "= 100.0%" in capsys.readouterr().out


def test_sources_folder_without_the_file_names_it(
    built_project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (built_project / "src" / "talk.txt").unlink()
    empty = tmp_path / "empty"
    empty.mkdir()
    capsys.readouterr()
    assert main(["validate", str(built_project / "out" / "course.json"), "--sources", str(empty)]) == 1
    err = capsys.readouterr().err
    assert f"--sources {empty} holds no file named talk.txt" in err
