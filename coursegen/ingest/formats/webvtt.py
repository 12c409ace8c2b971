"""WebVTT, and YouTube's auto-generated WebVTT (`youtube-vtt`).

WebVTT: `WEBVTT` header, optional `Kind:`/`Language:` header lines, blocks separated by
blank lines; `NOTE`, `STYLE` and `REGION` blocks carry no speech; a cue is an optional id
line, `[HH:]MM:SS.mmm --> [HH:]MM:SS.mmm [settings]` and payload lines with `<v Name>`,
`<i>`, `<c.class>` and `&amp;`-style entities.

YouTube auto captions (as saved by yt-dlp) show each phrase three times: in a cue whose
new row carries `<00:00:00.960><c> word</c>` timings, in a 10 ms snapshot cue, and as the
first row of the next cue. Only the newly spoken row of each cue is kept; when the file
has no word timings to tell new rows apart, `rolling=True` asks the assembler to remove
any overlap left.
"""

from __future__ import annotations

import re
from pathlib import Path

from coursegen.ingest.base import Cue, ParsedTranscript
from coursegen.ingest.formats._common import (
    apply_name_prefixes,
    body_lines,
    clock_to_seconds,
    first_speakers,
    fix_end,
    fold_spaces,
    mark_speaker_changes,
    require_cues,
    strip_markup,
    turn_cues,
)

_TIME = r"(?:\d+:)?\d{1,2}:\d{1,2}[.,]\d{1,3}"
_TIMING = re.compile(rf"^\s*({_TIME})\s*-->\s*({_TIME})(?:\s+.*)?$")
_VOICE = re.compile(r"<v(?:\.[\w.\-]+)?\s+([^>]+)>")
_WORD_TIMING = re.compile(r"<\d{1,2}:\d{2}:\d{2}\.\d{3}><c[^>]*>")
_LANGUAGE = re.compile(r"^Language:\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)\s*$", re.MULTILINE)
_SNAPSHOT_SECONDS = 0.05  # YouTube's repeat cues last 10 ms


def _blocks(lines: list[str]) -> list[list[int]]:
    """Row indexes of each blank-line separated block."""
    blocks: list[list[int]] = []
    current: list[int] = []
    for index, line in enumerate(lines):
        if line.strip():
            current.append(index)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _timed_blocks(
    lines: list[str],
) -> list[tuple[float, float | None, list[int]]]:
    """(start, end, payload rows) for every cue; header, NOTE/STYLE/REGION blocks skipped.

    A payload ends at a blank line, except YouTube writes a row holding one space as the
    first payload row, which `_blocks` would treat as blank; we therefore scan from each
    timing line to the next blank-and-timing boundary.
    """
    cues: list[tuple[float, float | None, list[int]]] = []
    timing_rows = [i for i, line in enumerate(lines) if _TIMING.match(line)]
    for position, row in enumerate(timing_rows):
        match = _TIMING.match(lines[row])
        assert match is not None
        start = clock_to_seconds(match.group(1))
        end = fix_end(start, clock_to_seconds(match.group(2)))
        if start is None:
            continue
        limit = timing_rows[position + 1] if position + 1 < len(timing_rows) else len(lines)
        payload: list[int] = []
        for index in range(row + 1, limit):
            line = lines[index]
            if not line.strip():
                if line and payload == [] and index + 1 < limit and lines[index + 1].strip():
                    continue  # YouTube's single-space first row
                break
            payload.append(index)
        # The next cue's id line sits right before its timing line; it is never payload
        # because payload stops at the blank line separating the cues.
        cues.append((start, end, payload))
    return cues


def _language(text: str) -> str | None:
    match = _LANGUAGE.search(text[:2000])
    return match.group(1) if match else None


def _is_vtt(text: str) -> bool:
    return text.lstrip("\ufeff \r\n\t")[:6] == "WEBVTT"


def _is_youtube_auto(text: str) -> bool:
    head = text[:200000]
    if _WORD_TIMING.search(head):
        return True
    # Auto captions saved without word timings still have the 10 ms snapshot cues.
    return len(re.findall(r"\.(\d{3}) --> \d{2}:\d{2}:\d{2}\.\d{3} align:start position:0%", head)) > 3


class WebVttParser:
    """W3C WebVTT captions."""

    name = "webvtt"

    def sniff(self, text: str, path: Path) -> float:
        """The `WEBVTT` signature is mandatory, so it decides."""
        if not _is_vtt(text):
            return 0.0
        return 0.8 if _is_youtube_auto(text) else 0.95

    def parse(self, text: str, path: Path) -> ParsedTranscript:
        """One cue per caption block; `<v Name>` sets the speaker until the next `<v>`."""
        lines = body_lines(text)
        cues: list[Cue] = []
        # Captioners mark the voice where the speaker changes; until the next `<v>`, the
        # same person is speaking, so an unvoiced cue keeps the last voice.
        speaker: str | None = None
        for start, end, payload in _timed_blocks(lines):
            rows: list[tuple[int, str]] = []
            for index in payload:
                raw = lines[index]
                voice = _VOICE.search(raw)
                if voice is not None:
                    if rows:
                        cues.extend(_voiced(rows, start, end, speaker))
                        rows = []
                    speaker = fold_spaces(voice.group(1))
                rows.append((index + 1, strip_markup(raw, unescape=True)))
            cues.extend(_voiced(rows, start, end, speaker))
        cues = apply_name_prefixes(mark_speaker_changes(require_cues(cues, path, "WebVTT")))
        return ParsedTranscript(
            format=self.name, cues=cues, language=_language(text), speakers=first_speakers(cues)
        )


def _voiced(rows: list[tuple[int, str]], start: float, end: float | None, speaker: str | None) -> list[Cue]:
    return turn_cues(rows, start, end, speaker)


class YoutubeVttParser:
    """YouTube auto-generated captions in WebVTT (yt-dlp `--write-auto-subs`)."""

    name = "youtube-vtt"

    def sniff(self, text: str, path: Path) -> float:
        """WEBVTT plus word-timing `<c>` tags or 10 ms snapshot cues."""
        if not _is_vtt(text):
            return 0.0
        return 0.97 if _is_youtube_auto(text) else 0.0

    def parse(self, text: str, path: Path) -> ParsedTranscript:
        """Keep each phrase once: the row a cue adds, never its repeats."""
        lines = body_lines(text)
        cues: list[Cue] = []
        previous_last = ""
        for start, end, payload in _timed_blocks(lines):
            if end is not None and end - start < _SNAPSHOT_SECONDS:
                continue  # the 10 ms snapshot repeats rows already shown
            rows = [(index, lines[index]) for index in payload if fold_spaces(lines[index])]
            for position, (index, raw) in enumerate(rows):
                row = fold_spaces(strip_markup(raw, unescape=True))
                carried = position == 0 and row == previous_last and _WORD_TIMING.search(raw) is None
                if carried:
                    continue  # the top row repeats the previous cue's new row
                cues.extend(turn_cues([(index + 1, row)], start, end))
            if rows:
                previous_last = fold_spaces(strip_markup(rows[-1][1], unescape=True))
        cues = require_cues(cues, path, "YouTube WebVTT")
        # With word timings the new row of each cue is known exactly, so nothing repeats and
        # the assembler's overlap removal would only eat real repetitions ("thousands and
        # thousands and thousands"). Without them, carried rows are matched by text alone,
        # so the assembler is asked to remove any overlap left.
        rolling = _WORD_TIMING.search(text) is None
        return ParsedTranscript(format=self.name, cues=cues, language=_language(text), rolling=rolling)


PARSERS = [WebVttParser(), YoutubeVttParser()]
