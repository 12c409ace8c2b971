"""SubViewer / YouTube SBV: `0:00:00.190,0:00:10.880` / text lines / blank.

YouTube Studio exports this; `>>` marks a speaker change and `[Music]` stage directions.
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

_TIME = r"\d{1,2}:\d{1,2}:\d{1,2}\.\d{1,3}"
_TIMING = re.compile(rf"^\s*({_TIME})\s*,\s*({_TIME})\s*$")


class SbvParser:
    """YouTube SBV captions."""

    name = "sbv"

    def sniff(self, text: str, path: Path) -> float:
        """Lines of two comma-separated clock times."""
        lines = body_lines(text[:20000])
        timings = sum(1 for line in lines if _TIMING.match(line))
        if timings == 0:
            return 0.0
        return 0.9 if timings > 1 or path.suffix.lower() == ".sbv" else 0.7

    def parse(self, text: str, path: Path) -> ParsedTranscript:
        """One cue per block, split at `>>` turns."""
        lines = body_lines(text)
        rows = [i for i, line in enumerate(lines) if _TIMING.match(line)]
        cues: list[Cue] = []
        for position, row in enumerate(rows):
            match = _TIMING.match(lines[row])
            assert match is not None
            start = clock_to_seconds(match.group(1))
            end = fix_end(start, clock_to_seconds(match.group(2)))
            limit = rows[position + 1] if position + 1 < len(rows) else len(lines)
            payload: list[tuple[int, str]] = []
            for index in range(row + 1, limit):
                if not lines[index].strip():
                    break
                payload.append((index + 1, strip_markup(lines[index], unescape=True)))
            cues.extend(turn_cues(payload, start, end))
        cues = apply_name_prefixes(require_cues(cues, path, "SBV"))
        return ParsedTranscript(format=self.name, cues=cues, speakers=first_speakers(cues))


PARSERS = [SbvParser()]
