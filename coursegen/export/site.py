"""The static lesson site: an index with the ramp picture and placement quiz, one page per lesson.

The site works from `file://` with no network: plain HTML from jinja2 templates (autoescape
on for every template), one stylesheet and one vanilla script. Transcript text is never
marked safe; the only markup we build ourselves is the JSON the script reads, escaped for
the `<script>` context.
"""

from __future__ import annotations

import contextlib
import functools
import json
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from coursegen.data_dirs import MISSING_TIP, data_dir
from coursegen.errors import CoursegenError
from coursegen.export._common import lessons_in_order, reading_time
from coursegen.export.ramp_svg import RampInput, RampPicture, layout_ramp
from coursegen.export.site_view import (
    BlockView,
    EpisodeCredit,
    LessonView,
    Link,
    QuestionView,
    SourceIndex,
    episodes_cited,
    lesson_file_names,
    question_data,
    question_view,
)
from coursegen.fsutil import atomic_write_bytes, atomic_write_text
from coursegen.ir import Course, Lesson, Question

SITE_DIR = "site"
ASSETS = ("site.css", "site.js")


def templates_dir() -> Path:
    """The `templates/` folder: the checkout's top-level one, else the installed package's copy."""
    return data_dir("templates")


def script_json(data: Any) -> Markup:
    """JSON safe inside `<script type="application/json">`: no `</script>`, `<!--` or `&`."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(raw, escaped)
    # U+2028/2029 are legal in JSON but end lines in older JavaScript parsers.
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)  # noqa: S704 - escaped above for the script context; it is not HTML.


@functools.lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    """The template environment, built once: compiling templates dominates small exports."""
    folder = templates_dir() / "site"
    if not folder.is_dir():
        raise CoursegenError(
            f"site templates not found at {folder}",
            MISSING_TIP,
        )
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=True,  # every template, whatever its extension
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["script_json"] = script_json
    env.filters["minutes"] = reading_time
    return env


class _SiteBuilder:
    """Builds the view of every page from one course."""

    def __init__(self, course: Course) -> None:
        self.course = course
        self.lessons = lessons_in_order(course)
        self.files = lesson_file_names(self.lessons)
        self.numbers = {lesson.id: i + 1 for i, lesson in enumerate(self.lessons)}
        self.by_id = {lesson.id: lesson for lesson in self.lessons}
        self.questions = {question.id: question for question in course.questions}
        self.sources = SourceIndex(course.episodes)
        self.concept_home: dict[str, str] = {}
        for lesson in self.lessons:
            for concept in lesson.concepts:
                self.concept_home.setdefault(concept, lesson.id)
        self.concept_names = {concept.id: concept.name for concept in course.concepts}

    def link(self, lesson_id: str) -> Link:
        """A link to a lesson labelled with its number and title."""
        lesson = self.by_id[lesson_id]
        return Link(self.files[lesson_id], f"Lesson {self.numbers[lesson_id]}: {lesson.title}", lesson_id)

    def prerequisites(self, lesson: Lesson) -> list[str]:
        """Known prerequisite lesson ids of `lesson`, in ramp order."""
        known = {pid for pid in lesson.prerequisite_lessons if pid in self.by_id and pid != lesson.id}
        return sorted(known, key=lambda pid: self.numbers[pid])

    def lesson_questions(self, lesson: Lesson) -> list[Question]:
        """The lesson's check-yourself questions that exist in the course, in the lesson's order."""
        return [self.questions[qid] for qid in lesson.question_ids if qid in self.questions]

    def miss_pointers(self, question: Question, lesson: Lesson) -> list[Link]:
        """Where a learner who misses `question` should go back to: the earlier lesson that teaches
        its concept, else this lesson's block that teaches it first and then what the lesson builds
        on (a question on this lesson's own idea is answered here, not in a prerequisite)."""
        reread: list[Link] = []
        cited = {sid for c in question.citations for sid in c.sentence_ids}
        name = self.concept_names.get(question.concept, "").lower()
        for index, block in enumerate(lesson.blocks, start=1):
            block_ids = {sid for c in block.citations for sid in c.sentence_ids}
            if (cited & block_ids) or (name and name in block.text.lower()):
                reread.append(Link(f"#block-{index}", "Re-read the part of this lesson that teaches it"))
                break
        home = self.concept_home.get(question.concept)
        if home is not None and self.numbers[home] < self.numbers[lesson.id]:
            return [Link(self.files[home], f"Review {self.link(home).label}"), *reread]
        return reread + [Link(self.files[pid], f"It builds on {self.link(pid).label}")
                         for pid in self.prerequisites(lesson)]

    def lesson_view(self, index: int, lesson: Lesson) -> tuple[LessonView, dict[str, Any]]:
        """What one lesson page shows, and the data its script scores with."""
        questions = self.lesson_questions(lesson)
        views = [
            question_view(q, n, self.sources, self.miss_pointers(q, lesson))
            for n, q in enumerate(questions, start=1)
        ]
        blocks = [
            BlockView(f"block-{n}", block.text,
                      [self.sources.citation(c, block.text) for c in block.citations])
            for n, block in enumerate(lesson.blocks, start=1)
        ]
        view = LessonView(
            id=lesson.id,
            file=self.files[lesson.id],
            number=index + 1,
            title=lesson.title,
            level=lesson.level,
            problem=lesson.problem,
            prediction=lesson.prediction,
            prediction_reveal=lesson.prediction_reveal,
            reading_minutes=lesson.reading_minutes,
            blocks=blocks,
            questions=views,
            needs_first=[self.link(pid) for pid in self.prerequisites(lesson)],
            previous=self.link(self.lessons[index - 1].id) if index > 0 else None,
            next=self.link(self.lessons[index + 1].id) if index + 1 < len(self.lessons) else None,
            credits=[self.sources.credit(eid) for eid in episodes_cited(self.course, lesson, questions)],
        )
        data = {
            "course": self.course.id,
            "lesson": lesson.id,
            "questions": {v.anchor: question_data(q) for v, q in zip(views, questions, strict=True)},
        }
        return view, data

    def ramp(self) -> RampPicture:
        """The laid-out ramp picture of the whole course."""
        inputs = []
        for lesson in self.lessons:
            count = len(self.lesson_questions(lesson))
            detail = f"Level {lesson.level} · {reading_time(lesson.reading_minutes)} · {count} questions"
            inputs.append(
                RampInput(lesson.id, self.files[lesson.id], lesson.title, lesson.level, detail,
                          self.prerequisites(lesson))
            )
        return layout_ramp(inputs)

    def placement(self) -> tuple[list[QuestionView], dict[str, Any]]:
        """Placement questions (skipping items that name unknown questions or lessons) and their data."""
        views: list[QuestionView] = []
        data: dict[str, Any] = {}
        tested_by = {qid: lesson.id for lesson in self.lessons for qid in lesson.question_ids}
        for item in self.course.placement:
            question = self.questions.get(item.question_id)
            if question is None or item.start_lesson not in self.by_id:
                continue
            link = self.link(item.start_lesson)
            tested = tested_by.get(question.id)
            # "tests": the lesson the item is on; one who answers every item starts after the
            # furthest of those, not after the furthest lesson a miss would send them to.
            on_lesson = tested or item.start_lesson
            spec = {**question_data(question), "start": item.start_lesson, "tests": on_lesson}
            why = ""
            if tested is not None and self.numbers[tested] > self.numbers[item.start_lesson]:
                # A miss starts the learner before the lesson the item is on (the quiz asks nothing
                # about the lessons in between); readers found that odd until it said why.
                checks, first = self.numbers[tested], self.numbers[item.start_lesson]
                unchecked = f"lesson {first}" if checks - first == 1 else f"lessons {first}-{checks - 1}"
                why = f" (this question is on Lesson {checks}; the quiz asks nothing about {unchecked}, "
                why += "so you start there)"
                spec.update(checks=checks, unchecked=unchecked)
            view = question_view(question, len(views) + 1, self.sources,
                                 [Link(link.href, f"Start at {link.label}{why}")], prefix="p")
            views.append(view)
            data[view.anchor] = spec
        return views, data

    def index_data(self, placement: dict[str, Any]) -> dict[str, Any]:
        """What the index script needs: the lessons in ramp order and the placement answers."""
        return {
            "course": self.course.id,
            "lessons": [
                {"id": lesson.id, "file": self.files[lesson.id], "number": self.numbers[lesson.id],
                 "title": lesson.title}
                for lesson in self.lessons
            ],
            "placement": placement,
        }

    def all_credits(self) -> list[EpisodeCredit]:
        """Attribution for every episode of the course, in course order."""
        return [self.sources.credit(episode.id) for episode in self.course.episodes]


def export_site(course: Course, out_dir: Path) -> list[Path]:
    """Write the static lesson site to `out_dir/site/`; return the files written, sorted."""
    env = _environment()
    site = Path(out_dir) / SITE_DIR
    builder = _SiteBuilder(course)
    written: list[Path] = []
    common = {
        "course": course,
        "credits": builder.all_credits(),
        "engine": course.build.engine,
        "model": course.build.model,
    }

    placement_views, placement_data = builder.placement()
    index_html = env.get_template("index.html.j2").render(
        **common,
        page_title=course.title,
        footer_credits=common["credits"],
        ramp=builder.ramp(),
        lessons=[builder.link(lesson.id) for lesson in builder.lessons],
        lesson_ids=[lesson.id for lesson in builder.lessons],
        placement=placement_views,
        page_data=builder.index_data(placement_data),
        total_minutes=sum(lesson.reading_minutes for lesson in builder.lessons),
    )
    written.append(_write(site / "index.html", index_html))

    lesson_files = set()
    for index, lesson in enumerate(builder.lessons):
        view, data = builder.lesson_view(index, lesson)
        html = env.get_template("lesson.html.j2").render(
            **common,
            page_title=f"{view.title} · {course.title}",
            footer_credits=view.credits or common["credits"],
            lesson=view,
            total=len(builder.lessons),
            page_data=data,
        )
        written.append(_write(site / view.file, html))
        lesson_files.add(view.file)

    for asset in ASSETS:
        data_bytes = (templates_dir() / "site" / "assets" / asset).read_bytes()
        target = site / "assets" / asset
        atomic_write_bytes(target, data_bytes)
        written.append(target)

    _remove_stale_lessons(site, lesson_files)
    return sorted(written)


def _write(path: Path, text: str) -> Path:
    atomic_write_text(path, text)
    return path


def _remove_stale_lessons(site: Path, keep: set[str]) -> None:
    # A lesson dropped from the ramp must not linger as a page that index no longer links.
    for old in sorted(site.glob("lesson-*.html")):
        if old.name not in keep:
            with contextlib.suppress(OSError):
                old.unlink()
