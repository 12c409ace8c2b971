"""TTML / DFXP (W3C Timed Text): `<p begin end>` paragraphs, `<br/>` line breaks.

Time expressions: clock time (`00:01:02.5`, `00:01:02:12` with frames), and offsets
(`12.3s`, `1500ms`, `2m`, `1h`, `30f`, `10000000t` with `ttp:tickRate`). `dur` replaces
`end` in some files, and a `<div>`/`<body>` `begin` shifts the paragraphs inside it.
Speakers come from `ttm:agent` references with a `<ttm:name>`.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

from coursegen.ingest.base import Cue, ParsedTranscript
from coursegen.ingest.formats._common import (
    apply_name_prefixes,
    first_speakers,
    fix_end,
    fold_spaces,
    mark_speaker_changes,
    require_cues,
    strip_markup,
    turn_cues,
)
from coursegen.ingest.formats._xml import Node, parse_xml

_SIGNATURE = re.compile(r"<(?:\w+:)?tt\b[^>]*(?:ttml|ttaf1|dfxp)", re.IGNORECASE | re.DOTALL)
_CLOCK = re.compile(r"^(\d+):(\d{2}):(\d{2})(?:\.(\d+)|:(\d+)(?:\.(\d+))?)?$")
_OFFSET = re.compile(r"^(\d+(?:\.\d+)?)(h|ms|m|s|f|t)$")


class _Rates:
    def __init__(self, tt: Node) -> None:
        def rate(name: str, default: float) -> float:
            try:
                return float(tt.attrs.get(name, default))
            except ValueError:
                return default

        self.frame = rate("frameRate", 30.0)
        multiplier = tt.attrs.get("frameRateMultiplier", "1 1").split()
        with contextlib.suppress(ValueError, IndexError, ZeroDivisionError):
            self.frame *= float(multiplier[0]) / float(multiplier[1])
        self.sub_frame = rate("subFrameRate", 1.0)
        default_tick = self.frame * self.sub_frame if "frameRate" in tt.attrs else 1.0
        self.tick = rate("tickRate", default_tick) or 1.0


def time_expression(value: str | None, rates: _Rates) -> float | None:
    """A TTML time expression → seconds (rounded to the ms), None when absent or invalid."""
    if value is None:
        return None
    value = value.strip()
    clock = _CLOCK.match(value)
    if clock is not None:
        hours, minutes, seconds, fraction, frames, sub_frames = clock.groups()
        total = int(hours) * 3600 + int(minutes) * 60 + int(seconds)
        seconds_f = float(total) + (float("0." + fraction) if fraction else 0.0)
        if frames:
            seconds_f += int(frames) / rates.frame
            if sub_frames:
                seconds_f += int(sub_frames) / (rates.frame * rates.sub_frame)
        return round(seconds_f * 1000) / 1000
    offset = _OFFSET.match(value)
    if offset is not None:
        number, unit = float(offset.group(1)), offset.group(2)
        scale = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001, "f": 1 / rates.frame, "t": 1 / rates.tick}
        return round(number * scale[unit] * 1000) / 1000
    return None


class TtmlParser:
    """TTML and DFXP captions."""

    name = "ttml"

    def sniff(self, text: str, path: Path) -> float:
        """A `<tt>` root in the TTML namespace."""
        return 0.95 if _SIGNATURE.search(text[:5000]) else 0.0

    def parse(self, text: str, path: Path) -> ParsedTranscript:
        """One cue per timed `<p>`, times shifted by enclosing `begin`s."""
        root = parse_xml(text, path)
        roots = root.iter("tt")
        if not roots:
            return ParsedTranscript(format=self.name, cues=require_cues([], path, "TTML"))
        tt = roots[0]
        rates = _Rates(tt)
        agents = _agent_names(tt)
        cues: list[Cue] = []
        # (node, time offset of its parent) in document order.
        stack: list[tuple[Node, float]] = [(tt, 0.0)]
        while stack:
            node, offset = stack.pop()
            begin = time_expression(node.attrs.get("begin"), rates)
            if node.tag == "p":
                timed_spans = [c for c in node.children if isinstance(c, Node) and "begin" in c.attrs]
                if begin is None and timed_spans:
                    # Times on the spans instead of the paragraph (word- or phrase-timed TTML).
                    for span in timed_spans:
                        span_begin = time_expression(span.attrs.get("begin"), rates)
                        span.attrs.setdefault("agent", node.attrs.get("agent", ""))
                        cues.extend(_paragraph_cues(span, offset, span_begin, rates, agents))
                else:
                    cues.extend(_paragraph_cues(node, offset, begin, rates, agents))
                continue
            inner = offset + (begin or 0.0)
            children = [child for child in node.children if isinstance(child, Node)]
            stack.extend((child, inner) for child in reversed(children))
        cues = apply_name_prefixes(mark_speaker_changes(require_cues(cues, path, "TTML")))
        language = tt.attrs.get("lang") or None
        return ParsedTranscript(format=self.name, cues=cues, language=language, speakers=first_speakers(cues))


def _paragraph_cues(
    node: Node, offset: float, begin: float | None, rates: _Rates, agents: dict[str, str]
) -> list[Cue]:
    start = round((offset + begin) * 1000) / 1000 if begin is not None else None
    end = time_expression(node.attrs.get("end"), rates)
    if end is not None:
        end = round((offset + end) * 1000) / 1000
    else:
        duration = time_expression(node.attrs.get("dur"), rates)
        if start is not None and duration is not None:
            end = round((start + duration) * 1000) / 1000
    end = fix_end(start, end)
    agent = node.attrs.get("agent")
    speaker = agents.get(agent, agent) if agent else None
    text = fold_spaces(strip_markup(node.text(), unescape=True))
    cues = turn_cues([(node.line_start, text)], start, end, speaker)
    for cue in cues:
        cue.line_end = max(cue.line_end, node.line_end)
    return cues


def _agent_names(tt: Node) -> dict[str, str]:
    names: dict[str, str] = {}
    for agent in tt.iter("agent"):
        identifier = agent.attrs.get("id")
        name_nodes = agent.iter("name")
        if identifier and name_nodes:
            names[identifier] = fold_spaces(name_nodes[0].text())
    return names


PARSERS = [TtmlParser()]
