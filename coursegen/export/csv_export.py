"""Flashcards as CSV for other tools: `DIR/csv/<course>-cards.csv` with front, back, source, tags."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from coursegen.export._common import SourceIndex, card_tags, cards_in_order, lessons_in_order, one_line
from coursegen.fsutil import atomic_write_text, slugify
from coursegen.ir import Card, Course

CSV_DIR = "csv"
HEADER = ("front", "back", "source", "tags")
# A cell starting with one of these is run as a formula by spreadsheet programs.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(text: str) -> str:
    """Plain one-line text; a leading formula character is defused with a `'` (OWASP advice)."""
    value = one_line(text)
    return "'" + value if value.startswith(_FORMULA_START) else value


def _source(card: Card, index: SourceIndex) -> str:
    parts = []
    for citation in card.citations:
        view = index.view(citation)
        where = ", ".join(x for x in (view.speaker, view.episode_title, view.time_label) if x)
        parts.append(f'"{one_line(view.quote)}" — {where}' + (f" ({view.url})" if view.url else ""))
    return " | ".join(parts)


def cards_csv(course: Course) -> str:
    """The CSV text: a header, then one row per card in ramp order."""
    index = SourceIndex.of(course)
    levels = {lesson.id: lesson.level for lesson in lessons_in_order(course)}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    for card in cards_in_order(course):
        tags = " ".join(sorted(card_tags(card, levels.get(card.lesson), index)))
        writer.writerow([cell(card.front), cell(card.back), cell(_source(card, index)), tags])
    return buffer.getvalue()


def export_csv(course: Course, out_dir: Path) -> list[Path]:
    """Write the cards CSV (UTF-8, comma-separated, quoted where needed)."""
    path = Path(out_dir) / CSV_DIR / f"{slugify(course.id, 'course')}-cards.csv"
    atomic_write_text(path, cards_csv(course))
    return [path]
