"""Plain text: paragraphs, perhaps with `Name:` speaker prefixes. The last-resort format.

A `Name:` prefix counts as a speaker when that name starts at least two lines, or when it
is written in capitals (`BOB:`) beside another speaker, so a stray `Note:` stays text.
Each line is a cue (no times) so citations point at its line.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from coursegen.ingest.base import Cue, ParsedTranscript
from coursegen.ingest.formats._common import (
    body_lines,
    first_speakers,
    require_cues,
    split_name_prefix,
    turn_cues,
)


class PlainTextParser:
    """Untimed text."""

    name = "plain-text"

    def sniff(self, text: str, path: Path) -> float:
        """Any text with letters; every other format outranks it."""
        return 0.05 if any(ch.isalpha() for ch in text[:20000]) else 0.0

    def parse(self, text: str, path: Path) -> ParsedTranscript:
        """One cue per non-blank line; repeated `Name:` prefixes become speakers."""
        lines = body_lines(text)
        prefixes = Counter(split_name_prefix(line.strip())[0] for line in lines)
        speakers = {name for name, count in prefixes.items() if name is not None and count >= 2}
        if speakers:
            speakers |= {name for name in prefixes if name is not None and name.isupper()}
        cues: list[Cue] = []
        speaker: str | None = None
        for index, line in enumerate(lines):
            name, rest = split_name_prefix(line.strip())
            new_turn = False
            if name in speakers:
                speaker, line, new_turn = name, rest, True
            line_cues = turn_cues([(index + 1, line)], None, None, speaker)
            if line_cues and new_turn:
                line_cues[0].new_turn = True
            cues.extend(line_cues)
        cues = require_cues(cues, path, "plain text")
        return ParsedTranscript(format=self.name, cues=cues, speakers=first_speakers(cues))


PARSERS = [PlainTextParser()]
