"""`coursegen diff`: the change report between any two course.json files."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from coursegen.changes import compare_courses
from coursegen.changes_render import render_markdown
from coursegen.cli import app
from coursegen.course_io import load_course
from coursegen.fsutil import atomic_write_text


@app.command()
def diff(
    old_path: Path = typer.Argument(..., metavar="OLD.JSON", help="The earlier course.json."),
    new_path: Path = typer.Argument(..., metavar="NEW.JSON", help="The later course.json."),
    json_out: Path | None = typer.Option(None, "--json", help="Also write the report as JSON to this file."),
) -> None:
    """Print what changed between two courses (the same report a build writes to changes.md)."""
    old, new = load_course(old_path), load_course(new_path)  # both migrated to the current schema
    report = compare_courses(old, new)
    if json_out is not None:
        atomic_write_text(json_out, report.model_dump_json(indent=2) + "\n")
    # Plain text on purpose: the report is Markdown and holds transcript words, never markup.
    sys.stdout.write(render_markdown(report, old, new, is_build=False))
