"""The seed layouts: an LLM analysis + transcript, a scraped summary page, bilingual captions.

See docs/formats.md ("The five seeds") for their quirks; whisper.cpp (seed 003) lives in
whisper_cpp.py because it is a real-world format of its own.
"""

from __future__ import annotations

import re
from pathlib import Path

from coursegen.errors import InputError
from coursegen.ingest.base import Cue, ParsedTranscript
from coursegen.ingest.clean import MIDLINE_DASH_TURN, is_junk_line
from coursegen.ingest.formats._common import split_name_prefix
from coursegen.ingest.timecode import parse_clock
from coursegen.ingest.titles import title_from_description
from coursegen.ingest.words import norm_word
from coursegen.ir import Claim

_CAPS_HEADER = re.compile(r"^[A-Z][A-Z0-9&/,' -]{3,}$")
_NUMBERED = re.compile(r"^\s*(\d{1,3})[.)]\s+(\S.*)$")
_QUOTED = re.compile(r'^\s*["“”](.*?)["“”]?\s*$')
_TAKEAWAY = re.compile(
    r"\*\*(?P<title>.+?)\*\*\s*:?\s*(?P<body>.*?)\s*(?:\[(?P<time>\d{1,2}(?::\d{2}){1,2})\])?\s*$"
)
_URL = re.compile(r"https?://\S+")
_CAPTION = re.compile(r"^\[((?:\d{1,3}:)?\d{1,3}:\d{2}(?:[.,]\d{1,3})?)\]\s?(.*)$")


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _turn_cues(line: str, number: int, turn_at_start: bool) -> list[Cue]:
    """Cues for one transcript line, split at "- " speaker-turn markers."""
    body = line.strip()
    new_turn = False
    if turn_at_start and (body.startswith("- ") or body == "-"):
        body, new_turn = body[1:].lstrip(), True
    cues: list[Cue] = []
    for index, part in enumerate(MIDLINE_DASH_TURN.split(body) if turn_at_start else [body]):
        if part.strip():
            cues.append(Cue(text=part, line_start=number, line_end=number, new_turn=new_turn or index > 0))
    return cues


def _lines_overlap(cues: list[Cue]) -> bool:
    """Whether lines often start by repeating the end of the line before (seed 002's quirk).

    Then even a one-word repeat at a line start is the scraper's, not the speaker's.
    """
    pairs = overlapping = 0
    for before, after in zip(cues, cues[1:], strict=False):
        tail = [norm_word(w) for w in before.text.split()[-12:]]
        head = [norm_word(w) for w in after.text.split()[:12]]
        pairs += 1
        if any(tail[-size:] == head[:size] for size in range(4, min(len(tail), len(head)) + 1)):
            overlapping += 1
    return pairs > 0 and overlapping / pairs >= 0.03


def _name_prefixes(cues: list[Cue]) -> list[str]:
    """`[00:12] Ann: text` transcripts: move consistent name prefixes to `speaker`."""
    found = [split_name_prefix(cue.text) for cue in cues]
    names = [name for name, _ in found if name]
    distinct = sorted(set(names))
    if len(names) < max(2, len(cues) * 0.3) or len(distinct) > max(12, len(names) // 4):
        return []
    current: str | None = None
    for cue, (name, rest) in zip(cues, found, strict=True):
        if name:
            cue.new_turn = name != current
            current, cue.text = name, rest
        cue.speaker = current
    return list(dict.fromkeys(names))


class SeedAnalysisParser:
    """Seed 000: LLM analysis (KEY INSIGHTS with quotes), then `# Transcript` with `- ` turns."""

    name = "seed-analysis"

    def sniff(self, text: str, path: Path) -> float:
        """Needs a `# Transcript` line; the analysis headers make it certain."""
        lines = [line.strip() for line in _lines(text[:500_000])]
        if "# Transcript" not in lines:
            return 0.0
        headers = sum(1 for line in lines if line in ("KEY INSIGHTS", "EPISODE CONTEXT", "PEOPLE MENTIONED"))
        return 0.95 if headers else 0.55

    def parse(self, text: str, path: Path) -> ParsedTranscript:
        """Claims from KEY INSIGHTS, one cue per transcript line."""
        lines = _lines(text)
        stripped = [line.strip() for line in lines]
        try:
            marker = stripped.index("# Transcript")
        except ValueError as exc:
            raise InputError(str(path), "no '# Transcript' line found") from exc
        cues: list[Cue] = []
        for number in range(marker + 2, len(lines) + 1):
            line = lines[number - 1]
            if line.strip():
                cues.extend(_turn_cues(line, number, turn_at_start=True))
        speakers = _name_prefixes(cues)
        header = stripped[:marker]
        return ParsedTranscript(
            format=self.name,
            cues=cues,
            title=self._title(header),
            claims=self._claims(header),
            speakers=speakers,
        )

    @staticmethod
    def _title(header: list[str]) -> str | None:
        """The analysis has no title line (its first line is chat): the EPISODE CONTEXT section's
        first line says what the episode is ("The episode focuses on a discussion with …")."""
        in_context = False
        for line in header:
            if _CAPS_HEADER.match(line):
                in_context = line.startswith("EPISODE CONTEXT")
            elif in_context and line:
                return title_from_description(line)
        return None

    @staticmethod
    def _claims(header: list[str]) -> list[Claim]:
        """Numbered KEY INSIGHTS, each with the quoted line that follows it."""
        claims: list[Claim] = []
        in_insights = False
        for index, line in enumerate(header):
            if _CAPS_HEADER.match(line):
                in_insights = line.startswith("KEY INSIGHTS")
                continue
            if not in_insights:
                continue
            numbered = _NUMBERED.match(line)
            if not numbered:
                continue
            quote: str | None = None
            following = next((later for later in header[index + 1 :] if later), "")
            quoted = _QUOTED.match(following)
            if quoted and not _NUMBERED.match(following):
                quote = quoted.group(1).strip() or None
            claims.append(Claim(text=numbered.group(2).strip(), quote=quote))
        return claims


class SeedSummaryPageParser:
    """Seeds 001/002: title, `By <podcast>`, Summary, takeaways, Topics, `Full Transcript`."""

    name = "seed-summary-page"

    def sniff(self, text: str, path: Path) -> float:
        """Needs a `Full Transcript` line; `By ...` on line 2 makes it certain."""
        lines = [line.strip() for line in _lines(text[:500_000])]
        if "Full Transcript" not in lines:
            return 0.0
        return 0.95 if len(lines) > 1 and lines[1].startswith("By ") else 0.6

    def parse(self, text: str, path: Path) -> ParsedTranscript:
        """Takeaways become claims with their times; each transcript line is a cue."""
        lines = _lines(text)
        stripped = [line.strip() for line in lines]
        marker = stripped.index("Full Transcript") if "Full Transcript" in stripped else -1
        if marker < 0:
            raise InputError(str(path), "no 'Full Transcript' line found")
        header = stripped[:marker]
        title = header[0] if header and header[0] not in ("Summary", "Full Transcript") else None
        claims: list[Claim] = []
        for line in header:
            if "Key takeaways" in line or line.startswith("- **"):
                claims.extend(self._takeaways(line))
        cues = [
            Cue(text=lines[number - 1].strip(), line_start=number, line_end=number)
            for number in range(marker + 2, len(lines) + 1)
            if stripped[number - 1] and not is_junk_line(stripped[number - 1])
        ]
        speakers = _name_prefixes(cues)
        return ParsedTranscript(
            format=self.name,
            cues=cues,
            title=title,
            claims=claims,
            speakers=speakers,
            overlap_min_words=1 if _lines_overlap(cues) else None,
        )

    @staticmethod
    def _takeaways(line: str) -> list[Claim]:
        """`- **Title**: text [mm:ss]` items (one long line or one per line)."""
        claims: list[Claim] = []
        for item in re.split(r"(?:^|\s)-\s+(?=\*\*)", line)[1:]:
            match = _TAKEAWAY.match(item.strip())
            if not match:
                continue
            body = match.group("body").strip()
            text = f"{match.group('title').strip()}: {body}" if body else match.group("title").strip()
            time = match.group("time")
            claims.append(Claim(text=text, start=parse_clock(time) if time else None))
        return claims


TIMESTAMPED_TEXT = "timestamped-text"


class SeedBilingualCaptionsParser:
    """Seed 004: `[mm:ss] text` cues, indented translations, rolling captions, `>>` turns."""

    name = "seed-bilingual-captions"

    def sniff(self, text: str, path: Path) -> float:
        """Most unindented lines are `[mm:ss] text`; indented translation lines make it certain."""
        lines = [line for line in _lines(text[:300_000]) if line.strip()]
        flush = [line for line in lines if not line[0].isspace()]
        stamped = sum(1 for line in flush if _CAPTION.match(line))
        if stamped < 3 or stamped / max(1, len(flush)) < 0.5:
            return 0.0
        indented = len(lines) - len(flush)
        return 0.92 if indented else 0.7

    def parse(self, text: str, path: Path) -> ParsedTranscript:
        """One cue per stamped line; indented lines are translations and are left out."""
        lines = _lines(text)
        title: str | None = None
        url: str | None = None
        cues: list[Cue] = []
        translated = False
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            if line[0].isspace():
                translated = True
                continue  # a translation: kept apart from the citable original
            match = _CAPTION.match(line)
            if match:
                start = parse_clock(match.group(1))
                cues.append(Cue(text=match.group(2).strip(), line_start=number, line_end=number, start=start))
                continue
            if cues:
                cues[-1].text += " " + line.strip()
                cues[-1].line_end = number
            elif line.startswith("#") and title is None:
                title = line.lstrip("#").strip()
            elif url is None and (found := _URL.search(line)):
                url = found.group(0)
            elif line.startswith("Translation:"):
                translated = True
        if not cues:
            raise InputError(str(path), "no [mm:ss] caption lines found")
        speakers = _name_prefixes(cues)
        # Captions by named speakers are a written transcript, not a rolling display.
        # Without translations this is the common "[mm:ss] text" export of many tools.
        return ParsedTranscript(
            format=self.name if translated else TIMESTAMPED_TEXT,
            cues=cues,
            title=title,
            url=url,
            speakers=speakers,
            rolling=not speakers,
        )


PARSERS = [SeedAnalysisParser(), SeedSummaryPageParser(), SeedBilingualCaptionsParser()]
