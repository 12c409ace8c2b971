"""Podcasting 2.0 JSON transcripts (podcast namespace `transcripts.md`).

`{"version": "1.0.0", "segments": [{"speaker", "startTime", "endTime", "body"}]}`;
hosting tools often write one word per segment and name the speaker only on some; such
words are joined into short phrase cues (see `_Phrases`).
"""

from __future__ import annotations

import re
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
from coursegen.ingest.formats._jsonspan import JsonText, first_item, json_head, media_time, text_field

_SENTENCE_END = re.compile(r"[.?!…][\"'”’)\]]*$")
_PAUSE = 1.0  # seconds of silence that end a phrase
_MAX_WORDS = 12


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
        """Segments joined into phrase cues; a segment without a speaker continues the last one."""
        document = JsonText(text, path)
        offset = document.value_offset(("segments",))
        phrases = _Phrases()
        speaker: str | None = None
        items = document.items(offset) if offset is not None else iter(())
        for index, (segment, begin, finish) in enumerate(items):
            if not isinstance(segment, dict):
                continue
            where = f"segments[{index}]"
            start = media_time(segment.get("startTime"), path, f"{where}.startTime")
            end = media_time(segment.get("endTime"), path, f"{where}.endTime")
            named = segment.get("speaker")
            if isinstance(named, str) and named.strip():
                speaker = fold_spaces(named)
            raw = text_field(segment.get("body"), path, f"{where}.body") or ""
            body = fold_spaces(strip_markup(raw, unescape=False))
            if not body:
                continue
            first, last = document.lines_of(begin, finish)
            start = round_seconds(start) if start is not None else None
            end = fix_end(start, round_seconds(end) if end is not None else None)
            phrases.add(Cue(body, first, last, start, end, speaker))
        phrases.flush()
        cues = mark_speaker_changes(require_cues(phrases.cues, path, "Podcasting 2.0 JSON"))
        return ParsedTranscript(format=self.name, cues=cues, speakers=first_speakers(cues))


class _Phrases:
    """Joins word-per-segment files into phrase cues.

    Hosting tools write one word per segment; a stage direction such as "(laughing)" then
    spans segments and no cleaner could see it whole. A phrase ends at a sentence end, a
    speaker change, a pause, or after a few words, so every phrase keeps a precise time.
    """

    def __init__(self) -> None:
        self.cues: list[Cue] = []
        self._open: Cue | None = None
        self._words = 0

    def add(self, segment: Cue) -> None:
        current = self._open
        gap: float | None = None
        if current is not None and segment.start is not None and current.end is not None:
            gap = segment.start - current.end
        if current is not None and (segment.speaker != current.speaker or (gap is not None and gap > _PAUSE)):
            self.flush()
            current = None
        if current is None:
            self._open, self._words = segment, len(segment.text.split())
        else:
            current.text = f"{current.text} {segment.text}"
            current.line_end = segment.line_end
            current.end = segment.end if segment.end is not None else current.end
            self._words += len(segment.text.split())
        if _SENTENCE_END.search(segment.text) or self._words >= _MAX_WORDS:
            self.flush()

    def flush(self) -> None:
        if self._open is not None:
            self.cues.append(self._open)
            self._open = None


PARSERS = [PodcastJsonParser()]
