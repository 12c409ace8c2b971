"""`coursegen validate`: check a course.json against every quality rule."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from coursegen.cli import app
from coursegen.course_io import load_course
from coursegen.errors import UsageError
from coursegen.fsutil import atomic_write_text
from coursegen.validate import render, validate_course


@app.command()
def validate(
    course_path: Path = typer.Argument(..., metavar="COURSE.JSON", help="The course to check."),
    sources: Path | None = typer.Option(
        None, "--sources", help="Folder holding the source transcripts (looked up by file name)."
    ),
    report: Path | None = typer.Option(None, "--report", help="Write the JSON report to this file."),
) -> None:
    """Check citations, cards, questions and the ramp; exit 1 when any error remains."""
    if sources is not None and not sources.is_dir():
        raise UsageError(f"--sources {sources}: not a folder", "pass the folder holding the transcripts")
    course = load_course(course_path)
    result = validate_course(
        course, sources_dir=sources, base_dir=course_path.resolve().parent, require_sources=True
    )
    render(result, Console())
    if report is not None:
        atomic_write_text(report, result.to_json())
    if not result.ok:
        raise typer.Exit(1)
