"""The CLI side of regeneration: the build's one-line change summary and `coursegen diff`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coursegen.cli import main

SEED = Path(__file__).resolve().parents[2] / "seeds" / "003_9859fa03d6cc2246.txt"


def _build_args(out: Path) -> list[str]:
    """An offline build of seed 003 into `out`, exports off."""
    return ["build", str(SEED), "--out", str(out), "--engine", "extractive", "--no-export"]


def _changes_line(capsys: pytest.CaptureFixture[str]) -> str:
    """The build's one-line change summary from what it printed."""
    return next(x for x in capsys.readouterr().out.splitlines() if x.startswith("changes:"))


def test_build_prints_what_changed_and_diff_prints_the_same_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "course"
    args = _build_args(out)
    assert main(args) == 0
    assert (
        "changes: first build; 0 model calls (a full rebuild: 0) — see changes.md" in capsys.readouterr().out
    )
    first = tmp_path / "first.json"
    first.write_bytes((out / "course.json").read_bytes())
    assert main([*args, "--title", "Renamed course"]) == 0
    line = _changes_line(capsys)
    assert (
        line
        == "changes: title changed (a new Anki deck name); 0 model calls (a full rebuild: 0) — see changes.md"
    )

    assert main(["diff", str(first), str(out / "course.json"), "--json", str(tmp_path / "d.json")]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("# Changes in “Renamed course”")
    report = json.loads((tmp_path / "d.json").read_text(encoding="utf-8"))
    # A new title does not change the course id (fixed once); the report warns about the deck name.
    assert "Anki matches decks by name" in printed
    first_id = json.loads(first.read_text(encoding="utf-8"))["id"]
    assert report["old_course"] == report["new_course"] == first_id


def test_diff_of_a_missing_or_broken_file_is_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    assert main(["diff", str(broken), str(tmp_path / "nope.json")]) != 0
    err = capsys.readouterr().err
    assert "broken.json: not valid JSON" in err and "Traceback" not in err


def test_a_damaged_previous_course_stops_the_build_with_a_tip(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "course"
    out.mkdir()
    (out / "course.json").write_text('{"schema_version": 1, "id": ', encoding="utf-8")
    assert main(_build_args(out)) != 0
    err = capsys.readouterr().err
    assert "previous course unreadable" in err and "not valid JSON" in err and "move " in err
    assert "Traceback" not in err
    assert (out / "course.json").read_text(encoding="utf-8") == '{"schema_version": 1, "id": '


def test_a_rebuild_that_changes_nothing_keeps_the_last_change_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # An instructor who rebuilds twice before publishing must still read what the last change was.
    out = tmp_path / "course"
    args = [*_build_args(out), "--title", "Renamed course"]
    assert main(_build_args(out)) == 0
    assert main(args) == 0
    report = (out / "changes.md").read_text(encoding="utf-8"), (out / "changes.json").read_bytes()
    assert "Anki matches decks by name" in report[0]
    capsys.readouterr()
    assert main(args) == 0
    assert _changes_line(capsys) == (
        "changes: none since the last build; 0 model calls (a full rebuild: 0); "
        "changes.md still describes the last change"
    )
    assert ((out / "changes.md").read_text(encoding="utf-8"), (out / "changes.json").read_bytes()) == report
