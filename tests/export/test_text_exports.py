"""Markdown, CSV and JSON exports: layout, answers at the end, inert hostile text, round trips."""

from __future__ import annotations

import csv
import html
import io
from pathlib import Path

from markdown_it import MarkdownIt

from coursegen.export._common import reading_time
from coursegen.export.csv_export import cell, export_csv
from coursegen.export.json_export import export_json
from coursegen.export.markdown import export_markdown, md_escape
from coursegen.ir import Block, Course
from tests.export.sample_course import HOSTILE, S_HOSTILE, S_KV, cite_kv, sample_course

# Raw HTML allowed on purpose: the escaping must hold even in the most permissive renderer.
RENDER = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")


def test_markdown_one_file_per_lesson_answers_last(course: Course, tmp_path: Path) -> None:
    paths = export_markdown(course, tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in paths] == [
        "markdown/01-attention.md", "markdown/02-scaling-laws.md", "markdown/03-serving.md"]
    text = paths[2].read_text(encoding="utf-8")
    assert text.index("## Check yourself") < text.index("## Answers")
    questions, answers = text.split("## Answers")
    assert "Past keys and values" in questions  # an option
    assert "**A** — Past keys and values" in answers and "**A**" not in questions
    assert "**False**" in answers and "Model answer: It was" in answers
    assert "[Attention: every token sees every token](01-attention.md)" in text
    assert "Quotes come from third-party recordings" in text
    assert "leave out fillers" in text  # the shown quotes drop "um"; the page must not claim otherwise
    # The files can be walked along the ramp like the site.
    assert "\nPrevious: [Lesson 2: Scaling laws" in text and "(02-scaling-laws.md)" in text
    assert "Next:" not in text
    first = paths[0].read_text(encoding="utf-8")
    assert "\nNext: [Lesson 2: Scaling laws" in first and "Previous:" not in first


def test_markdown_renders_hostile_text_as_text(course: Course, tmp_path: Path) -> None:
    for path in export_markdown(course, tmp_path):
        rendered = RENDER.render(path.read_text(encoding="utf-8"))
        assert "<script" not in rendered and "<img" not in rendered and "<b>" not in rendered
        assert "<del>" not in rendered and "<table" not in rendered
    page = RENDER.render((tmp_path / "markdown" / "01-attention.md").read_text(encoding="utf-8"))
    assert html.escape(S_HOSTILE, quote=False) in page
    assert '<a href="https://www.youtube.com/watch?v=abcDEF12345&amp;t=61">1:01</a>' in page


def test_markdown_prints_a_quote_once_when_the_prose_quotes_it(course: Course, tmp_path: Path) -> None:
    serving = next(lesson for lesson in course.lessons if lesson.id == "serving")
    trimmed = S_KV.split(" ", 1)[1]  # the prose drops the speaker's first word, as a filler
    serving.blocks = [Block(text=f'The core idea, as a speaker puts it: "{trimmed}"', citations=[cite_kv()]),
                      Block(text="A paraphrase keeps its quote.", citations=[cite_kv()])]
    text = export_markdown(course, tmp_path)[2].read_text(encoding="utf-8")
    explanation = text[text.index("## Explanation"):text.index("## Check yourself")]
    quoted, paraphrased = explanation.split("A paraphrase keeps its quote.")
    assert md_escape(S_KV) not in quoted  # not repeated under the prose that quotes it
    assert "> — " in quoted and "(estimated)" in quoted  # but still attributed, time marked estimated
    assert f"> {md_escape(S_KV)}" in paraphrased


def test_markdown_cites_an_untimed_quote_by_its_transcript_lines(course: Course, tmp_path: Path) -> None:
    text = export_markdown(course, tmp_path)[2].read_text(encoding="utf-8")
    assert "> — Grace Hopper, *Serving models cheaply*, transcript lines 7–8" in text


def test_md_escape_survives_block_starts() -> None:
    for text in ("# not a heading", "- not a list", "1. not a list", "> not a quote", "=== x", HOSTILE,
                 "*a* _b_ `c` [d](e) ![f](g) a|b ~~s~~ &amp;"):
        rendered = RENDER.render(md_escape(text))
        expected = html.escape(" ".join(text.split()), quote=True).replace("&#x27;", "'")
        assert rendered == f"<p>{expected}</p>\n"


def test_csv_rows_round_trip_and_defuse_formulas(course: Course, tmp_path: Path) -> None:
    course.cards[1].back = "=HYPERLINK(\"http://evil\")"
    [path] = export_csv(course, tmp_path)
    assert path == tmp_path / "csv" / "sample-course-cards.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert rows[0] == ["front", "back", "source", "tags"]
    assert len(rows) == 1 + len(course.cards)
    by_front = {r[0]: r for r in rows[1:]}
    hostile = by_front[f"What was typed into the chat? {HOSTILE}"]
    assert hostile[1] == HOSTILE
    assert f'"{S_HOSTILE}"' in hostile[2] and "https://www.youtube.com/watch?v=abcDEF12345&t=66" in hostile[2]
    assert hostile[3].split() == ["coursegen::concept::attention", "coursegen::episode::ep-attention",
                                  "coursegen::lesson::attention", "coursegen::level::1"]
    assert by_front["What is the cost of attention in sequence length $n$?"][1] == "'=HYPERLINK(\"http://evil\")"
    # Ramp order: lesson 3's cards come last.
    assert rows[-1][3].endswith("coursegen::level::3")
    assert cell("-5 degrees") == "'-5 degrees" and cell("5 - 3") == "5 - 3"


def test_json_is_a_faithful_deterministic_copy(course: Course, tmp_path: Path) -> None:
    [path] = export_json(course, tmp_path)
    assert path == tmp_path / "json" / "sample-course.json"
    assert Course.model_validate_json(path.read_text(encoding="utf-8")) == course
    [again] = export_json(sample_course(), tmp_path / "again")
    assert again.read_bytes() == path.read_bytes()


def test_lessons_numbered_from_one_and_prefixes_not_doubled(course: Course, tmp_path: Path) -> None:
    for lesson in course.lessons:
        lesson.position -= 1  # the pipeline counts from 0
    question = next(q for q in course.questions if q.id == "q-attn-tf")
    question.stem = "True or false? Attention looks at every token at once."
    question.explanation = "The source says: \"Attention lets every token look at every other token in the " \
                           "sequence at once.\""
    paths = export_markdown(course, tmp_path)
    text = paths[0].read_text(encoding="utf-8")
    assert text.startswith("# Lesson 1: Attention")
    assert "2. True or false? Attention looks" in text and "True or false: True or false" not in text
    # The explanation already quotes the first citation: it is credited, not repeated.
    answer = text.split("## Answers")[1].split("\n2. ")[1].split("\n\n")[0]
    assert answer.count("Attention lets every token look at every other token") == 1
    assert "at once.\" Source: Ada Lovelace, Attention" in answer


def test_renumbered_or_removed_lessons_leave_no_orphans(course: Course, tmp_path: Path) -> None:
    from coursegen.export.gift import export_gift

    export_markdown(course, tmp_path)
    export_gift(course, tmp_path)
    mine = tmp_path / "markdown" / "notes.md"
    mine.write_text("the instructor's own file", encoding="utf-8")
    course.lessons = [lesson for lesson in course.lessons if lesson.id != "attention"]
    for lesson in course.lessons:
        lesson.prerequisite_lessons = []
    course.questions = [q for q in course.questions if q.lesson != "attention"]
    course.placement = [p for p in course.placement if p.start_lesson != "attention"]
    export_markdown(course, tmp_path)
    export_gift(course, tmp_path)
    assert sorted(p.name for p in (tmp_path / "markdown").iterdir()) == [
        "01-scaling-laws.md", "02-serving.md", "notes.md"]
    assert sorted(p.name for p in (tmp_path / "quizzes").iterdir()) == [
        "_placement.gift", "scaling-laws.gift", "serving.gift"]


def test_a_short_lessons_reading_time_is_a_minute_not_zero(course: Course, tmp_path: Path) -> None:
    """A half-minute lesson read "about 0 min" (Python rounds 0.5 to 0); the site said "1 min"."""
    short = course.model_copy(deep=True)
    short.lessons[0].reading_minutes = 0.5
    short.lessons[1].reading_minutes = 2.5
    first, second, _ = export_markdown(short, tmp_path)
    assert "about 1 min" in first.read_text(encoding="utf-8")
    assert "about 3 min" in second.read_text(encoding="utf-8")
    labels = [reading_time(m) for m in (0.0, 0.5, 1.4, 1.5, 2.5)]
    assert labels == ["1 min", "1 min", "1 min", "2 min", "3 min"]
