"""The contract between format parsers and the assembler.

A parser turns a decoded file into `ParsedTranscript`: metadata plus raw cues, each cue
knowing the lines of the original file it came from. The assembler (assemble.py) cleans
cues, removes caption repeats, splits sentences and groups passages; parsers never build
Episode objects themselves, so every format gets the same cleaning and line tracing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from coursegen.ir import Claim


@dataclass
class Cue:
    """One caption cue, segment or paragraph as the source gave it."""

    text: str
    line_start: int  # 1-based, inclusive, lines of the original file
    line_end: int
    start: float | None = None
    end: float | None = None
    speaker: str | None = None  # a name or label the source gives
    new_turn: bool = False  # the source marks a speaker change here ("- ", ">>")


@dataclass
class ParsedTranscript:
    """What a parser found in one file."""

    format: str
    cues: list[Cue]
    title: str | None = None
    url: str | None = None
    language: str | None = None
    speakers: list[str] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    # True when the cues are rolling/overlapping captions whose repeats must be removed.
    rolling: bool = False
    # Shortest repeat of the previous caption's end that is cut from the next caption's
    # start; None means 2 words for rolling captions, else 3. A parser that knows its lines
    # overlap (seed 002 style) may lower it to 1.
    overlap_min_words: int | None = None


class FormatParser(Protocol):
    """A format: `sniff` scores how sure it is (0..1), `parse` reads the file."""

    name: str

    def sniff(self, text: str, path: Path) -> float: ...

    def parse(self, text: str, path: Path) -> ParsedTranscript: ...
