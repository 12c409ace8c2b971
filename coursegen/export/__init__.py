"""Exports of a built course: Anki decks, lesson site, QTI and GIFT quizzes, Markdown, CSV, JSON.

`export_course` is the one entry point the CLI and the build use; each format lives in its own
module and is imported only when asked for (the site pulls in jinja2 templates, Anki genanki).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from pathlib import Path

from coursegen.errors import UsageError
from coursegen.ir import Course

FORMATS = ("anki", "site", "qti", "gift", "markdown", "csv", "json")
ALL = "all"


def parse_formats(values: Sequence[str]) -> list[str]:
    """Normalise `--format` values (repeatable or comma lists, `all`) into known names, in order."""
    if isinstance(values, str):  # a lone "anki,gift" is one value, not a list of letters
        values = [values]
    chosen: list[str] = []
    for value in values:
        for name in (part.strip().lower() for part in value.split(",")):
            if not name:
                continue
            if name == ALL:
                names = list(FORMATS)
            elif name in FORMATS:
                names = [name]
            else:
                raise UsageError(
                    f"unknown export format {name!r}",
                    f"choose from {', '.join((*FORMATS, ALL))} (repeat --format or use a comma list)",
                )
            chosen.extend(n for n in names if n not in chosen)
    if not chosen:
        raise UsageError("no export format given", f"use --format with one of {', '.join((*FORMATS, ALL))}")
    return chosen


def export_course(
    course: Course,
    out_dir: Path,
    formats: Sequence[str] = (ALL,),
    decks_dir: Path | None = None,
    timestamp: float | None = None,
    subdecks: bool = False,
    retired: Collection[str] = (),
) -> list[Path]:
    """Write the chosen formats under `out_dir` (Anki packages under `decks_dir`); return the files.

    `decks_dir` defaults to `out_dir/decks`; `timestamp` (seconds) stamps the Anki package and
    defaults to the build time; `retired` lists card identities to tag `coursegen::retired`.
    """
    out_dir = Path(out_dir)
    written: list[Path] = []
    for name in parse_formats(formats):
        written.extend(_exporter(name, decks_dir, timestamp, subdecks, retired)(course, out_dir))
    return written


def _exporter(
    name: str, decks_dir: Path | None, timestamp: float | None, subdecks: bool, retired: Collection[str]
) -> Callable[[Course, Path], list[Path]]:
    if name == "anki":
        from coursegen.export.anki import export_anki

        return lambda course, out: export_anki(
            course, decks_dir if decks_dir is not None else out / "decks", timestamp, subdecks, retired
        )
    if name == "site":
        from coursegen.export.site import export_site

        return export_site
    if name == "qti":
        from coursegen.export.qti import export_qti

        return export_qti
    if name == "gift":
        from coursegen.export.gift import export_gift

        return export_gift
    if name == "markdown":
        from coursegen.export.markdown import export_markdown

        return export_markdown
    if name == "csv":
        from coursegen.export.csv_export import export_csv

        return export_csv
    from coursegen.export.json_export import export_json

    return export_json
