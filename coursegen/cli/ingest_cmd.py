"""`coursegen ingest`: parse transcripts into episodes."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from coursegen.cli import app, err_console
from coursegen.config_file import find_config_file
from coursegen.errors import NothingIngested
from coursegen.fsutil import atomic_write_text
from coursegen.ingest import IngestReport, ignored_note, ingest_paths
from coursegen.ingest.speakers import load_speaker_map
from coursegen.ir import Episode, IngestResult


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(..., help="Transcript files or folders (searched recursively)."),
    json_out: Path | None = typer.Option(None, "--json", help="Write {'episodes': [...]} to this file."),
    strict: bool = typer.Option(False, "--strict", help="Exit non-zero if any file fails."),
    config: Path | None = typer.Option(
        None,
        "--config",
        help="coursegen.toml with speaker maps, speakers.<episode-id> tables (default: ./coursegen.toml).",
    ),
) -> None:
    """Parse transcripts (any supported format) and show what was found."""
    speakers = load_speaker_map(find_config_file(explicit=config), required=config is not None)
    report = ingest_paths(paths, speakers)
    for error in report.errors:
        err_console.print(f"[bold red]ERROR[/] {escape(error.message)}", highlight=False, soft_wrap=True)
    note = ignored_note(report.ignored)
    if note:  # not an error: --strict does not fail on a recording next to its transcript
        err_console.print(escape(note), highlight=False, soft_wrap=True)
    if report.episodes:
        Console().print(episode_table(report))
    if json_out is not None and report.episodes:
        result = IngestResult(episodes=report.episodes)
        atomic_write_text(json_out, result.model_dump_json(indent=2) + "\n")
    if not report.episodes:
        raise NothingIngested("nothing was ingested", "give transcript files or folders that hold them")
    if strict and report.errors:
        err_console.print(
            f"[bold red]ERROR[/] {len(report.errors)} file(s) failed (--strict)", highlight=False
        )
        raise typer.Exit(1)


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    whole = int(round(seconds))
    return f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"


def episode_duration(episode: Episode) -> float | None:
    """Seconds from the first to the last timed passage, None when untimed."""
    starts = [p.start for p in episode.passages if p.start is not None]
    ends = [p.end for p in episode.passages if p.end is not None]
    return max(ends) - min(starts) if starts and ends else None


def episode_table(report: IngestReport) -> Table:
    """The summary table: one row per episode."""
    table = Table(title="Ingested episodes")
    for column in ("episode", "format", "passages", "words", "duration", "speakers"):
        numeric = column in ("passages", "words", "duration")
        table.add_column(column, justify="right" if numeric else "left", overflow="fold")
    for episode in report.episodes:
        words = sum(len(s.text.split()) for p in episode.passages for s in p.sentences)
        table.add_row(
            escape(episode.id),
            escape(episode.format),
            str(len(episode.passages)),
            str(words),
            _clock(episode_duration(episode)),
            escape(", ".join(episode.speakers)) or "-",
        )
    return table
