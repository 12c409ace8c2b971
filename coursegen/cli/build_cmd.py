"""`coursegen build`: transcripts in, a cited course (course.json) out."""

from __future__ import annotations

import shlex
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from coursegen.cli import app
from coursegen.engines.llm.choice import LLMFlags, llm_settings_for_build
from coursegen.errors import UsageError
from coursegen.llm.accounting import format_summary
from coursegen.llm.types import StagePending
from coursegen.pipeline import BuildOptions, BuildResult, build_course
from coursegen.regen import check_course_id, summary_line


def _print_summary(result: BuildResult, console: Console) -> None:
    summary = result.summary()
    table = Table(title=f"Built {result.course_path}", show_header=False, title_justify="left")
    table.add_column("figure", style="bold")
    table.add_column("value")
    validity = summary["citation_validity"]
    rows = [
        ("engine", str(summary["engine"])),
        ("episodes", str(summary["episodes"])),
        ("concepts", str(summary["concepts"])),
        ("lessons", str(summary["lessons"])),
        ("questions", str(summary["questions"])),
        ("cards", str(summary["cards"])),
        ("dropped items", str(summary["dropped"])),
        (
            "concepts without items",
            f"{summary['concepts_untested']} dropped,"
            f" {summary['concepts_half_tested']} lack a card or question",
        ),
        ("citation validity", "-" if validity is None else f"{validity:.1%}"),
        ("validation errors", str(summary["validation_errors"])),
        ("model calls / cost", f"{summary['model_calls']} / ${summary['cost_usd']:.4f}"),
        ("stages reused / recomputed", f"{summary['reused']} / {summary['recomputed']}"),
        ("time", f"{summary['seconds']:.1f} s"),
    ]
    for name, value in rows:
        table.add_row(name, value)
    console.print(table)
    if result.exported:
        # Lines that carry a path: never wrapped inside it, never read as markup ("[draft]/").
        where = result.course_path.parent
        console.print(f"exported {len(result.exported)} files under {where}", markup=False, soft_wrap=True)
        packages = sorted(p for p in result.exported if p.suffix == ".apkg")
        if packages:
            from coursegen.export.anki import describe_package  # genanki: only with a deck

        for package in packages:
            contents, retired = describe_package(package)
            line = f"Anki deck: {package}  ({contents})"
            console.print(line, highlight=False, markup=False, soft_wrap=True)
            left = len(result.changes.cards.removed) if result.changes is not None else 0
            if left and not retired:
                # The retired notes come from the last package in --decks (./decks by default):
                # a build run from another folder finds none there, and nothing says so otherwise.
                console.print(
                    f"[yellow]warning[/] {left} card(s) left the course, but "
                    f"{escape(str(package.parent.resolve()))} holds no package "
                    "of its previous version, so learners are not told to retire them: rebuild with "
                    "--decks pointing at the folder of the last package",
                    highlight=False,
                )
    for error in result.ingest_errors:
        console.print(f"[yellow]skipped[/] {escape(error.message)}", highlight=False)
    from coursegen.ingest import ignored_note

    note = ignored_note(result.ignored_files)
    if note:  # a PDF or a recording next to the transcripts is left out, and says so
        console.print(note, highlight=False, markup=False)


@app.command()
def build(
    sources: list[Path] = typer.Argument(..., metavar="SOURCES...", help="Transcript files or folders."),
    out: Path = typer.Option(..., "--out", "-o", help="Folder for course.json (and its stage cache)."),
    engine: str = typer.Option(
        "auto", "--engine", help="auto | llm | extractive (auto: llm when configured)."
    ),
    title: str | None = typer.Option(None, "--title", help="Course title (default: from its top concepts)."),
    course_id: str | None = typer.Option(
        None,
        "--course-id",
        help="Fixed course id (default: kept from DIR/course.json, else the title's slug).",
    ),
    level: int = typer.Option(1, "--level", min=1, max=5, help="Audience level 1-5: where the ramp starts."),
    max_lessons: int | None = typer.Option(None, "--max-lessons", min=1, help="Keep the first N lessons."),
    episodes: list[str] | None = typer.Option(
        None, "--episodes", help="Only these episode ids (glob patterns allowed; repeat the option)."
    ),
    language: str | None = typer.Option(
        None, "--language", help="Course language (default: the transcripts')."
    ),
    no_cache: bool = typer.Option(
        False, "--no-cache", help="Recompute every stage (the cache is rewritten)."
    ),
    no_export: bool = typer.Option(
        False, "--no-export", help="Write course.json only: no decks, site or quiz files."
    ),
    formats: list[str] | None = typer.Option(
        None, "--format", help="Export only these formats (repeat or comma list; default: all)."
    ),
    decks: Path = typer.Option(
        Path("decks"), "--decks", help="Folder for the Anki decks (default: ./decks)."
    ),
    model: str | None = typer.Option(None, "--model", help="LLM engine: model name (default: config)."),
    base_url: str | None = typer.Option(
        None, "--base-url", help="LLM engine: OpenAI-compatible endpoint, e.g. http://127.0.0.1:8080/v1."
    ),
    concurrency: int | None = typer.Option(
        None, "--concurrency", min=1, help="LLM engine: model calls in flight at once (default 8)."
    ),
    max_cost: float | None = typer.Option(
        None, "--max-cost", min=0.0, help="LLM engine: never spend more dollars than this (default 1.00)."
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="LLM engine: print the calls, tokens and dollars it needs; send nothing."
    ),
    batch_out: Path | None = typer.Option(
        None, "--batch-out", help="LLM engine: write the next stage's calls as OpenAI Batch input (JSONL)."
    ),
    subdecks: bool = typer.Option(
        False, "--subdecks", help="One Anki subdeck per lesson (renamed whenever the ramp changes)."
    ),
    config: Path | None = typer.Option(
        None, "--config", help="coursegen.toml to read (default: OUT/coursegen.toml, else ./coursegen.toml)."
    ),
) -> None:
    """Build a course: ingest, concepts, merge, ramp, lessons, assessment, validate, write course.json."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: exists and is not a folder", "pass a folder path for the course")
    if course_id is not None:  # before any banner, estimate or --dry-run (build_course checks it too)
        check_course_id(course_id, "--course-id", "pass --course-id {slug}")
    if formats and not no_export:
        # A typo ("ankii") is a usage error before any work, not after a whole build has written
        # course.json and changes.md (the rerun's report would then say "no changes").
        from coursegen.export import parse_formats

        parse_formats(formats)
    console = Console(stderr=True)
    flags = LLMFlags(
        engine=engine, model=model, base_url=base_url, concurrency=concurrency, max_cost=max_cost,
        dry_run=dry_run, batch_out=batch_out, language=language, config=config,
    )
    settings = llm_settings_for_build(flags, out)
    llm = None
    if settings is not None:
        # Imported here: the LLM engine pulls in `openai`, which an extractive build never needs.
        from coursegen.engines.llm.wiring import dry_run_report, ready_llm_engine

        def say(text: str) -> None:
            console.print(text, highlight=False, markup=False)

        llm = ready_llm_engine(settings, flags, out, say)
    if llm is not None and dry_run:
        try:
            print(dry_run_report(llm, sources, episodes or None, language))
        finally:
            llm.close()
        return
    options = BuildOptions(
        engine=engine,
        title=title,
        course_id=course_id,
        level=level,
        max_lessons=max_lessons,
        episodes=episodes or None,
        language=language,
        use_cache=not no_cache,
        export_formats=None if no_export else (formats or ["all"]),
        decks_dir=decks,
        subdecks=subdecks,
        engine_object=llm,
        config=config,
    )
    try:
        result = _run_build(console, sources, out, options)
    except StagePending:
        assert llm is not None and llm.client.batch is not None and batch_out is not None
        count = llm.client.batch.write()
        console.print(
            batch_next_steps(count, batch_out, out, model, config),
            highlight=False, markup=False, soft_wrap=True,
        )
        return
    finally:
        if llm is not None:
            llm.close()
    _print_summary(result, Console())
    if result.changes is not None:
        Console().print(summary_line(result.changes), highlight=False, markup=False, soft_wrap=True)
    if llm is not None:
        Console().print(format_summary(llm.client.usage_summary()), highlight=False, markup=False)


def batch_next_steps(
    count: int, batch_out: Path, out: Path, model: str | None = None, config: Path | None = None
) -> str:
    """What `build --batch-out` prints after writing a stage's requests: the exact next commands."""
    # `batch import` prices the answers by the build's model: pass on what came from flags
    # (env and OUT/coursegen.toml it finds by itself).
    model_flag = f" --model {shlex.quote(model)}" if model else ""
    model_flag += f" --config {shlex.quote(str(config))}" if config is not None else ""
    return "\n".join(
        [
            f"wrote {count} request(s) to {batch_out} (OpenAI Batch input format); nothing was sent.",
            "Next:",
            f"  1. run {batch_out} with the OpenAI Batch API and download its output file (OUTPUT.jsonl)",
            f"  2. coursegen batch import OUTPUT.jsonl --out {shlex.quote(str(out))}{model_flag}",
            "  3. then rerun the same build command keeping --batch-out: it reuses the imported answers "
            "and writes the next stage's requests; repeat until it prints the course summary",
        ]
    )


def _run_build(console: Console, sources: list[Path], out: Path, options: BuildOptions) -> BuildResult:
    """build_course under per-stage progress bars."""
    with Progress(
        TextColumn("{task.description:<11}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
        disable=not console.is_terminal,
    ) as progress:
        tasks: dict[str, TaskID] = {}

        def report(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=total)
            progress.update(tasks[stage], completed=done, total=total)

        options.progress = report
        return build_course(sources, out, options)
