"""SubRip (.srt): index / `HH:MM:SS,mmm --> HH:MM:SS,mmm` / text lines / blank.

Real files break the textbook layout: CRLF, missing indexes, blank lines inside a cue,
dots instead of commas, `X1:` position coordinates after the times, `<i>`/`<font>` tags,
`{\\an8}` overrides, end times before the start, and distributor ads in the first or
last cue. Cues are found by their timing lines, so a stray blank line never splits one.
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
    require_cues,
    strip_markup,
    turn_cues,
)

_TIME = r"\d{1,3}:\d{1,2}:\d{1,2}(?:[,.:]\d{1,3})?"
_TIMING = re.compile(rf"^\s*({_TIME})\s*-+>\s*({_TIME})(?:\s.*)?$")
_INDEX = re.compile(r"^\s*\d+\s*$")
# Lines that only a subtitle distributor writes; recognised in the first and last cues.
_AD = re.compile(
    r"opensubtitles|subtitles? (?:by|downloaded|ripped|synced|created)|synced (?:and|&) corrected"
    r"|support us and become vip|advertise your product|addic7ed|subscene|yts\.(?:mx|lt|am)"
    r"|www\.[a-z0-9-]+\.(?:com|org|net)\b.*sub|osdb\.link|encoded by|ripped by",
    re.IGNORECASE,
)


def _is_ad(cue_lines: list[str]) -> bool:
    return any(_AD.search(line) for line in cue_lines)


class SrtParser:
    """SubRip subtitles."""

    name = "srt"

    def sniff(self, text: str, path: Path) -> float:
        """Timing lines with comma milliseconds (SRT's mark) and index lines before them."""
        head = text[:20000].lstrip("\ufeff \r\n\t")
        if head.startswith("WEBVTT"):
            return 0.0
        lines = body_lines(head)
        timings = [i for i, line in enumerate(lines) if _TIMING.match(line)]
        if not timings:
            return 0.0
        indexed = sum(1 for i in timings if i > 0 and _INDEX.match(lines[i - 1]))
        score = 0.6 + 0.3 * (indexed / len(timings))
        if "," in lines[timings[0]]:
            score += 0.05
        if path.suffix.lower() == ".srt":
            score += 0.04
        return min(score, 0.99)

    def parse(self, text: str, path: Path) -> ParsedTranscript:
        """Read every timed cue; drop distributor ads in the first and last cues."""
        lines = body_lines(text)
        timing_rows = [i for i, line in enumerate(lines) if _TIMING.match(line)]
        blocks: list[tuple[float | None, float | None, list[tuple[int, str]]]] = []
        for position, row in enumerate(timing_rows):
            match = _TIMING.match(lines[row])
            assert match is not None
            start = clock_to_seconds(match.group(1))
            end = fix_end(start, clock_to_seconds(match.group(2)))
            stop = timing_rows[position + 1] if position + 1 < len(timing_rows) else len(lines)
            if position + 1 < len(timing_rows) and stop - 1 > row and _INDEX.match(lines[stop - 1]):
                stop -= 1  # the next cue's index line
            payload = [(n + 1, lines[n]) for n in range(row + 1, stop)]
            while payload and not payload[-1][1].strip():
                payload.pop()
            blocks.append((start, end, payload))
        while blocks and _is_ad([t for _, t in blocks[0][2]]):
            blocks.pop(0)
        while blocks and _is_ad([t for _, t in blocks[-1][2]]):
            blocks.pop()
        cues: list[Cue] = []
        for start, end, payload in blocks:
            cleaned = [(n, strip_markup(t, unescape=True)) for n, t in payload]
            cues.extend(turn_cues(cleaned, start, end))
        cues = apply_name_prefixes(require_cues(cues, path, "SRT"))
        return ParsedTranscript(format=self.name, cues=cues, speakers=first_speakers(cues))


PARSERS = [SrtParser()]
