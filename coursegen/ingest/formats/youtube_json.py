"""YouTube JSON transcripts: timedtext JSON3 and youtube-transcript-api output.

JSON3: `{"events": [{"tStartMs", "dDurationMs", "segs": [{"utf8", "tOffsetMs"}]}]}`;
events without `segs` define windows, and `aAppend` events holding only "\\n" are the
rolling display's line breaks. youtube-transcript-api: `[{"text", "start", "duration"}]`
whose durations overlap the next snippet; an end is clipped to the next start.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from coursegen.ingest.base import Cue, ParsedTranscript
from coursegen.ingest.formats._common import (
    apply_name_prefixes,
    first_speakers,
    fold_spaces,
    require_cues,
    round_seconds,
    strip_markup,
    turn_cues,
)
from coursegen.ingest.formats._jsonspan import JsonText, first_item, json_head, media_time, text_field


class Json3Parser:
    """YouTube timedtext JSON3 (`fmt=json3`)."""

    name = "youtube-json3"

    def sniff(self, text: str, path: Path) -> float:
        """An object with `events` made of `tStartMs` entries."""
        head = json_head(text)
        if not head.startswith("{") or '"events"' not in text:
            return 0.0
        return 0.96 if '"tStartMs"' in text else 0.0

    def parse(self, text: str, path: Path) -> ParsedTranscript:
        """One cue per event with speech; `segs` joined as written."""
        document = JsonText(text, path)
        offset = document.value_offset(("events",))
        cues: list[Cue] = []
        if offset is not None:
            for index, (event, begin, finish) in enumerate(document.items(offset)):
                cue = _event_cue(event, *document.lines_of(begin, finish), path, f"events[{index}]")
                if cue is not None:
                    cues.extend(cue)
        cues = apply_name_prefixes(require_cues(cues, path, "YouTube JSON3"))
        return ParsedTranscript(format=self.name, cues=cues, speakers=first_speakers(cues))


def _event_cue(event: Any, first: int, last: int, path: Path, where: str) -> list[Cue] | None:
    if not isinstance(event, dict) or not isinstance(event.get("segs"), list):
        return None
    # A missing or garbled start keeps the words, untimed.
    start = media_time(event.get("tStartMs"), path, f"{where}.tStartMs", millis=True)
    duration = media_time(event.get("dDurationMs"), path, f"{where}.dDurationMs", millis=True)
    texts = [
        text_field(seg.get("utf8"), path, f"{where}.segs[{number}].utf8")
        for number, seg in enumerate(event["segs"])
        if isinstance(seg, dict)
    ]
    body = fold_spaces(strip_markup("".join(text or "" for text in texts), unescape=True))
    if not body:
        return None
    if start is not None:
        start = round_seconds(start)
    end = round_seconds(start + duration) if start is not None and duration is not None else None
    cues = turn_cues([(first, body)], start, end)
    for cue in cues:
        cue.line_end = max(cue.line_end, last)
    return cues


def _snippet_keys(item: Any) -> bool:
    return isinstance(item, dict) and {"text", "start", "duration"} <= item.keys()


class TranscriptApiParser:
    """The JSON that youtube-transcript-api writes (`JSONFormatter` or `to_raw_data()`)."""

    name = "youtube-transcript-api"

    def sniff(self, text: str, path: Path) -> float:
        """A list of `{text, start, duration}` (or `{"snippets": [...]}`)."""
        head = json_head(text)
        if head.startswith("["):
            return 0.95 if _snippet_keys(first_item(text)) else 0.0
        if head.startswith("{") and '"snippets"' in text:
            return 0.9 if _snippet_keys(first_item(text, ("snippets",))) else 0.0
        return 0.0

    def parse(self, text: str, path: Path) -> ParsedTranscript:
        """One cue per snippet; entities decoded; overlapping ends clipped."""
        document = JsonText(text, path)
        root_at = document.value_offset(()) if json_head(text).startswith("[") else None
        offset = root_at
        if offset is None:
            offset = document.value_offset(("snippets",))
        cues: list[Cue] = []
        items = document.items(offset) if offset is not None else iter(())
        for index, (item, begin, finish) in enumerate(items):
            # Any object with `text` is a snippet: a missing or garbled time keeps its words.
            if not isinstance(item, dict) or "text" not in item:
                continue
            where = f"{'snippets' if root_at is None else ''}[{index}]"
            raw = text_field(item["text"], path, f"{where}.text")
            if raw is None:
                continue
            start = media_time(item.get("start"), path, f"{where}.start")
            duration = media_time(item.get("duration"), path, f"{where}.duration") or 0.0
            body = fold_spaces(strip_markup(html.unescape(raw), unescape=True))
            first, last = document.lines_of(begin, finish)
            start = round_seconds(start) if start is not None else None
            end = round_seconds(start + duration) if start is not None else None
            for cue in turn_cues([(first, body)], start, end):
                cue.line_end = max(cue.line_end, last)
                cues.append(cue)
        cues = require_cues(cues, path, "youtube-transcript-api")
        for current, following in zip(cues, cues[1:], strict=False):
            if (
                current.end is not None
                and following.start is not None
                and current.start is not None
                and current.start < following.start < current.end
            ):
                current.end = following.start  # snippets overlap; the next one has begun
        cues = apply_name_prefixes(cues)
        return ParsedTranscript(format=self.name, cues=cues, speakers=first_speakers(cues))


PARSERS = [Json3Parser(), TranscriptApiParser()]
