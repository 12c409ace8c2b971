"""`coursegen export`: write Anki decks, the lesson site and quiz files from a built course.json."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from coursegen.cli import app
from coursegen.course_io import load_course
from coursegen.export import FORMATS, export_course, parse_formats

console = Console(highlight=False, soft_wrap=True)


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
    course = load_course(course_file)
    out_dir = out if out is not None else course_file.parent
    written = export_course(course, out_dir, chosen, decks_dir=decks, subdecks=subdecks)
    from coursegen.export.anki import describe_package  # genanki only when exporting

    for path in written:
        if path.suffix == ".apkg":
            console.print(f"Anki deck: {_display(path)}  ({describe_package(path)[0]})", markup=False)
    others = [p for p in written if p.suffix != ".apkg"]
    if others:
        console.print(f"Wrote {len(others)} file(s) for {', '.join(c for c in chosen if c != 'anki')} "
                      f"under {_display(out_dir)}")
