"""Rev JSON: `{"monologues": [{"speaker", "speaker_name"?, "elements": [...]}]}`.

Elements are `text` (a word with `ts`/`end_ts`), `punct` (punctuation and the spaces
between words, no times) and `unknown` (`<inaudible>`). Speaker names come from
`speaker_name` or a top-level `speakers` list; otherwise Rev's own `Speaker N` label.
Each monologue is cut into sentence cues so every sentence keeps its own time.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from coursegen.ingest.base import Cue, ParsedTranscript
from coursegen.ingest.formats._common import (
    first_speakers,
    fix_end,
    fold_spaces,
    mark_speaker_changes,
    require_cues,
    round_seconds,
)
from coursegen.ingest.formats._jsonspan import JsonText, json_head, media_time, text_field

_SENTENCE_END = re.compile(r"[.?!…]")


class RevJsonParser:
    """Rev.ai / Rev.com JSON transcripts."""

    name = "rev-json"

    def sniff(self, text: str, path: Path) -> float:
        """`monologues` holding `elements`."""
        head = json_head(text)
        if head.startswith("{") and '"monologues"' in text and '"elements"' in text:
            return 0.96
        return 0.0

    def parse(self, text: str, path: Path) -> ParsedTranscript:
        """Sentence cues per monologue, each a new turn."""
        document = JsonText(text, path)
        names: dict[str, str] = {}
        speakers_at = document.value_offset(("speakers",))
        if speakers_at is not None:
            names = _speaker_names(document.decode_at(speakers_at))
        offset = document.value_offset(("monologues",))
        cues: list[Cue] = []
        monologues = document.items(offset) if offset is not None else iter(())
        for index, (monologue, begin, _) in enumerate(monologues):
            if not isinstance(monologue, dict):
                continue
            speaker = _speaker(monologue, names)
            elements_at = document.value_offset(("elements",), begin)
            if elements_at is None:
                continue
            turn = _Sentences(speaker)
            elements = document.items(elements_at)
            for number, (element, element_begin, element_end) in enumerate(elements):
                where = f"monologues[{index}].elements[{number}]"
                turn.add(element, *document.lines_of(element_begin, element_end), path, where)
            turn.close()
            if turn.cues:
                turn.cues[0].new_turn = True
            cues.extend(turn.cues)
        cues = mark_speaker_changes(require_cues(cues, path, "Rev JSON"))
        return ParsedTranscript(format=self.name, cues=cues, speakers=first_speakers(cues))


def _speaker_names(value: Any) -> dict[str, str]:
    names: dict[str, str] = {}
    if isinstance(value, list):
        for entry in value:
            if isinstance(entry, dict) and isinstance(entry.get("name"), str) and "id" in entry:
                names[str(entry["id"])] = fold_spaces(entry["name"])
    return names


def _speaker(monologue: dict[str, Any], names: dict[str, str]) -> str | None:
    named = monologue.get("speaker_name")
    if isinstance(named, str) and named.strip():
        return fold_spaces(named)
    label = monologue.get("speaker")
    if isinstance(label, dict):  # some exports nest it: {"id": 0, "name": "Ada"}
        named, label = label.get("name"), label.get("id")
        if isinstance(named, str) and named.strip():
            return fold_spaces(named)
    if label is None or isinstance(label, bool):
        return None
    if isinstance(label, str) and not label.strip().isdigit():
        return fold_spaces(label) or None  # already a name
    return names.get(str(label), f"Speaker {label}")


class _Sentences:
    """Collects elements of one monologue into sentence cues."""

    def __init__(self, speaker: str | None) -> None:
        self.speaker = speaker
        self.cues: list[Cue] = []
        self._parts: list[str] = []
        self._lines: tuple[int, int] | None = None
        self._start: float | None = None
        self._end: float | None = None

    def add(self, element: Any, first: int, last: int, path: Path, where: str) -> None:
        if not isinstance(element, dict):
            return
        value = text_field(element.get("value"), path, f"{where}.value")
        if value is None:
            return
        if element.get("type") == "unknown":
            return  # `<inaudible>` and the like: no words to cite
        if element.get("type") == "text":
            start = media_time(element.get("ts"), path, f"{where}.ts")
            end = media_time(element.get("end_ts"), path, f"{where}.end_ts")
            if start is not None and self._start is None:
                self._start = round_seconds(start)
            if end is not None:
                self._end = round_seconds(end)
        self._parts.append(value)
        if value.strip():
            self._lines = (self._lines[0], last) if self._lines else (first, last)
        if element.get("type") == "punct" and _SENTENCE_END.search(value):
            self.close()

    def close(self) -> None:
        text = fold_spaces("".join(self._parts))
        if text and self._lines is not None:
            start = self._start
            self.cues.append(
                Cue(text, self._lines[0], self._lines[1], start, fix_end(start, self._end), self.speaker)
            )
        self._parts, self._lines, self._start, self._end = [], None, None, None


PARSERS = [RevJsonParser()]
