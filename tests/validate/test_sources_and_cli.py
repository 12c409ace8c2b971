"""Edited and moved sources, the CLI's exit codes and report, and course.json I/O."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from coursegen.cli import main
from coursegen.course_io import MIGRATIONS, dump_course, load_course, migrate, save_course
from coursegen.errors import CourseFileError
from coursegen.ir import SCHEMA_VERSION, Course
from coursegen.validate import all_citations, validate_course
from tests.validate.coursebuilder import FIXTURES, SOURCE, build_clean_course, parse_talk


def _place(course: Course, folder: Path) -> Path:
    """Write the course next to a copy of its source, as a build would leave them."""
    (folder / "source").mkdir(parents=True)
    shutil.copy(SOURCE, folder / "source" / "talk.txt")
    path = folder / "course.json"
    save_course(course, path)
    return path


def test_edited_source_fails_exactly_the_affected_citations(clean_course: Course, tmp_path: Path) -> None:
    _place(clean_course, tmp_path)
    source = tmp_path / "source" / "talk.txt"
    lines = source.read_text(encoding="utf-8").split("\n")
    # Line 7 holds sentence talk/p1/s0; reword it after the build.
    lines[6] = "[00:00:18] Bob: A GPU was first built to draw pictures for games."
    source.write_text("\n".join(lines), encoding="utf-8")
    report = validate_course(clean_course, base_dir=tmp_path)
    stale = {f.item for f in report.findings if f.code == "CIT006"}
    expected_items = {
        q.id for q in clean_course.questions if any("talk/p1/s0" in c.sentence_ids for c in q.citations)
    }
    expected_items |= {
        c.id for c in clean_course.cards if any("talk/p1/s0" in x.sentence_ids for x in c.citations)
    }
    expected_items |= {
        f"{lesson.id}#block{n}"
        for lesson in clean_course.lessons
        for n, block in enumerate(lesson.blocks)
        if any("talk/p1/s0" in c.sentence_ids for c in block.citations)
    }
    expected_items |= {
        c.id for c in clean_course.concepts if any("talk/p1/s0" in x.sentence_ids for x in c.citations)
    }
    assert stale == expected_items
    assert len(stale) >= 3
    affected = sum(1 for c in all_citations(clean_course) if "talk/p1/s0" in c.sentence_ids)
    assert report.citations_valid == report.citations_total - affected
    assert {f.code for f in report.findings} == {"CIT006", "CIT008"}


def test_whitespace_and_case_edits_do_not_break_citations(clean_course: Course, tmp_path: Path) -> None:
    _place(clean_course, tmp_path)
    source = tmp_path / "source" / "talk.txt"
    text = source.read_text(encoding="utf-8").replace("matrix multiplication", "Matrix   Multiplication")
    source.write_text(text.replace("\n", "\r\n"), encoding="utf-8")
    report = validate_course(clean_course, base_dir=tmp_path)
    assert report.citation_validity_rate == 1.0
    assert [f.code for f in report.findings] == ["CIT008"]  # changed bytes, same words


def test_moved_course_finds_sources_by_name(clean_course: Course, tmp_path: Path) -> None:
    course_path = tmp_path / "moved" / "course.json"
    save_course(clean_course, course_path)
    sources = tmp_path / "elsewhere"
    sources.mkdir()
    shutil.copy(SOURCE, sources / "talk.txt")
    assert main(["validate", str(course_path)]) == 1  # the relative source path no longer resolves
    assert main(["validate", str(course_path), "--sources", str(sources)]) == 0


def test_cli_clean_fixture_exits_zero_with_full_validity(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "report.json"
    assert main(["validate", str(FIXTURES / "clean_course.json"), "--report", str(report)]) == 0
    out = capsys.readouterr().out
    assert "Citation validity: 24/24 = 100.0%" in out
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["ok"] is True and data["citations"]["validity_rate"] == 1.0


def test_cli_defect_fixture_exits_non_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "report.json"
    assert main(["validate", str(FIXTURES / "defect_course.json"), "--report", str(report)]) == 1
    out = capsys.readouterr().out
    assert "FAILED" in out and "RAMP001" in out
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["counts"]["by_code"]["CIT006"] == 1
    assert data["errors"] > 0 and data["citations"]["validity_rate"] < 1


def test_committed_fixtures_match_the_builder(clean_course: Course, defect_course: Course) -> None:
    assert (FIXTURES / "clean_course.json").read_text(encoding="utf-8") == dump_course(clean_course)
    assert (FIXTURES / "defect_course.json").read_text(encoding="utf-8") == dump_course(defect_course)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"{not json", "not valid JSON"),
        (b'{"id": "x"}', "no schema_version"),
        (b'{"schema_version": 99, "id": "x", "title": "t"}', "newer than this coursegen"),
        (b'{"schema_version": 1, "id": "x"}', "invalid course: title"),
        (b"[1, 2]", "not a course"),
    ],
)
def test_bad_course_files_give_one_line_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None, message: str
) -> None:
    path = tmp_path / "course.json"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(CourseFileError, match=message):
        load_course(path)
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert "ERROR" in err and str(path.name) in err and "Traceback" not in err


def test_save_is_deterministic_and_round_trips(clean_course: Course, tmp_path: Path) -> None:
    clean_course.build.timings = {"b": 2.0, "a": 1.0}
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    save_course(clean_course, first)
    save_course(load_course(first), second)
    assert first.read_bytes() == second.read_bytes()
    text = first.read_text(encoding="utf-8")
    assert text.endswith("}\n") and '"a": 1.0' in text.split('"b": 2.0')[0]
    assert load_course(first) == clean_course


def test_migrations_run_forward_step_by_step(monkeypatch: pytest.MonkeyPatch) -> None:
    def rename_title(data: dict[str, object]) -> dict[str, object]:
        data["title"] = data.pop("name")
        return data

    monkeypatch.setattr("coursegen.course_io.SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setitem(MIGRATIONS, SCHEMA_VERSION, rename_title)
    migrated = migrate({"schema_version": SCHEMA_VERSION, "name": "T", "id": "x"})
    assert migrated == {"schema_version": SCHEMA_VERSION + 1, "title": "T", "id": "x"}
    with pytest.raises(CourseFileError, match="no migration"):
        monkeypatch.delitem(MIGRATIONS, SCHEMA_VERSION)
        migrate({"schema_version": SCHEMA_VERSION, "id": "x"})


@pytest.mark.parametrize(
    ("codec", "line_end"),
    [("utf-8", "\r"), ("utf-16", "\n"), ("cp1252", "\r\n")],
    ids=["utf-8-lone-cr", "utf-16-bom", "cp1252-crlf"],
)
def test_sources_are_decoded_and_numbered_like_the_ingester(
    tmp_path: Path, codec: str, line_end: str
) -> None:
    # Accented text that is not valid UTF-8 in cp1252; line numbers must still match.
    text = SOURCE.read_text(encoding="utf-8").replace("Google", "G\u00f6\u00f6gle")
    course = build_clean_course(parse_talk(text))
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "talk.txt").write_bytes(text.replace("\n", line_end).encode(codec))
    report = validate_course(course, base_dir=tmp_path)
    assert report.citation_validity_rate == 1.0
    assert [f.code for f in report.findings] == ["CIT008"]  # other bytes, same words at the same lines


def test_item_findings_are_counted_per_episode(defect_course: Course) -> None:
    report = validate_course(defect_course, base_dir=FIXTURES)
    by_episode = report.counts("episode")
    # Course-wide findings (cycle, level jump, lesson shape) name no episode; item findings do.
    assert by_episode["talk"] > 20
    assert sum(by_episode.values()) == len(report.findings)
