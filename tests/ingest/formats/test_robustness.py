"""Bad and hostile input: every standard parser answers with a result or one InputError."""

from __future__ import annotations

import gc
import json
import re
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coursegen.errors import InputError
from coursegen.ingest.base import FormatParser
from coursegen.ingest.detect import choose_parser, decode, parser_by_name
from tests.ingest.formats.conftest import GENERATED, MANIFEST

STANDARD = sorted({entry["format"] for entry in MANIFEST.values()})
FIXTURE_OF = {entry["format"]: name for name, entry in sorted(MANIFEST.items(), reverse=True)}


def _parser(name: str) -> FormatParser:
    return parser_by_name(name)


def _outcome(parser: FormatParser, text: str) -> None:
    """Parse; only a clean InputError may escape."""
    try:
        parser.parse(text, Path("fuzz.txt"))
    except InputError as error:
        assert "fuzz.txt" in str(error) and "\n" not in str(error)


@pytest.mark.parametrize("name", STANDARD)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(max_size=400))
def test_arbitrary_text_never_crashes_a_parser(name: str, text: str) -> None:
    _outcome(_parser(name), text)
    _parser(name).sniff(text, Path("fuzz.txt"))


@pytest.mark.parametrize("name", STANDARD)
@settings(max_examples=25, deadline=None)
@given(
    cut=st.floats(min_value=0.0, max_value=1.0),
    junk=st.sampled_from(["", "\n", "<", "{", '"', "-->", "&"]),
)
def test_truncated_real_files_never_crash(name: str, cut: float, junk: str) -> None:
    path = GENERATED / FIXTURE_OF[name]
    text = decode(path.read_bytes(), str(path))
    _outcome(_parser(name), text[: int(len(text) * cut)] + junk)


@pytest.mark.parametrize(
    ("name", "text", "reason"),
    [
        ("whisper-json", '{"segments": [{"start": 0, "end": 1, "text": "hi"}', "invalid JSON"),
        ("podcast-json", '{"segments": [' * 1 + "[" * 100000 + "]" * 100000 + "]}", "nested too deeply"),
        ("youtube-json3", '{"events": [' + "[" * 200000, "invalid JSON"),
        ("rev-json", '{"monologues": []}', "no caption text"),
        ("srt", "1\n00:00:01,000 --> 00:00:02,000\n\n2\n00:00:03,000 --> 00:00:04,000\n", "no caption text"),
        ("youtube-srv1", '<transcript><text start="1" dur="2">a</text>', "malformed XML"),
        (
            "ttml",
            '<?xml version="1.0"?><!DOCTYPE tt [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
            '<tt xmlns="http://www.w3.org/ns/ttml"><body><div>'
            '<p begin="1s" end="2s">&b;</p></div></body></tt>',
            "entities",
        ),
        (
            "youtube-srv3",
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            '<timedtext format="3"><body><p t="0" d="1">&e;</p></body></timedtext>',
            "entities",
        ),
    ],
)
def test_broken_files_get_one_clear_error(name: str, text: str, reason: str) -> None:
    with pytest.raises(InputError) as caught:
        _parser(name).parse(text, Path("bad.file"))
    assert str(caught.value).startswith("bad.file: ")
    assert reason in str(caught.value)


def _scaled(name: str, factor: int) -> str:
    """The format's generated fixture with its cues repeated `factor` times (same shape)."""
    path = GENERATED / FIXTURE_OF[name]
    text = decode(path.read_bytes(), str(path))
    if name in {"srt", "sbv", "otter-text", "plain-text"}:
        return "\n\n".join([text] * factor)
    if name in {"webvtt", "youtube-vtt"}:
        body = text.split("\n\n", 1)[1]
        return text + "\n\n" + "\n\n".join([body] * (factor - 1))
    if text.lstrip().startswith("<"):
        opener = re.search(r"<(body|transcript)\b[^>]*>", text)
        assert opener is not None
        closer = text.rindex(f"</{opener.group(1)}>")
        return text[: opener.end()] + text[opener.end() : closer] * factor + text[closer:]
    document = json.loads(text)
    keys = ("segments", "events", "monologues")
    key = next((k for k in keys if isinstance(document, dict) and k in document), None)
    if key is None:
        return json.dumps(document * factor, indent=1)
    document[key] = document[key] * factor
    return json.dumps(document, indent=1)


@pytest.mark.parametrize("name", STANDARD)
def test_parse_time_grows_linearly(name: str) -> None:
    parser = _parser(name)
    # A small input of at least ~150 KB, so that timer noise cannot dominate.
    base = max(1, 150_000 // (GENERATED / FIXTURE_OF[name]).stat().st_size)
    small, large = _scaled(name, base), _scaled(name, 6 * base)

    def seconds(text: str) -> float:
        best = float("inf")
        gc.disable()  # collector pauses are noise here, not the parser's cost
        try:
            for _ in range(2):
                began = time.perf_counter()
                parser.parse(text, Path("big"))
                best = min(best, time.perf_counter() - began)
        finally:
            gc.enable()
        return best

    # 6x the input: linear code takes ~6x; quadratic code would take ~36x. The machine is
    # shared, so a busy moment gets two more tries; quadratic code fails all three.
    ratios = []
    for _ in range(3):
        ratios.append(seconds(large) / max(seconds(small), 1e-4))
        if ratios[-1] < 18:
            return
    pytest.fail(f"{name}: 6x input took {min(ratios):.1f}x the time")


@pytest.mark.parametrize(
    "content",
    [
        '{"name": "my-app", "version": "1.0.0", "dependencies": {"left-pad": "^1.3.0"}}\n',
        '[{"id": 1, "title": "not a transcript"}]',
        '<?xml version="1.0"?>\n<project><name>build</name></project>\n',
        "<!doctype html>\n<html><body><p>Hello</p></body></html>\n",
    ],
)
def test_data_files_are_not_taken_for_plain_text(content: str, tmp_path: Path) -> None:
    path = tmp_path / "thing.txt"
    path.write_text(content, "utf-8")
    with pytest.raises(InputError) as caught:
        choose_parser(content, path)
    assert "not a recognised transcript format" in str(caught.value)
