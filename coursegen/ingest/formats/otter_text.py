"""Otter.ai text export: `Speaker Name  0:03` line, a paragraph, a blank line.

Times are `m:ss` or `h:mm:ss` at paragraph starts only, so a paragraph ends where the
next begins. Otter's footer (`Transcribed by https://otter.ai`) is not speech.
"""

from __future__ import annotations

import re
from pathlib import Path

from coursegen.ingest.base import Cue, ParsedTranscript
from coursegen.ingest.formats._common import (
    body_lines,
    clock_to_seconds,
    first_speakers,
    fold_spaces,
    mark_speaker_changes,
    require_cues,
    turn_cues,
)

# A name is a few capitalised words ("Jane Doe", "Speaker 2", "Dr. O'Neil-Smith"), so a
# sentence that happens to end with a time ("We ended at 11:45") is not a header.
_NAME = r"[A-Z][\w.'\-]*(?: [A-Z0-9][\w.'\-]*){0,4}"
_HEADER = re.compile(rf"^(?:({_NAME})\s+)?((?:\d{{1,2}}:)?\d{{1,2}}:\d{{2}})\s*$")
_FOOTER = re.compile(r"^\s*Transcribed by https?://otter\.ai\s*$", re.IGNORECASE)


def _headers(lines: list[str]) -> list[int]:
    """Rows of `Name  m:ss` lines that are followed by a paragraph."""
    rows = []
    for index, line in enumerate(lines):
        followed = index + 1 < len(lines) and lines[index + 1].strip() != ""
        if _HEADER.match(line) and followed and not _HEADER.match(lines[index + 1]):
            rows.append(index)
    return rows


class OtterTextParser:
    """Otter-style speaker/time headed paragraphs."""

    name = "otter-text"

    def sniff(self, text: str, path: Path) -> float:
        """Several `Name  m:ss` headers, each followed by a paragraph."""
        lines = body_lines(text[:30000])
        headers = _headers(lines)
        first = next((index for index, line in enumerate(lines) if line.strip()), None)
        if not headers or headers[0] != first:
            return 0.0  # Otter files open with a header; otherwise text before it would be lost
        paragraphs = sum(1 for line in lines if line.strip()) - len(headers)
        if len(headers) >= 2 and paragraphs <= 3 * len(headers) + 2:
            return 0.85
        return 0.5 if len(headers) >= 2 else 0.3

    def parse(self, text: str, path: Path) -> ParsedTranscript:
        """One cue per paragraph line, timed from its header to the next header."""
        lines = body_lines(text)
        headers = _headers(lines)
        cues: list[Cue] = []
        for position, row in enumerate(headers):
            match = _HEADER.match(lines[row])
            assert match is not None
            speaker = fold_spaces(match.group(1)) if match.group(1) else None
            start = clock_to_seconds(match.group(2))
            limit = headers[position + 1] if position + 1 < len(headers) else len(lines)
            end = clock_to_seconds(_HEADER.match(lines[limit]).group(2)) if limit < len(lines) else None  # type: ignore[union-attr]
            payload = [
                (index + 1, lines[index])
                for index in range(row + 1, limit)
                if lines[index].strip() and not _FOOTER.match(lines[index])
            ]
            # A turn where the named speaker changes (mark_speaker_changes); Otter also splits
            # one speaker's monologue into paragraphs, and unnamed headers say nothing of turns.
            cues.extend(turn_cues(payload, start, end, speaker))
        cues = mark_speaker_changes(require_cues(cues, path, "Otter text"))
        return ParsedTranscript(format=self.name, cues=cues, speakers=first_speakers(cues))


PARSERS = [OtterTextParser()]
