"""Traceability check usable on any ingested file: sentences are the source's own words.

`assert_traceable(episode, path)` checks, for every sentence, that its words appear in
order within its `line_start..line_end` lines of the original file. Words of the file may
be skipped (removed caption repeats, markup, stage directions) but no sentence word may be
invented, reordered or taken from outside its lines. It also checks ids, nesting of line
ranges and times, so format tests get all the structural guarantees from one call.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

from coursegen.ingest.detect import source_lines
from coursegen.ir import Episode

_TOKEN = re.compile(r"[^\W_]+")
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
# Markup the cleaners remove without a trace (tags can sit inside words: "<c>wo</c>rd").
_TAG = re.compile(r"</?[A-Za-z][^<>\n]{0,200}>|</?\d[\d:.,]*>|\{\\[^{}\n]{0,40}\}")


def default_prepare(text: str) -> str:
    """Undo escapes a format may put around words: HTML entities (twice) and JSON \\uXXXX."""
    text = html.unescape(html.unescape(text))
    if "\\u" in text:
        text = _JSON_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    text = text.replace("\\n", " ").replace('\\"', '"')
    return _TAG.sub("", text)


def tokens(text: str) -> list[str]:
    """Lower-case letter/digit runs: what must match between a sentence and its lines."""
    return _TOKEN.findall(text.casefold())


def is_subsequence(needle: list[str], haystack: list[str]) -> bool:
    """True when every item of `needle` appears in `haystack` in the same order."""
    position = 0
    for item in needle:
        try:
            position = haystack.index(item, position) + 1
        except ValueError:
            return False
    return True


def assert_traceable(
    episode: Episode,
    original: Path,
    prepare: Callable[[str], str] = default_prepare,
) -> None:
    """Fail with a precise message if any sentence is not traceable to its source lines."""
    lines = source_lines(original.read_bytes(), str(original))
    assert episode.passages, f"{episode.id}: no passages"
    for n, passage in enumerate(episode.passages, start=1):
        assert passage.id == f"{episode.id}/p{n}", passage.id
        assert passage.sentences, f"{passage.id}: no sentences"
        assert 1 <= passage.line_start <= passage.line_end <= len(lines), passage.id
        for k, sentence in enumerate(passage.sentences, start=1):
            where = f"{sentence.id} (lines {sentence.line_start}-{sentence.line_end})"
            assert sentence.id == f"{passage.id}/s{k}", sentence.id
            assert sentence.text.strip() and sentence.text == " ".join(sentence.text.split()), where
            assert passage.line_start <= sentence.line_start <= sentence.line_end <= passage.line_end, where
            if sentence.start is not None:
                assert sentence.end is not None and sentence.start <= sentence.end, where
                assert passage.start is not None and passage.start <= sentence.start, where
            raw = "\n".join(lines[sentence.line_start - 1 : sentence.line_end])
            region = prepare(raw)
            wanted = tokens(sentence.text)
            # The raw lines count too: a literal "\\n" in a text file is not a JSON escape.
            found = is_subsequence(wanted, tokens(region)) or is_subsequence(
                wanted, tokens(_TAG.sub("", html.unescape(raw)))
            )
            assert found, (
                f"{where}: words not found in order in the source lines\n"
                f"  sentence: {sentence.text[:300]!r}\n  lines:    {region[:300]!r}"
            )
