"""YouTube timedtext XML: srv1 (`<text start dur>` in seconds) and srv3 (`<p t d>` in ms).

srv1 text is HTML-escaped inside XML, and often escaped twice (`&amp;#39;` for an
apostrophe), so after XML decoding we unescape HTML entities once more. srv3 auto captions
put each word in an `<s>` with an offset; `<p>` rows holding only a newline (`a="1"`)
are the rolling display's line breaks, not speech.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

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
from coursegen.ingest.formats._jsonspan import media_time
from coursegen.ingest.formats._xml import Node, parse_xml

_SRV1 = re.compile(r"<transcript\b[^>]*>\s*<text\s[^>]*\bstart=", re.DOTALL)
_SRV3 = re.compile(r"<timedtext\b[^>]*\bformat=[\"']3[\"']")


def _time(node: Node, name: str, path: Path, millis: bool = False) -> float | None:
    """An attribute as seconds (rounded to the ms): None when missing or not a number, which keeps
    the text untimed; InputError naming the element and line when no media time can be that large."""
    where = f"<{node.tag}> on line {node.line_start}, attribute {name}"
    seconds = media_time(node.attrs.get(name), path, where, millis=millis)
    return round_seconds(seconds) if seconds is not None else None


class Srv1Parser:
    """YouTube timedtext srv1 (the legacy `/api/timedtext` XML)."""

    name = "youtube-srv1"

    def sniff(self, text: str, path: Path) -> float:
        """`<transcript><text start=... dur=...>` near the top."""
        return 0.96 if _SRV1.search(text[:4000]) else 0.0

    def parse(self, text: str, path: Path) -> ParsedTranscript:
        """One cue per `<text>`; entities decoded twice; end = start + dur."""
        root = parse_xml(text, path)
        cues: list[Cue] = []
        for node in root.iter("text"):
            start = _time(node, "start", path)
            duration = _time(node, "dur", path)
            end = round_seconds(start + duration) if start is not None and duration is not None else None
            body = strip_markup(html.unescape(node.text()), unescape=True)
            for cue in turn_cues([(node.line_start, fold_spaces(body))], start, end):
                cue.line_end = max(cue.line_end, node.line_end)
                cues.append(cue)
        cues = apply_name_prefixes(require_cues(cues, path, "YouTube srv1"))
        return ParsedTranscript(format=self.name, cues=cues, speakers=first_speakers(cues))


class Srv3Parser:
    """YouTube timedtext srv3 (`<timedtext format="3">`)."""

    name = "youtube-srv3"

    def sniff(self, text: str, path: Path) -> float:
        """The `format="3"` root is srv3's signature."""
        return 0.96 if _SRV3.search(text[:4000]) else 0.0

    def parse(self, text: str, path: Path) -> ParsedTranscript:
        """One cue per `<p>` with speech; `t`/`d` are milliseconds."""
        root = parse_xml(text, path)
        body_nodes = root.iter("body") or [root]
        cues: list[Cue] = []
        for node in body_nodes[0].iter("p"):
            start = _time(node, "t", path, millis=True)
            duration = _time(node, "d", path, millis=True)
            end = round_seconds(start + duration) if start is not None and duration is not None else None
            body = fold_spaces(strip_markup(html.unescape(node.text()), unescape=True))
            if not body:
                continue  # an `a="1"` line-break row of the rolling display
            for cue in turn_cues([(node.line_start, body)], start, end):
                cue.line_end = max(cue.line_end, node.line_end)
                cues.append(cue)
        cues = apply_name_prefixes(require_cues(cues, path, "YouTube srv3"))
        return ParsedTranscript(format=self.name, cues=cues, speakers=first_speakers(cues))


PARSERS = [Srv1Parser(), Srv3Parser()]
