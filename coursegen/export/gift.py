"""Moodle GIFT quizzes: `DIR/quizzes/<lesson>.gift`, one file per lesson in ramp order.

Text is HTML-escaped and marked `[html]`, then GIFT-escaped (`~ = # { } :` and `\\`), and every
question sits on lines without blank lines (a blank line ends a GIFT question).
"""

from __future__ import annotations

import html
from pathlib import Path

from coursegen.export._common import SourceIndex, lessons_in_order, questions_of_lesson
from coursegen.export._quiz import QuizItem, quiz_item
from coursegen.fsutil import atomic_write_text, slugify
from coursegen.ir import Course, Lesson

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
        body = f"{head}={gift_text(item.answer_text)}{feedback}}}"
    else:  # short answer → essay; the model answer goes into the general feedback
        model = f"Model answer: {item.answer_text}"
        body = f"{head}####{gift_text(' '.join(x for x in (model, item.feedback) if x))}}}"
    return body


def lesson_gift(course: Course, lesson: Lesson, index: SourceIndex) -> str:
    """The GIFT file of one lesson's check-yourself questions."""
    category = f"$CATEGORY: coursegen/{slugify(course.id, 'course')}/{slugify(lesson.id, 'lesson')}"
    blocks = [category] + [gift_question(quiz_item(q, index)) for q in questions_of_lesson(course, lesson)]
    return "\n\n".join(blocks) + "\n"


def export_gift(course: Course, out_dir: Path) -> list[Path]:
    """Write `out_dir/quizzes/<lesson-slug>.gift` for every lesson that has questions."""
    index = SourceIndex.of(course)
    written: list[Path] = []
    for lesson in lessons_in_order(course):
        if not questions_of_lesson(course, lesson):
            continue
        path = Path(out_dir) / QUIZ_DIR / f"{slugify(lesson.id, 'lesson')}.gift"
        atomic_write_text(path, lesson_gift(course, lesson, index))
        written.append(path)
    return written
