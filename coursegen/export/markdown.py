"""Markdown lessons: `DIR/markdown/NN-<lesson>.md`, questions in the body, answers at the end.

Transcript and course text is escaped for CommonMark (every markup character backslash-escaped),
so `<script>` in a quote renders as text even where a renderer allows raw HTML.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

from coursegen.export._common import (
    CitationView,
    SourceIndex,
    lesson_labels,
    lessons_in_order,
    one_line,
    questions_of_lesson,
    reading_time,
    remove_stale,
    safe_url,
    text_shows_quote,
)
from coursegen.export._quiz import QuizItem, quiz_item
from coursegen.fsutil import atomic_write_text, slugify
from coursegen.ir import Course, Lesson

MARKDOWN_DIR = "markdown"
# Characters with inline meaning in CommonMark or GFM (tables, strikethrough) or math extensions.
_INLINE = re.compile(r"([\\`*_\[\]<>&!|~$#{}])")
# Line starts that open a block (heading, quote, list, thematic break, setext underline).
_BLOCK_START = re.compile(r"^(\s*)([-+=>]|\d+[.)])")


def md_escape(text: str) -> str:
    """One line of text that CommonMark shows verbatim."""
    escaped = _INLINE.sub(r"\\\1", one_line(text))
    return _BLOCK_START.sub(lambda m: m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1], escaped)


def md_url(url: str) -> str:
    """A link destination that cannot break out of `(…)`."""
    return quote(url, safe=":/?&=#%+,;@!$'*~.-_")


def lesson_file_name(lesson: Lesson, rank: int) -> str:
    """`NN-<slug>.md`, numbered in ramp order."""
    return f"{rank:02d}-{slugify(lesson.id, 'lesson')}.md"


def _citation(view: CitationView, text: str) -> list[str]:
    """The quote and its attribution; only the attribution when `text` already quotes it."""
    meta = [md_escape(view.speaker)] if view.speaker else []
    meta.append(f"*{md_escape(view.episode_title)}*")
    if view.time_label:
        label = md_escape(view.time_label)
        meta.append(f"[{label}]({md_url(view.url)})" if view.url else label)
        if view.time_label.startswith("≈"):
            meta[-1] += " (estimated)"
    elif view.url:
        meta.append(f"[link]({md_url(view.url)})")
    elif view.line_label:
        meta.append(md_escape(f"transcript {view.line_label}"))
    if text_shows_quote(text, view.quote):
        return [f"> — {', '.join(meta)}", ""]
    return [f"> {md_escape(view.quote)}", ">", f"> — {', '.join(meta)}", ""]


_KIND_PREFIX = {"true_false": "True or false", "cloze": "Fill in the blank", "short": "Short answer"}


def _question(number: int, item: QuizItem) -> list[str]:
    if item.kind == "mcq":
        lines = [f"{number}. {md_escape(item.stem)}", ""]
        lines += [f"   - {chr(65 + i)}\\. {md_escape(option)}" for i, option in enumerate(item.options)]
        return [*lines, ""]
    prefix = _KIND_PREFIX[item.kind]
    # Stems often say it themselves ("True or false? …"); do not say it twice.
    lead = "" if item.stem.lower().startswith(prefix.lower()) else f"{prefix}: "
    return [f"{number}. {lead}{md_escape(item.stem)}", ""]


def _answer(number: int, item: QuizItem) -> list[str]:
    if item.kind == "mcq" and item.correct_index is not None:
        key = f"**{chr(65 + item.correct_index)}** — {md_escape(item.answer_text)}"
    elif item.kind == "true_false":
        key = "**True**" if item.truth else "**False**"
    elif item.kind == "short":
        key = f"Model answer: {md_escape(item.answer_text)}"
    else:
        key = f"**{md_escape(item.answer_text)}**"
    lines = [f"{number}. {key}"]
    if item.feedback:
        lines.append(f"   {md_escape(item.feedback)}")
    return [*lines, ""]


def lesson_markdown(course: Course, lesson: Lesson, index: SourceIndex, file_names: dict[str, str]) -> str:
    """The Markdown page of one lesson."""
    lessons = {item.id: item for item in course.lessons}
    out = [f"# {md_escape(lesson_labels(course)[lesson.id])}", ""]
    facts = [f"Level {lesson.level}"]
    if lesson.reading_minutes:
        facts.append(f"about {reading_time(lesson.reading_minutes)}")
    out += [" · ".join(facts), ""]
    needs = [f"[{md_escape(lessons[p].title)}]({file_names[p]})" for p in lesson.prerequisite_lessons
             if p in lessons and p in file_names]
    if needs:
        out += ["You need first: " + ", ".join(needs), ""]
    out += ["## Problem", "", md_escape(lesson.problem), "", "## Predict first", "",
            md_escape(lesson.prediction), "", "## Explanation", ""]
    for block in lesson.blocks:
        out += [md_escape(block.text), ""]
        for citation in block.citations:
            out += _citation(index.view(citation), block.text)
    items = [quiz_item(q, index) for q in questions_of_lesson(course, lesson)]
    if items:
        out += ["## Check yourself", ""]
        for number, item in enumerate(items, start=1):
            out += _question(number, item)
    out += ["---", "", "## Answers", ""]
    if lesson.prediction_reveal:
        out += [f"Prediction: {md_escape(lesson.prediction_reveal)}", ""]
    for number, item in enumerate(items, start=1):
        out += _answer(number, item)
    out += _pager(course, lesson, file_names)
    out += _sources(lesson, index)
    return "\n".join(out).rstrip("\n") + "\n"


def _pager(course: Course, lesson: Lesson, file_names: dict[str, str]) -> list[str]:
    """`Previous: … · Next: …` links along the ramp, so a reader of the files can walk it."""
    ordered = [item for item in lessons_in_order(course) if item.id in file_names]
    labels = lesson_labels(course)
    at = [item.id for item in ordered].index(lesson.id)
    steps = [(word, ordered[i]) for word, i in (("Previous", at - 1), ("Next", at + 1))
             if 0 <= i < len(ordered)]
    if not steps:
        return []
    links = [f"{word}: [{md_escape(labels[item.id])}]({file_names[item.id]})" for word, item in steps]
    return [" · ".join(links), ""]


def _sources(lesson: Lesson, index: SourceIndex) -> list[str]:
    cited = index.episode_ids_of(c for block in lesson.blocks for c in block.citations)
    lines = ["## Sources", ""]
    for episode_id in cited:
        episode = index.episodes.get(episode_id)
        if episode is None:
            continue
        credit = f"- *{md_escape(episode.title)}*"
        if episode.speakers:
            credit += " — " + md_escape(", ".join(episode.speakers))
        url = safe_url(episode.url)
        if url:
            credit += f" — <{md_url(url)}>"
        lines.append(credit)
    lines += ["", "Quotes come from third-party recordings and belong to their speakers."]
    # A reader found the quotes shorter than the transcript and this line claiming otherwise.
    lines += ["Quotes keep the transcripts' words, speech-to-text errors included, but leave out fillers"
              " such as “um”, “you know” and “actually”; course.json cites each passage verbatim."]
    return lines


def export_markdown(course: Course, out_dir: Path) -> list[Path]:
    """Write one Markdown file per lesson under `out_dir/markdown/`."""
    ordered = lessons_in_order(course)
    names = {lesson.id: lesson_file_name(lesson, rank) for rank, lesson in enumerate(ordered, start=1)}
    index = SourceIndex.of(course)
    written: list[Path] = []
    for lesson in ordered:
        path = Path(out_dir) / MARKDOWN_DIR / names[lesson.id]
        atomic_write_text(path, lesson_markdown(course, lesson, index, names))
        written.append(path)
    remove_stale(Path(out_dir) / MARKDOWN_DIR, r"[0-9]{2,}-[a-z0-9-]+\.md", written)
    return written
