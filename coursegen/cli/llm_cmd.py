"""`coursegen config` and `coursegen batch import`: thin commands over coursegen.config / coursegen.llm."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from coursegen.cli import app
from coursegen.config import effective_settings, load_settings
from coursegen.llm.accounting import BATCH_DISCOUNT, cost_of, format_cost, format_summary
from coursegen.llm.batch import import_batch_output
from coursegen.llm.cache import ResponseCache, default_cache_path
from coursegen.llm.types import Usage

batch_app = typer.Typer(help="OpenAI Batch API files (half price for big courses).", no_args_is_help=True)
app.add_typer(batch_app, name="batch")
console = Console()


@app.command("config")
def config_command(
    config: Path | None = typer.Option(
        None, "--config", help="coursegen.toml to read (default: OUT/coursegen.toml, else ./coursegen.toml)."
    ),
    out: Path | None = typer.Option(
        None, "--out", help="Course folder: show the settings `build --out OUT` would use."
    ),
    model: str | None = typer.Option(None, "--model", help="Model name (overrides COURSEGEN_MODEL)."),
    base_url: str | None = typer.Option(None, "--base-url", help="OpenAI-compatible base URL."),
    check: bool = typer.Option(False, "--check", help="Also make one small structured call to the endpoint."),
) -> None:
    """Show the effective LLM settings and where each came from (API key masked)."""
    settings = load_settings(flags={"model": model, "base_url": base_url}, config_path=config, out_dir=out)
    table = Table("setting", "value", "from", title="coursegen LLM settings")
    for name, value, source in effective_settings(settings):
        table.add_row(escape(name), escape(value), escape(source))  # values may hold brackets
    console.print(table)
    if check:
        # Imported here: they pull in `openai`, which `coursegen config` alone does not need.
        from coursegen.llm.selftest import run_selftest
        from coursegen.llm.setup import engine_banner

        console.print(engine_banner(settings), highlight=False, markup=False)
        result = run_selftest(
            settings, notify=lambda text: console.print(text, highlight=False, markup=False)
        )
        console.print(
            f"check passed in {result.seconds:.1f} s "
            f"({result.sent_calls} answer(s) from the server, mode {result.mode}): "
            f"topic {result.answer.topic!r}, sentences {', '.join(result.answer.sentence_ids)}",
            highlight=False,
            markup=False,
        )
        console.print(format_summary(result.usage), highlight=False, markup=False)


@batch_app.command("import")
def batch_import_command(
    results: Path = typer.Argument(..., help="The Batch API output file (JSONL)."),
    out: Path | None = typer.Option(
        None, "--out", help="Build folder whose cache to fill (default: COURSEGEN_HOME)."
    ),
    model: str | None = typer.Option(
        None, "--model", help="The build's model, for the price (default: as the build: env, coursegen.toml)."
    ),
    config: Path | None = typer.Option(
        None, "--config", help="coursegen.toml to read (default: OUT/coursegen.toml, else ./coursegen.toml)."
    ),
) -> None:
    """Load a Batch API output file into the LLM cache; rerun the same build to continue from it."""
    # The course's own settings (same lookup as `build --out OUT`), so the price is its model's.
    settings = load_settings(flags={"model": model}, config_path=config, out_dir=out)
    cache = ResponseCache(default_cache_path(settings.home, out))
    try:
        report = import_batch_output(results, cache)
    finally:
        cache.close()
    usage = Usage(report.prompt_tokens, report.completion_tokens)
    cost = cost_of(usage, settings.price_for())
    batch_cost = None if cost is None else cost * BATCH_DISCOUNT
    console.print(
        f"imported {report.imported} answer(s) into {cache.path} "
        f"({report.already_cached} already cached, {len(report.failed)} failed); "
        f"{usage.prompt_tokens} in + {usage.completion_tokens} out tokens, "
        f"~{format_cost(batch_cost)} at Batch prices for {settings.model} "
        f"(model from {settings.sources.get('model', 'default')})",
        highlight=False,
        markup=False,  # paths and sources such as "coursegen.toml [llm]" hold brackets
        soft_wrap=True,
    )
    for custom_id, reason in sorted(report.failed):
        console.print(f"  failed {custom_id[:16]}: {reason}", highlight=False)
