"""The command line: thin typer commands that call one library function and print.

One handler turns CoursegenError into a red ERROR line plus a TIP and a non-zero exit;
`--debug` (or COURSEGEN_DEBUG=1) re-raises so the traceback shows.
"""

from __future__ import annotations

import os
import sys

import typer
from rich.console import Console
from rich.markup import escape

from coursegen.errors import CoursegenError

app = typer.Typer(
    name="coursegen",
    help="Turn transcripts into cited study courses: a ramp of lessons, Anki decks and quizzes.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err_console = Console(stderr=True)


@app.callback()
def _root() -> None:
    """Turn transcripts into cited study courses: a ramp of lessons, Anki decks and quizzes.

    Add --debug (or COURSEGEN_DEBUG=1) to any command to see tracebacks.
    """


def _register_commands() -> None:
    # Each area owns one module; importing it registers its commands on `app`.
    from coursegen.cli import (  # noqa: F401
        build_cmd,
        diff_cmd,
        export_cmd,
        ingest_cmd,
        llm_cmd,
        validate_cmd,
    )


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `coursegen` console script; returns the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = os.environ.get("COURSEGEN_DEBUG") == "1"
    if "--debug" in args:
        args.remove("--debug")
        debug = True
    _register_commands()
    try:
        # Standalone mode lets typer render usage errors and --help; it ends in SystemExit.
        app(args=args, prog_name="coursegen")
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except CoursegenError as exc:
        if debug:
            raise
        # Messages hold user paths and transcript text: escape them so `[...]` is printed, not parsed.
        err_console.print(f"[bold red]ERROR[/] {escape(exc.message)}", highlight=False, soft_wrap=True)
        if exc.tip:
            err_console.print(f"[yellow]TIP[/] {escape(exc.tip)}", highlight=False, soft_wrap=True)
        return exc.exit_code
    return 0
