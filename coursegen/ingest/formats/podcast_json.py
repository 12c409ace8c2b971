"""Podcasting 2.0 JSON transcripts (podcast namespace `transcripts.md`).

`{"version": "1.0.0", "segments": [{"speaker", "startTime", "endTime", "body"}]}`;
hosting tools often write one word per segment and name the speaker only on some.
"""

from __future__ import annotations

from pathlib import Path

from coursegen.ingest.base import Cue, ParsedTranscript
from coursegen.ingest.formats._common import (
    first_speakers,
    fix_end,
    fold_spaces,
    mark_speaker_changes,
    require_cues,
    round_seconds,
    strip_markup,
)
from coursegen.ingest.formats._jsonspan import JsonText, first_item, json_head, number


class PodcastJsonParser:
    """Podcasting 2.0 JSON."""

    name = "podcast-json"

    def sniff(self, text: str, path: Path) -> float:
        """Segments with `startTime` and `body`."""
        if not json_head(text).startswith("{") or '"segments"' not in text:
            return 0.0
        item = first_item(text, ("segments",))
        if isinstance(item, dict) and "startTime" in item and "body" in item:
            return 0.96
        return 0.0

    def parse(self, text: str, path: Path) -> ParsedTranscript:
        """One cue per segment; a segment without a speaker continues the last one named."""
        document = JsonText(text, path)
        offset = document.value_offset(("segments",))
        cues: list[Cue] = []
        speaker: str | None = None
        for segment, begin, finish in document.items(offset) if offset is not None else iter(()):
            if not isinstance(segment, dict):
                continue
            start = number(segment.get("startTime"))
            end = number(segment.get("endTime"))
            named = segment.get("speaker")
            if isinstance(named, str) and named.strip():
                speaker = fold_spaces(named)
            body = fold_spaces(strip_markup(str(segment.get("body", "")), unescape=False))
            if not body:
                continue
            first, last = document.lines_of(begin, finish)
            start = round_seconds(start) if start is not None else None
            end = fix_end(start, round_seconds(end) if end is not None else None)
            cues.append(Cue(body, first, last, start, end, speaker))
        cues = mark_speaker_changes(require_cues(cues, path, "Podcasting 2.0 JSON"))
        return ParsedTranscript(format=self.name, cues=cues, speakers=first_speakers(cues))


PARSERS = [PodcastJsonParser()]
