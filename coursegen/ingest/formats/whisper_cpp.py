"""whisper.cpp console output: `[HH:MM:SS.mmm --> HH:MM:SS.mmm]   text` (seed 003).

Real files also carry: colour escape codes (`-pc`), `[SPEAKER_TURN]` (tinydiarize),
`(speaker 1)` prefixes (`--diarize`), pasted log lines (`whisper_init_...`, `main: ...`),
hours-less stamps and comma decimals. A line without a stamp continues the previous cue.
"""

from __future__ import annotations

import re
from pathlib import Path

from coursegen.errors import InputError
from coursegen.ingest.base import Cue, ParsedTranscript
from coursegen.ingest.clean import MIDLINE_DASH_TURN
from coursegen.ingest.timecode import parse_clock

_CLOCK = r"(?:\d{1,3}:)?\d{1,3}:\d{1,2}(?:[.,]\d{1,3})?"
_STAMP = re.compile(rf"^\s*\[\s*({_CLOCK})\s*-->\s*({_CLOCK})\s*\](.*)$")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_LOG_LINE = re.compile(
    r"^\s*(?:whisper_\w+|main|system_info|ggml_\w+|load_backend|output_\w+|log_mel_spectrogram|"
    r"operator\(\)|encode|decode|sample|batchd|prompt|total|fallbacks|mel)\s*(?:time\s*)?[:=]"
)
_DIARIZE = re.compile(r"^\(speaker\s*(\?|\d+)\)\s*", re.IGNORECASE)
_TURN_TOKEN = "[SPEAKER_TURN]"


class WhisperCppParser:
    """Parser for whisper.cpp's console transcript."""

    name = "whisper-cpp"

    def sniff(self, text: str, path: Path) -> float:
        """Share of non-blank lines that are `[t --> t]` stamps."""
        lines = [line for line in text[:200_000].split("\n") if line.strip()]
        if not lines:
            return 0.0
        stamped = sum(1 for line in lines if _STAMP.match(_ANSI.sub("", line)))
        share = stamped / len(lines)
        if stamped >= 3 and share >= 0.5:
            return 0.95
        if stamped >= 1 and share >= 0.3:
            return 0.6
        return 0.0

    def parse(self, text: str, path: Path) -> ParsedTranscript:
        """One cue per stamped line; unstamped text lines extend the previous cue."""
        cues: list[Cue] = []
        turn_pending = False
        for number, raw in enumerate(text.split("\n"), start=1):
            line = _ANSI.sub("", raw) if "\x1b" in raw else raw
            match = _STAMP.match(line)
            if not match:
                if cues and line.strip() and not _LOG_LINE.match(line):
                    cues[-1].text += " " + line.strip()
                    cues[-1].line_end = number
                continue
            start, end = parse_clock(match.group(1)), parse_clock(match.group(2))
            body = match.group(3).strip()
            speaker: str | None = None
            diarized = _DIARIZE.match(body)
            if diarized:
                label = diarized.group(1)
                speaker = None if label == "?" else f"Speaker {int(label) + 1}"
                body = body[diarized.end() :]
            new_turn = turn_pending
            turn_pending = False
            if body.endswith(_TURN_TOKEN):
                body = body[: -len(_TURN_TOKEN)].rstrip()
                turn_pending = True
            if body.startswith("- ") or body == "-":
                body = body[1:].lstrip()
                new_turn = True
            if start is not None and end is not None and end < start:
                end = start
            # "- Synthetic data. - Synthetic data, right?": two voices in one segment.
            parts = MIDLINE_DASH_TURN.split(body) if new_turn else [body]
            for index, part in enumerate(parts):
                if index and not part.strip():
                    continue
                cues.append(
                    Cue(
                        text=part,
                        line_start=number,
                        line_end=number,
                        start=start,
                        end=end,
                        speaker=speaker,
                        new_turn=new_turn or index > 0,
                    )
                )
        if not cues:
            raise InputError(str(path), "no whisper.cpp [start --> end] lines found")
        speakers = sorted({cue.speaker for cue in cues if cue.speaker}, key=lambda s: int(s.split()[-1]))
        return ParsedTranscript(format=self.name, cues=cues, speakers=speakers)


PARSERS = [WhisperCppParser()]
