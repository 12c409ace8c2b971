"""Moodle GIFT quizzes: `DIR/quizzes/<lesson>.gift`, one file per lesson in ramp order.

Text is HTML-escaped and marked `[html]`, then GIFT-escaped (`~ = # { } :` and `\\`), and every
question sits on lines without blank lines (a blank line ends a GIFT question).
"""

from __future__ import annotations

import html
from pathlib import Path

from coursegen.export._common import remove_stale
from coursegen.export._quiz import QuizItem, QuizSet, quiz_sets
from coursegen.fsutil import atomic_write_text, slugify
from coursegen.ir import Course

QUIZ_DIR = "quizzes"
_GIFT_SPECIALS = "~=#{}:"


def gift_escape(text: str) -> str:
    """Backslash-escape GIFT's specials (backslash first, so escapes are not doubled)."""
    out = text.replace("\\", "\\\\")
    for char in _GIFT_SPECIALS:
        out = out.replace(char, "\\" + char)
    return out


def gift_text(text: str) -> str:
    """Plain text → GIFT `[html]` text: HTML-escaped (so markup stays inert), then GIFT-escaped."""
    return gift_escape(html.escape(" ".join(text.split()), quote=False))


def gift_question(item: QuizItem) -> str:
    """One GIFT question (no blank lines inside)."""
    head = f"::{gift_escape(item.id)}::[html]{gift_text(item.stem)} {{"
    feedback = f"####{gift_text(item.feedback)}" if item.feedback else ""
    if item.kind == "mcq":
        lines = [("=" if i == item.correct_index else "~") + gift_text(option)
                 for i, option in enumerate(item.options)]
        body = "\n".join([head, *lines, *([feedback] if feedback else []), "}"])
    elif item.kind == "true_false":
        body = f"{head}{'TRUE' if item.truth else 'FALSE'}{feedback}}}"
    elif item.kind == "cloze":
        # A short-answer key is compared with what the student types, never rendered as HTML,
        # so it is GIFT-escaped only (HTML-escaping would make "a & b" unmatchable).
        body = f"{head}={gift_escape(' '.join(item.answer_text.split()))}{feedback}}}"
    else:  # short answer → essay; the model answer goes into the general feedback
        model = f"Model answer: {item.answer_text}"
        body = f"{head}####{gift_text(' '.join(x for x in (model, item.feedback) if x))}}}"
    return body


def quiz_gift(course: Course, quiz: QuizSet) -> str:
    """The GIFT file of one quiz, under its own question-bank category."""
    category = f"$CATEGORY: coursegen/{slugify(course.id, 'course')}/{quiz.slug}"
    return "\n\n".join([category, *(gift_question(item) for item in quiz.items)]) + "\n"


def export_gift(course: Course, out_dir: Path) -> list[Path]:
    """Write `out_dir/quizzes/<lesson-slug>.gift` per lesson with questions, and `_placement.gift`."""
    written: list[Path] = []
    for quiz in quiz_sets(course):
        path = Path(out_dir) / QUIZ_DIR / f"{quiz.slug}.gift"
        atomic_write_text(path, quiz_gift(course, quiz))
        written.append(path)
    remove_stale(Path(out_dir) / QUIZ_DIR, r"_?[a-z0-9-]+\.gift", written)
    return written
