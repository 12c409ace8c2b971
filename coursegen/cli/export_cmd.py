"""`coursegen export`: write Anki decks, the lesson site and quiz files from a built course.json."""

from __future__ import annotations

import importlib
from pathlib import Path

import typer
from pydantic import ValidationError
from rich.console import Console

from coursegen.cli import app
from coursegen.errors import CourseFileError
from coursegen.export import FORMATS, export_course, parse_formats
from coursegen.ir import SCHEMA_VERSION, Course

console = Console(highlight=False, soft_wrap=True)


def _load_course(path: Path) -> Course:
    """Load with the shared `coursegen.course_io.load_course` (it migrates old schemas) when present."""
    # TODO: import course_io directly once branch `validate` is merged, and drop the fallback.
    try:
        course_io = importlib.import_module("coursegen.course_io")
    except ImportError:
        return _load_course_fallback(path)
    course: Course = course_io.load_course(path)
    return course


def _load_course_fallback(path: Path) -> Course:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CourseFileError(f"{path}: no such file", "give the course.json a build wrote") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CourseFileError(f"{path}: cannot read: {exc}", "give the course.json a build wrote") from None
    try:
        course = Course.model_validate_json(text)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ())) or "top level"
        problem = f"{exc.error_count()} problem(s); first at {where}: {first['msg']}"
        raise CourseFileError(
            f"{path}: not a valid course file ({problem})",
            "rebuild it with `coursegen build`, or fix the field named",
        ) from None
    if course.schema_version > SCHEMA_VERSION:
        raise CourseFileError(f"{path}: written by a newer coursegen (schema {course.schema_version})",
                              "upgrade coursegen to export this course")
    return course


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@app.command()
def export(
    course_file: Path = typer.Argument(..., help="The course.json written by `coursegen build`."),
    formats: list[str] = typer.Option(
        ["all"], "--format", "-f",
        help=f"What to write: {', '.join(FORMATS)} or all. Repeat the option or give a comma list.",
    ),
    out: Path | None = typer.Option(None, "--out", "-o", help="Output folder (default: the course file's)."),
    decks: Path = typer.Option(Path("decks"), "--decks", help="Where Anki packages go (default: ./decks)."),
    subdecks: bool = typer.Option(
        False, "--subdecks", help="One Anki subdeck per lesson (renamed whenever the ramp changes)."
    ),
) -> None:
    """Export a built course: Anki deck, lesson site, QTI/GIFT quizzes, Markdown, CSV, JSON."""
    chosen = parse_formats(formats)
    course = _load_course(course_file)
    out_dir = out if out is not None else course_file.parent
    written = export_course(course, out_dir, chosen, decks_dir=decks, subdecks=subdecks)
    from coursegen.export.anki import RETIRED_TAG, package_summary  # genanki only when exporting

    for path in written:
        if path.suffix == ".apkg":
            notes, cards, retired = package_summary(path)
            extra = f"; {retired} retired note(s) tagged {RETIRED_TAG}" if retired else ""
            console.print(f"Anki deck: {_display(path)}  ({notes} notes, {cards} cards{extra})")
    others = [p for p in written if p.suffix != ".apkg"]
    if others:
        console.print(f"Wrote {len(others)} file(s) for {', '.join(c for c in chosen if c != 'anki')} "
                      f"under {_display(out_dir)}")
