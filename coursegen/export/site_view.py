"""Turn a Course into the plain view objects the site templates render.

Everything here is data: transcript text stays a plain `str` (the templates autoescape
it), links are built only from lesson file names we choose or from http(s) URLs, and
every list comes out in a fixed order so the pages are byte-identical between builds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# One implementation of each for every exporter (the site re-exports these names).
from coursegen.export._common import CLOZE_RE, format_time, safe_url, text_shows_quote
from coursegen.fsutil import slugify
from coursegen.ir import Citation, Course, Episode, Lesson, Passage, Question, Sentence


@dataclass(frozen=True)
class Link:
    """A labelled link inside the site (or to a page anchor); `lesson` is the id it leads to."""

    href: str
    label: str
    lesson: str | None = None


@dataclass(frozen=True)
class CitationView:
    """A quote with who said it, where, and when (or which lines).

    `in_text` is true when the prose it backs already quotes these words: the page then shows
    the attribution, with the verbatim words folded away, instead of the same quote twice.
    """

    quote: str
    speaker: str | None
    episode_title: str
    time_label: str | None
    time_url: str | None
    estimated: bool
    lines: str | None
    in_text: bool = False


@dataclass(frozen=True)
class QuestionView:
    """One self-check or placement question, ready to render."""

    id: str
    anchor: str
    number: int
    kind: str
    stem: str
    options: list[str]
    answer_text: str
    explanation: str
    citations: list[CitationView]
    pointers: list[Link]


@dataclass(frozen=True)
class BlockView:
    """One explanation block and the quotes that back it."""

    anchor: str
    text: str
    citations: list[CitationView]


@dataclass(frozen=True)
class EpisodeCredit:
    """Attribution for one source recording."""

    title: str
    speakers: list[str]
    url: str | None


@dataclass
class LessonView:
    """Everything one lesson page shows."""

    id: str
    file: str
    number: int
    title: str
    level: int
    problem: str
    prediction: str
    prediction_reveal: str
    reading_minutes: float
    blocks: list[BlockView] = field(default_factory=list)
    questions: list[QuestionView] = field(default_factory=list)
    needs_first: list[Link] = field(default_factory=list)
    previous: Link | None = None
    next: Link | None = None
    credits: list[EpisodeCredit] = field(default_factory=list)


def cloze_display(stem: str) -> str:
    """Replace `{{c1::answer::hint}}` deletions with a blank (showing the hint if any)."""

    def blank(match: re.Match[str]) -> str:
        hint = match.group(3)
        return f"_____ ({hint})" if hint else "_____"

    return CLOZE_RE.sub(blank, stem)


def lesson_file_names(lessons: list[Lesson]) -> dict[str, str]:
    """Map lesson ids to unique `lesson-<slug>.html` names (ties broken in the order given)."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for lesson in lessons:
        slug = slugify(lesson.id, "lesson")
        # Ids like "lesson-attention" should not give "lesson-lesson-attention.html".
        base = slug if slug.startswith("lesson-") else f"lesson-{slug}"
        name, counter = f"{base}.html", 2
        while name in used:
            name, counter = f"{base}-{counter}.html", counter + 1
        used.add(name)
        names[lesson.id] = name
    return names


class SourceIndex:
    """Looks up sentences, passages and episodes behind citations."""

    def __init__(self, episodes: list[Episode]) -> None:
        self.episodes = {episode.id: episode for episode in episodes}
        self.sentences: dict[str, tuple[Sentence, Passage]] = {}
        for episode in episodes:
            for passage in episode.passages:
                for sentence in passage.sentences:
                    self.sentences[sentence.id] = (sentence, passage)

    def credit(self, episode_id: str) -> EpisodeCredit:
        """Attribution for an episode id (the bare id when the course lacks the episode)."""
        episode = self.episodes.get(episode_id)
        if episode is None:
            return EpisodeCredit(episode_id, [], None)
        return EpisodeCredit(episode.title, list(episode.speakers), safe_url(episode.url))

    def citation(self, citation: Citation, text: str = "") -> CitationView:
        """Materialize the who/where/when of one citation backing `text` (a block, an explanation)."""
        found = [self.sentences[sid] for sid in citation.sentence_ids if sid in self.sentences]
        speaker = found[0][1].speaker if found else None
        lines = None
        if found:
            first = min(sentence.line_start for sentence, _ in found)
            last = max(sentence.line_end for sentence, _ in found)
            lines = f"line {first}" if first == last else f"lines {first}–{last}"
        time_label = format_time(citation.start) if citation.start is not None else None
        return CitationView(
            quote=citation.quote,
            speaker=speaker,
            episode_title=self.credit(citation.episode).title,
            time_label=time_label,
            time_url=safe_url(citation.url) if time_label else None,
            estimated=citation.time_estimated,
            lines=lines,
            in_text=text_shows_quote(text, citation.quote),
        )


def answer_text(question: Question) -> str:
    """The correct answer as a learner reads it."""
    answer = question.answer
    is_index = isinstance(answer, int) and not isinstance(answer, bool)
    if question.kind == "mcq" and is_index and 0 <= int(answer) < len(question.options):
        return question.options[int(answer)]
    if question.kind == "true_false":
        return "True" if question.answer is True else "False"
    return str(question.answer)


def question_data(question: Question) -> dict[str, object]:
    """What the page script needs to score one question (answers live only here)."""
    return {"kind": question.kind, "answer": question.answer}


def question_view(
    question: Question, number: int, sources: SourceIndex, pointers: list[Link], prefix: str = "q"
) -> QuestionView:
    """Render-ready view of a question with its pointers for a miss."""
    stem = cloze_display(question.stem) if question.kind == "cloze" else question.stem
    options = ["True", "False"] if question.kind == "true_false" else list(question.options)
    return QuestionView(
        id=question.id,
        anchor=f"{prefix}-{number}",
        number=number,
        kind=question.kind,
        stem=stem,
        options=options,
        answer_text=answer_text(question),
        explanation=question.explanation,
        citations=[sources.citation(c, question.explanation) for c in question.citations],
        pointers=pointers,
    )


def episodes_cited(course: Course, lesson: Lesson, questions: list[Question]) -> list[str]:
    """Ids of the episodes one lesson quotes, in the course's episode order."""
    ids = {c.episode for block in lesson.blocks for c in block.citations}
    ids |= {c.episode for q in questions for c in q.citations}
    order = [episode.id for episode in course.episodes]
    return sorted(ids, key=lambda eid: (order.index(eid) if eid in order else len(order), eid))
