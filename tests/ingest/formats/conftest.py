"""Shared helpers for the standard-format tests: fixture paths, the manifest, parsing."""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from coursegen.ingest.base import ParsedTranscript
from coursegen.ingest.detect import choose_parser, decode
from tests.ingest.trace import is_subsequence, tokens

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "formats"
GENERATED = FIXTURES / "generated"
REAL = FIXTURES / "real"
MANIFEST: dict[str, dict[str, Any]] = json.loads((GENERATED / "expected.json").read_text("utf-8"))

# Format syntax that must never reach cue text.
LEAKS = re.compile(
    r"</?(?:i|b|u|c|v|font|span|br|s|p|text)\b[^>]*>"  # markup tags
    r"|<\d{1,2}:\d{2}(?::\d{2})?[.,]\d{3}>"  # inline word timestamps
    r"|-->|\d{1,2}:\d{2}:\d{2}[.,]\d{3}"  # timing lines
    r"|&(?:amp|lt|gt|quot|nbsp|#\d+|#x[0-9a-f]+);"  # undecoded entities
    r"|\{\\[^}]*\}",  # ASS override tags
    re.IGNORECASE,
)


_MARKUP = re.compile(r"<[^<>\n]{0,300}>|\{\\[^{}\n]{0,40}\}")
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def prepare(region: str) -> str:
    """Source lines as words: entities decoded (twice), JSON escapes undone, tags → spaces.

    Tags become spaces, not nothing: in one-line XML (srv1) `</text><text ...>` separates
    the last word of one cue from the first of the next.
    """
    region = _MARKUP.sub(" ", region)  # real tags first: escaped `&lt;fun&gt;` is speech
    region = html.unescape(html.unescape(region))
    region = _JSON_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), region)
    return region.replace("\\n", " ").replace('\\"', '"')


@lru_cache(maxsize=128)
def parse(path: Path) -> tuple[str, ParsedTranscript]:
    """Decode as the ingester does, detect the format, parse: (format name, result).

    Cached: tests only read the result (parsing is deterministic, each file parsed once).
    """
    text = decode(path.read_bytes(), str(path))
    parser = choose_parser(text, path)
    return parser.name, parser.parse(text, path)


@lru_cache(maxsize=64)
def _region_tokens(region: str) -> tuple[str, ...]:
    return tuple(tokens(prepare(region)))


def assert_cues_traceable(path: Path, parsed: ParsedTranscript) -> None:
    """Every cue's words appear in order within its own line range of the file."""
    lines = decode(path.read_bytes(), str(path)).split("\n")
    previous_start = 0
    for cue in parsed.cues:
        assert 1 <= cue.line_start <= cue.line_end <= len(lines), (path.name, cue)
        assert cue.line_start >= previous_start, f"{path.name}: cues out of file order at {cue}"
        previous_start = cue.line_start
        region = _region_tokens("\n".join(lines[cue.line_start - 1 : cue.line_end]))
        assert is_subsequence(tokens(cue.text), list(region)), (path.name, cue)
