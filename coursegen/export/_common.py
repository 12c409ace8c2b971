"""Helpers every exporter shares: escaping, math, time links, ramp order and source lookups."""

from __future__ import annotations

import contextlib
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from coursegen.ir import Card, Citation, Course, Episode, Lesson, Question
from coursegen.textnorm import STOP_WORDS, words

# `{{cN::answer}}` or `{{cN::answer::hint}}`; the answer may not contain `}}` or a hint marker.
CLOZE_RE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)

# Inline TeX written with dollars, pandoc's rule: no space inside the delimiters and no digit
# right after the closing one, so "$5 and $10" stays money.
_DISPLAY_MATH_RE = re.compile(r"\$\$(?!\s)(.+?)(?<!\s)\$\$", re.DOTALL)
_INLINE_MATH_RE = re.compile(r"(?<![\\$])\$(?![\s$])([^$\n]+?)(?<![\s\\])\$(?!\d)")


def escape_html(text: str) -> str:
    """HTML-escape text and also neutralise braces, so no template or cloze syntax survives."""
    return html.escape(text, quote=True).replace("{", "&#123;").replace("}", "&#125;")


def dollar_math_to_tex(text: str) -> str:
    """Rewrite `$…$` / `$$…$$` math (which Anki and MathJax ignore) as `\\(…\\)` / `\\[…\\]`."""
    text = _DISPLAY_MATH_RE.sub(lambda m: f"\\[{m.group(1)}\\]", text)
    return _INLINE_MATH_RE.sub(lambda m: f"\\({m.group(1)}\\)", text)


def generated_html(text: str) -> str:
    """Course-written text (fronts, backs, stems) as HTML: escaped, math as `\\(…\\)`."""
    return dollar_math_to_tex(escape_html(text))


def cloze_html(text: str) -> str:
    """Escape cloze text while keeping its `{{cN::…}}` markers as real cloze syntax."""
    parts: list[str] = []
    last = 0
    for match in CLOZE_RE.finditer(text):
        parts.append(generated_html(text[last : match.start()]))
        number, answer, hint = match.group(1), match.group(2), match.group(3)
        inner = generated_html(answer)
        if hint is not None:
            inner += "::" + generated_html(hint)
        parts.append(f"{{{{c{int(number)}::{inner}}}}}")
        last = match.end()
    parts.append(generated_html(text[last:]))
    return "".join(parts)


def cloze_numbers(text: str) -> list[int]:
    """Distinct cloze numbers (`c1`, `c2`, …) used in a text, sorted."""
    return sorted({int(m.group(1)) for m in CLOZE_RE.finditer(text) if int(m.group(1)) > 0})


def cloze_blanked(text: str, blank: str = "_____") -> str:
    """The text with every cloze deletion replaced by a blank (for quiz formats)."""
    return CLOZE_RE.sub(blank, text)


def one_line(text: str) -> str:
    """Collapse all whitespace runs (newlines included) into single spaces."""
    return " ".join(text.split())


def reading_time(minutes: float) -> str:
    """A lesson's reading time as a learner reads it: '1 min', '4 min' — never '0 min' for a
    short one, and halves rounded up (Python's round gives 0 for 0.5 and 2 for 2.5)."""
    return f"{max(1, int(minutes + 0.5))} min"


def format_time(seconds: float) -> str:
    """`m:ss` or `h:mm:ss`."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def safe_url(url: str | None) -> str | None:
    """`url` only if it is an absolute http(s) URL with a host and no whitespace or control
    characters; anything else (a `javascript:` URL from a transcript) never becomes a link."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return None
    return url


# A double-quoted part of course prose: "…" or “…” (a quote may itself contain quotes, so the
# span from the first opening mark to the last closing one is tried as well).
_QUOTED_PART = re.compile(r'["\u201c]([^"\u201c\u201d]+)["\u201d]')
_QUOTED_SPAN = re.compile(r'["\u201c](.+)["\u201d]', re.DOTALL)
# The prose may leave out the speaker's fillers ("So", "Yeah, I mean", "you know"): function words
# freely, at most this many other words (or a quarter of the quote), never half of the quote.
_SKIPPED_WORDS = 2


def _left_out(part: tuple[str, ...], whole: tuple[str, ...]) -> list[str] | None:
    """The words of `whole` that `part` leaves out, if `part` is `whole` with words left out."""
    skipped: list[str] = []
    position = 0
    for word in part:
        while position < len(whole) and whole[position] != word:
            skipped.append(whole[position])
            position += 1
        if position == len(whole):
            return None
        position += 1
    return skipped + list(whole[position:])


def text_shows_quote(text: str, quote: str) -> bool:
    """Whether course prose already quotes `quote`: one of its double-quoted parts is the quote's
    words in order (case, punctuation and quote marks aside), leaving out only fillers. A
    paraphrase, or a few words quoted from a long sentence, does not count: then the citation
    must still show the speaker's words."""
    target = words(quote)
    if not target:
        return False
    for part in _QUOTED_PART.findall(text) + _QUOTED_SPAN.findall(text):
        shown = words(part)
        skipped = _left_out(shown, target)
        if skipped is None or len(shown) * 2 < len(target):
            continue
        others = [word for word in skipped if word not in STOP_WORDS]
        if len(others) <= max(_SKIPPED_WORDS, len(target) // 4):
            return True
    return False


@dataclass(frozen=True)
class CitationView:
    """What an export shows for one citation: quote, speaker, episode, time and link."""

    quote: str
    speaker: str | None
    episode_id: str
    episode_title: str
    time_label: str | None
    url: str | None
    line_label: str | None


@dataclass
class SourceIndex:
    """Looks up episodes, speakers and line ranges behind citations."""

    episodes: dict[str, Episode] = field(default_factory=dict)
    speaker_of_passage: dict[str, str | None] = field(default_factory=dict)
    lines_of_sentence: dict[str, tuple[int, int]] = field(default_factory=dict)

    @classmethod
    def of(cls, course: Course) -> SourceIndex:
        """Index every episode, passage and sentence of a course."""
        index = cls()
        for episode in course.episodes:
            index.episodes[episode.id] = episode
            for passage in episode.passages:
                index.speaker_of_passage[passage.id] = passage.speaker
                for sentence in passage.sentences:
                    index.lines_of_sentence[sentence.id] = (sentence.line_start, sentence.line_end)
        return index

    def view(self, citation: Citation) -> CitationView:
        """Resolve a citation into what is displayed."""
        episode = self.episodes.get(citation.episode)
        speaker = None
        lines: list[tuple[int, int]] = []
        for sentence_id in citation.sentence_ids:
            passage_id = sentence_id.rsplit("/", 1)[0]
            speaker = speaker or self.speaker_of_passage.get(passage_id)
            if sentence_id in self.lines_of_sentence:
                lines.append(self.lines_of_sentence[sentence_id])
        time_label = None
        if citation.start is not None:
            time_label = ("≈" if citation.time_estimated else "") + format_time(citation.start)
        line_label = None
        if lines:
            first, last = min(a for a, _ in lines), max(b for _, b in lines)
            line_label = f"line {first}" if first == last else f"lines {first}–{last}"
        return CitationView(
            quote=citation.quote,
            speaker=speaker,
            episode_id=citation.episode,
            episode_title=episode.title if episode else citation.episode,
            time_label=time_label,
            url=safe_url(citation.url),
            line_label=line_label,
        )

    def episode_ids_of(self, citations: Iterable[Citation]) -> list[str]:
        """Distinct episode ids cited, sorted."""
        return sorted({c.episode for c in citations})


def lessons_in_order(course: Course) -> list[Lesson]:
    """Lessons in ramp order (position, then id for ties)."""
    return sorted(course.lessons, key=lambda lesson: (lesson.position, lesson.id))


def lesson_labels(course: Course) -> dict[str, str]:
    """`Lesson N: title` per lesson id, N counted from 1 in ramp order (positions may start at 0)."""
    return {lesson.id: f"Lesson {rank}: {one_line(lesson.title)}"
            for rank, lesson in enumerate(lessons_in_order(course), start=1)}


def _lesson_rank(course: Course) -> dict[str, int]:
    return {lesson.id: rank for rank, lesson in enumerate(lessons_in_order(course))}


def cards_in_order(course: Course) -> list[Card]:
    """Cards in ramp order: by lesson position, then as the course lists them."""
    rank = _lesson_rank(course)
    unknown = len(rank)
    indexed = list(enumerate(course.cards))
    indexed.sort(key=lambda pair: (rank.get(pair[1].lesson, unknown), pair[0]))
    return [card for _, card in indexed]


def questions_of_lesson(course: Course, lesson: Lesson) -> list[Question]:
    """A lesson's questions: those it lists first (in its order), then others naming it, by id."""
    by_id = {q.id: q for q in course.questions}
    listed = [by_id[qid] for qid in lesson.question_ids if qid in by_id]
    seen = {q.id for q in listed}
    extra = sorted((q for q in course.questions if q.lesson == lesson.id and q.id not in seen),
                   key=lambda q: q.id)
    return listed + extra


def tag_safe(value: str) -> str:
    """A tag segment without spaces (Anki tags cannot contain whitespace)."""
    return "_".join(value.split()) or "_"


def card_tags(card: Card, level: int | None, index: SourceIndex) -> set[str]:
    """`coursegen::concept::…`, `::lesson::…`, `::episode::…` (each cited) and `::level::n` tags."""
    tags = {f"coursegen::concept::{tag_safe(card.concept)}", f"coursegen::lesson::{tag_safe(card.lesson)}"}
    tags.update(f"coursegen::episode::{tag_safe(e)}" for e in index.episode_ids_of(card.citations))
    if level is not None:
        tags.add(f"coursegen::level::{level}")
    return tags


def anki_card_count(course: Course) -> int:
    """How many Anki cards the course's notes make: one per basic card, one per cloze number."""
    return sum(max(1, len(cloze_numbers(c.front))) if c.kind == "cloze" else 1 for c in course.cards)


def remove_stale(folder: Path, pattern: str, keep: Iterable[Path]) -> None:
    """Delete files in `folder` that an earlier export wrote (names matching `pattern`) but
    this one did not, so a removed or renumbered lesson leaves no orphan behind."""
    if not folder.is_dir():
        return
    wanted = {path.name for path in keep}
    name_re = re.compile(pattern)
    for path in sorted(folder.iterdir()):
        if path.is_file() and name_re.fullmatch(path.name) and path.name not in wanted:
            with contextlib.suppress(OSError):
                path.unlink()
