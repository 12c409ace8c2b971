"""`coursegen export` end to end through main(argv), no subprocess."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from coursegen.cli import main
from coursegen.export import export_course, parse_formats
from coursegen.ir import Course


@pytest.fixture
def course_file(course: Course, tmp_path: Path) -> Path:
    path = tmp_path / "build" / "course.json"
    path.parent.mkdir()
    path.write_text(course.model_dump_json(), encoding="utf-8")
    return path


def test_export_formats_to_out(course_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    code = main(["export", str(course_file), "--format", "anki,gift", "--format", "csv", "--out", str(out),
                 "--decks", str(tmp_path / "decks")])
    assert code == 0, capsys.readouterr()
    assert (tmp_path / "decks" / "sample-course.apkg").is_file()
    assert sorted(p.name for p in (out / "quizzes").iterdir()) == [
        "_placement.gift", "attention.gift", "scaling-laws.gift", "serving.gift"]
    assert (out / "csv" / "sample-course-cards.csv").is_file()
    assert not (out / "markdown").exists() and not (out / "qti").exists()
    printed = capsys.readouterr().out
    assert "Anki deck:" in printed and "sample-course.apkg" in printed and "(6 notes, 7 cards)" in printed


def test_all_formats_default_next_to_course(course_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The site is another module; stand in for it if it is not importable here.
    try:
        import coursegen.export.site  # noqa: F401
    except ImportError:
        fake = types.ModuleType("coursegen.export.site")
        fake.export_site = lambda course, out: []  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, "coursegen.export.site", fake)
    assert main(["export", str(course_file)]) == 0
    build = course_file.parent
    # Anki packages go to ./decks (the folder learners and instructors look in), the rest beside the course.
    assert (Path.cwd() / "decks" / "sample-course.apkg").is_file()
    for expected in ("qti/sample-course-qti.zip", "quizzes/serving.gift",
                     "markdown/01-attention.md", "csv/sample-course-cards.csv", "json/sample-course.json"):
        assert (build / expected).is_file(), expected


BAD_FILES = [None, "{not json", '{"id": "x", "schema_version": 1}', b"\xff\xfe\x00binary"]


@pytest.mark.parametrize("content", BAD_FILES)
def test_bad_course_file_is_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | bytes | None
) -> None:
    path = tmp_path / "course.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    assert main(["export", str(path), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("ERROR") and "Traceback" not in err
    assert str(path) in err.replace("\n", "")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        ("{not json", "not valid JSON"),
        ('{"id": "x"}', "no schema_version field"),
        ('{"id": "x", "schema_version": 1}', "title"),
        (b"\xff\xfe\x00binary", "not UTF-8 text"),
        ('{"id": "x", "title": "t", "schema_version": 99}', "is newer than this coursegen understands"),
    ],
)
def test_course_loader_messages(tmp_path: Path, content: str | bytes | None, message: str) -> None:
    from coursegen.course_io import load_course
    from coursegen.errors import CourseFileError

    path = tmp_path / "course.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(CourseFileError, match=message) as info:
        load_course(path)
    assert info.value.message.startswith(str(path))


def test_unknown_format_is_usage_error(course_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(course_file), "--format", "anki,pdf"]) == 2
    err = capsys.readouterr().err
    assert "unknown export format 'pdf'" in err and "TIP" in err


def test_parse_formats_all_and_order() -> None:
    assert parse_formats(["gift", "all"]) == ["gift", "anki", "site", "qti", "markdown", "csv", "json"]
    assert parse_formats(["CSV, json", "csv"]) == ["csv", "json"]
    assert parse_formats("anki,gift") == ["anki", "gift"]


def test_export_course_library_call(course: Course, tmp_path: Path) -> None:
    written = export_course(course, tmp_path, ["json", "anki"], timestamp=1_800_000_000.0, subdecks=True)
    assert written == [tmp_path / "json" / "sample-course.json", tmp_path / "decks" / "sample-course.apkg"]


def test_unwritable_out_is_one_line_error(course_file: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    assert main(["export", str(course_file), "--format", "gift", "--out", str(blocker)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("ERROR cannot write") and "Traceback" not in err and "TIP" in err
