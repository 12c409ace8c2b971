"""Helpers shared by the standard-format parsers: clock parsing, markup stripping, turns.

Private module (no PARSERS): the registry only collects parsers from format modules.
"""

from __future__ import annotations

import bisect
import html
import itertools
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from coursegen.errors import InputError
from coursegen.ingest.base import Cue

PARSERS: list[object] = []  # a helper module, not a format

# [[h:]mm:]ss[.,]fff — the clock forms used by SRT, WebVTT, SBV, Otter and TTML.
_CLOCK = re.compile(r"^\s*(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:[.,:](\d{1,3}))?\s*$")
# Inline markup of captions: <i>, <b>, <u>, <font ...>, <c.class>, <v Name>, <lang x>, <ruby>,
# <00:00:01.000> word timestamps; and ASS-style override tags such as {\an8}.
_TAG = re.compile(
    r"</?(?:i|b|u|s|em|strong|font|c|v|lang|ruby|rt|span|br)(?:[.\s][^<>]*)?/?>"
    r"|<\d{1,2}:\d{2}(?::\d{2})?[.,]\d{1,3}>"
    r"|\{\\[^{}]*\}",
    re.IGNORECASE,
)
_SPACES = re.compile(r"\s+")
# `>>` starts a turn at the line start or after a space/`>`; the `>` ending a tag ("</tt>") is kept.
_TURN_MARK = re.compile(r"\s*(?<![^\s>])>>+\s*")
_NEWLINE = re.compile(r"\r\n|\r|\n")
_NAME_PREFIX = re.compile(
    r"^([A-Z][\w.'\-]*(?: [A-Z][\w.'\-]*){0,3}|[A-Z][A-Z .'\-]{1,30}|Speaker \d+):\s+(\S.*)$"
)


def clock_to_seconds(value: str) -> float | None:
    """`01:02:03,456`, `2:03.4` or `3` style clock → seconds (ms exact), None if not a clock."""
    match = _CLOCK.match(value)
    if match is None:
        return None
    hours, minutes, seconds, fraction = match.groups()
    millis = int((fraction or "0").ljust(3, "0"))
    total_ms = ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + millis
    return total_ms / 1000


def round_seconds(value: float) -> float:
    """Seconds from a float field, rounded to the millisecond."""
    return round(value * 1000) / 1000


def strip_markup(text: str, unescape: bool = False) -> str:
    """Remove caption tags and inline timestamps; optionally decode HTML entities."""
    text = _TAG.sub("", text)
    if unescape:
        text = html.unescape(text).replace("\u00a0", " ")
    return text


def fold_spaces(text: str) -> str:
    """Collapse runs of whitespace to one space and trim."""
    return _SPACES.sub(" ", text).strip()


# Words that open a sentence with a colon ("Look: ...") far more often than they name anyone.
_NOT_NAMES = frozenset(
    [
        "so",
        "well",
        "now",
        "look",
        "note",
        "yes",
        "no",
        "okay",
        "ok",
        "right",
        "and",
        "but",
        "then",
        "here",
        "there",
        "first",
        "second",
        "finally",
        "example",
        "answer",
        "remember",
        "warning",
        "tip",
        "update",
        "edit",
        "source",
        "summary",
        "title",
        "date",
        "time",
        "step",
    ]
)


def speaker_names(texts: Iterable[str]) -> set[str]:
    """`Name:` prefixes that name speakers, once the file shows it names them.

    A file uses the convention when some name starts two or more lines; then every
    name-shaped prefix counts (a guest may speak once), except sentence openers.
    """
    counts = Counter(split_name_prefix(text)[0] for text in texts)
    names = {
        name
        for name, count in counts.items()
        if name is not None and count >= 2 and name.casefold() not in _NOT_NAMES
    }
    if names:
        names |= {n for n in counts if n is not None and n.casefold() not in _NOT_NAMES}
    return names


def apply_name_prefixes(cues: list[Cue]) -> list[Cue]:
    """Turn `Name: text` cue prefixes (Zoom, podcast SRT) into speakers, carried to later cues.

    Only cues without a speaker from the format itself are touched; the prefix leaves the
    text, the speaker stays until another prefix names someone else.
    """
    names = speaker_names(cue.text for cue in cues if cue.speaker is None)
    if not names:
        return cues
    current: str | None = None
    for cue in cues:
        if cue.speaker is not None:
            current = None
            continue
        name, rest = split_name_prefix(cue.text)
        if name in names:
            cue.speaker, cue.text, current = name, rest.strip(), name
        elif current is not None:
            cue.speaker = current
    return mark_speaker_changes(cues)


def split_name_prefix(text: str) -> tuple[str | None, str]:
    """`Jane Doe: hello` → ("Jane Doe", "hello"); text without such a prefix → (None, text)."""
    match = _NAME_PREFIX.match(text)
    if match is None:
        return None, text
    return match.group(1).strip(), match.group(2)


def turn_cues(
    lines: Iterable[tuple[int, str]],
    start: float | None,
    end: float | None,
    speaker: str | None = None,
) -> list[Cue]:
    """Build cues from one caption block's (line number, text) pairs, split at `- `/`>>` turns.

    A caption block often holds two speakers (`- Hi.` / `- Hello.`) or a mid-line `>>`;
    each turn becomes its own cue with the same times, on the lines it came from.
    """
    cues: list[Cue] = []
    for number, raw in lines:
        text = fold_spaces(raw)
        if not text:
            continue
        # `>>` glued to a word is no turn marker: its first `>` may close a tag ("</tt>>> next").
        pieces = _TURN_MARK.split(text)
        for index, piece in enumerate(pieces):
            new_turn = index > 0
            if index == 0 and text.startswith(">>"):
                new_turn = True
            piece = piece.strip()
            if re.match(r"^[-\u2010\u2013\u2014]\s+\S", piece):
                new_turn = True
                piece = piece[1:].strip()
            if not piece:
                continue
            if cues and not new_turn:
                # Continuation line of the same turn: one cue per turn keeps sentences whole.
                cues[-1].text = f"{cues[-1].text} {piece}"
                cues[-1].line_end = number
                continue
            cues.append(Cue(piece, number, number, start, end, speaker, new_turn))
    return cues


def first_speakers(cues: Iterable[Cue]) -> list[str]:
    """Speakers in order of first appearance, without repeats."""
    seen: dict[str, None] = {}
    for cue in cues:
        if cue.speaker:
            seen.setdefault(cue.speaker, None)
    return list(seen)


def mark_speaker_changes(cues: list[Cue]) -> list[Cue]:
    """Start a turn wherever the named speaker changes (the first named cue included)."""
    previous: str | None = None
    for cue in cues:
        if cue.speaker is not None and cue.speaker != previous:
            cue.new_turn = True
            previous = cue.speaker
    return cues


def fix_end(start: float | None, end: float | None) -> float | None:
    """An end time before the start (a real-file quirk) is replaced by the start."""
    if start is not None and end is not None and end < start:
        return start
    return end


def require_cues(cues: list[Cue], path: Path, what: str) -> list[Cue]:
    """Fail with one clear line when a file of this format holds no caption text."""
    if not cues:
        raise InputError(str(path), f"no caption text found in this {what} file")
    return cues


class LineIndex:
    """Maps character offsets of a text to 1-based line numbers (built on first use)."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._starts: list[int] | None = None

    def line_of(self, offset: int) -> int:
        """The 1-based line holding character `offset`."""
        if self._starts is None:
            # Sniffers make these for every JSON file; only the chosen parser pays for it.
            lengths = (len(line) + 1 for line in self._text.split("\n"))
            self._starts = list(itertools.accumulate(lengths, initial=0))
        return bisect.bisect_right(self._starts, offset)


def body_lines(text: str) -> list[str]:
    """The file's lines without a BOM and line terminators (CRLF, CR or LF)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return _NEWLINE.split(text)
