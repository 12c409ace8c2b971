"""Hypothesis: whatever the bytes, ingesting yields an Episode or a clean InputError.

`ingest_file` is used (not `ingest_paths`, which turns parser bugs into error lines), so
any crash of a parser or of the assembler fails here with its traceback. Derandomized so CI
is stable; run with more examples locally to hunt (see docs/ingest.md).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from coursegen.errors import InputError
from coursegen.ingest import ingest_file
from tests.ingest.trace import assert_traceable

TTML_FRAGMENT = '<tt><body><div><p begin="00:00:01.000" end="00:00:02.000">x</p></div></body></tt>'
# Fragments of every supported format, so generated files reach deep into the parsers.
FRAGMENTS = [
    "WEBVTT\n",
    "Kind: captions\n",
    "NOTE x\n",
    "1\n",
    "00:00:01,000 --> 00:00:02,500\n",
    "00:01.000 --> 00:02.000 align:start\n",
    "[00:00:00.000 --> 00:00:01.680]   - ",
    "[00:12] ",
    "[01:02:03] ",
    "  译文\n",
    ">> ",
    "- ",
    "<v Ann>",
    "<i>",
    "</i>",
    "<00:00:01.230><c> word</c>",
    "[Music]",
    "(laughing)",
    "# Transcript\n",
    "KEY INSIGHTS\n",
    "1. insight\n",
    '"quote"\n',
    "Full Transcript\n",
    "By Pod\n",
    "Loading video analysis...",
    '{"segments": [',
    '{"start": 1.5, "end": 2, "text": "hi"}',
    # Odd field values (docs/ingest.md): huge or garbled times, non-string text.
    '{"start": 1e400, "end": 2, "text": "hi"}',
    '{"start": ' + "9" * 400 + ', "end": "x", "text": {"a": [1]}}',
    '{"start": NaN, "end": null, "text": 5}',
    '{"tStartMs": 1e308, "segs": [{"utf8": 7}]}',
    '<text start="1e400" dur="nan">x</text>',
    "]}",
    '[{"text": "a", "start": 0, "duration": 1}]',
    '{"events":[{"tStartMs":0,"segs":[{"utf8":"x"}]}]}',
    '<?xml version="1.0"?><transcript><text start="1" dur="2">hi &amp;amp; you</text></transcript>',
    TTML_FRAGMENT,
    "0:00:00.190,0:00:10.880\n",
    "Speaker 1  0:03\n",
    "Ann: ",
    "Hello there. ",
    "how are you? ",
    "é",
    "\u201c",
    "\u2014",
    "\ufeff",
    "\r\n",
    "\n",
    "\n\n",
    " ",
    "\t",
    "&gt;&gt;",
    "{\\an8}",
    "♪",
]


def _ingest(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzz{suffix}"
        path.write_bytes(data)
        try:
            episode = ingest_file(path)
        except InputError as error:
            assert error.reason and "\n" not in error.message
            return
        assert_traceable(episode, path)


SUFFIXES = st.sampled_from([".txt", ".srt", ".vtt", ".json", ".xml", ".sbv", ".ttml", ""])


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=2000), suffix=SUFFIXES)
def test_arbitrary_bytes_never_crash(data: bytes, suffix: str) -> None:
    _ingest(data, suffix)


@settings(max_examples=400, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(
    parts=st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=60),
    suffix=SUFFIXES,
    encoding=st.sampled_from(["utf-8", "utf-16", "utf-8-sig"]),
)
# Found by this test: the `>` closing `</tt>` was eaten by a `>>` turn marker glued to it.
@example(parts=[TTML_FRAGMENT, ">> ", "WEBVTT\n"], suffix=".txt", encoding="utf-8")
def test_format_like_text_never_crashes(parts: list[str], suffix: str, encoding: str) -> None:
    text = "".join(parts)
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        return
    _ingest(data, suffix)
