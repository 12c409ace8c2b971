"""Plain text: paragraphs, perhaps with `Name:` speaker prefixes. The last-resort format.

`Name:` prefixes count as speakers once some name starts two or more lines (then a guest
who speaks once counts too), so a stray `Note:` stays text.
Each line is a cue (no times) so citations point at its line.
"""

from __future__ import annotations

import json
from pathlib import Path

from coursegen.ingest.base import Cue, ParsedTranscript
from coursegen.ingest.formats._common import (
    body_lines,
    first_speakers,
    require_cues,
    speaker_names,
    split_name_prefix,
    turn_cues,
)


class PlainTextParser:
    """Untimed text."""

    name = "plain-text"

    def sniff(self, text: str, path: Path) -> float:
        """Any text with letters, except data files; every other format outranks it."""
        if _looks_like_data(text):
            return 0.0  # a JSON or XML file no transcript parser claimed is not speech
        return 0.05 if any(ch.isalpha() for ch in text[:20000]) else 0.0

    def parse(self, text: str, path: Path) -> ParsedTranscript:
        """One cue per non-blank line; repeated `Name:` prefixes become speakers."""
        lines = body_lines(text)
        speakers = speaker_names(line.strip() for line in lines)
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


def _looks_like_data(text: str) -> bool:
    """JSON (an object or array) or XML/HTML markup, judged by its first and last characters."""
    body = text.strip().lstrip("\ufeff")
    if not body:
        return False
    if (body[0], body[-1]) in {("{", "}"), ("[", "]")}:
        try:
            json.loads(body)
        except ValueError:
            return False
        return True
    return body[0] == "<" and body[-1] == ">"


PARSERS = [PlainTextParser()]
