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
    ms_to_seconds,
    require_cues,
    round_seconds,
    strip_markup,
    turn_cues,
)
from coursegen.ingest.formats._xml import parse_xml

_SRV1 = re.compile(r"<transcript\b[^>]*>\s*<text\s[^>]*\bstart=", re.DOTALL)
_SRV3 = re.compile(r"<timedtext\b[^>]*\bformat=[\"']3[\"']")


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


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
            start = _number(node.attrs.get("start"))
            duration = _number(node.attrs.get("dur"))
            if start is None:
                continue
            start = round_seconds(start)
            end = round_seconds(start + duration) if duration is not None else None
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
            start_ms = _number(node.attrs.get("t"))
            if start_ms is None:
                continue
            duration_ms = _number(node.attrs.get("d"))
            start = ms_to_seconds(start_ms)
            end = ms_to_seconds(start_ms + duration_ms) if duration_ms is not None else None
            body = fold_spaces(strip_markup(html.unescape(node.text()), unescape=True))
            if not body:
                continue  # an `a="1"` line-break row of the rolling display
            for cue in turn_cues([(node.line_start, body)], start, end):
                cue.line_end = max(cue.line_end, node.line_end)
                cues.append(cue)
        cues = apply_name_prefixes(require_cues(cues, path, "YouTube srv3"))
        return ParsedTranscript(format=self.name, cues=cues, speakers=first_speakers(cues))


PARSERS = [Srv1Parser(), Srv3Parser()]
