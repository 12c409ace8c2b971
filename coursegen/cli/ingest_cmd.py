"""`coursegen ingest`: parse transcripts into episodes."""

from __future__ import annotations

from pathlib import Path

import typer

from coursegen.cli import app


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(..., help="Transcript files or folders (searched recursively)."),
    json_out: Path | None = typer.Option(None, "--json", help="Write {'episodes': [...]} to this file."),
    strict: bool = typer.Option(False, "--strict", help="Exit non-zero if any file fails."),
) -> None:
    """Parse transcripts (any supported format) and show what was found."""
    raise typer.Exit(0)
