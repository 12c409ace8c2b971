"""JSON field values of the wrong kind: huge or garbled times, non-string text.

Rule (docs/ingest.md): a missing or non-numeric time keeps the text, untimed; a number too
large to be a time (1e400, 10**400, 1e307) and a text field that is not a string stop the
file with one InputError naming the file and the JSON field (`segments[1].start`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coursegen.errors import InputError
from coursegen.ingest import ingest_file
from coursegen.ir import Episode

SECOND = "Second words here."


@dataclass(frozen=True)
class Shape:
    """A two-item document of one format; the second item takes the values under test."""

    format: str
    document: Any  # "__START__", "__END__", "__TEXT__" mark the fields under test
    start_at: str
    end_at: str
    text_at: str


SHAPES = [
    Shape(
        "whisper-json",
        {
            "segments": [
                {"start": 0, "end": 1, "text": "Hello there."},
                {"start": "__START__", "end": "__END__", "text": "__TEXT__"},
            ]
        },
        "segments[1].start",
        "segments[1].end",
        "segments[1].text",
    ),
    Shape(
        "whisper-json",
        [
            {"start": 0, "end": 1, "text": "Hello there."},
            {"start": "__START__", "end": "__END__", "text": "__TEXT__"},
        ],
        "[1].start",
        "[1].end",
        "[1].text",
    ),
    Shape(
        "whisper-json",
        {
            "transcription": [
                {"offsets": {"from": 0, "to": 1000}, "text": "Hello there."},
                {"offsets": {"from": "__START__", "to": "__END__"}, "text": "__TEXT__"},
            ]
        },
        "transcription[1].offsets.from",
        "transcription[1].offsets.to",
        "transcription[1].text",
    ),
    Shape(
        "podcast-json",
        {
            "version": "1.0.0",
            "segments": [
                {"speaker": "Ann", "startTime": 0, "endTime": 1, "body": "Hello there."},
                {"startTime": "__START__", "endTime": "__END__", "body": "__TEXT__"},
            ],
        },
        "segments[1].startTime",
        "segments[1].endTime",
        "segments[1].body",
    ),
    Shape(
        "rev-json",
        {
            "monologues": [
                {"speaker": 0, "elements": [{"type": "text", "value": "Hello there.", "ts": 0, "end_ts": 1}]},
                {
                    "speaker": 1,
                    "elements": [
                        {"type": "text", "value": "__TEXT__", "ts": "__START__", "end_ts": "__END__"}
                    ],
                },
            ]
        },
        "monologues[1].elements[0].ts",
        "monologues[1].elements[0].end_ts",
        "monologues[1].elements[0].value",
    ),
    Shape(
        "youtube-json3",
        {
            "events": [
                {"tStartMs": 0, "dDurationMs": 1000, "segs": [{"utf8": "Hello there."}]},
                {"tStartMs": "__START__", "dDurationMs": "__END__", "segs": [{"utf8": "__TEXT__"}]},
            ]
        },
        "events[1].tStartMs",
        "events[1].dDurationMs",
        "events[1].segs[0].utf8",
    ),
    Shape(
        "youtube-transcript-api",
        [
            {"text": "Hello there.", "start": 0, "duration": 1},
            {"text": "__TEXT__", "start": "__START__", "duration": "__END__"},
        ],
        "[1].start",
        "[1].duration",
        "[1].text",
    ),
]
IDS = [f"{shape.format}:{shape.start_at}" for shape in SHAPES]


def _write(tmp: Path, shape: Shape, start: str, end: str = "2", text: str = json.dumps(SECOND)) -> Path:
    """The shape's document with raw JSON tokens put in (so `1e400` stays a literal)."""
    raw = json.dumps(shape.document, indent=1)
    for mark, token in (("__START__", start), ("__END__", end), ("__TEXT__", text)):
        raw = raw.replace(f'"{mark}"', token)
    path = tmp / "talk.json"
    path.write_text(raw, encoding="utf-8")
    return path


def _text(episode: Episode) -> str:
    return " ".join(sentence.text for passage in episode.passages for sentence in passage.sentences)


def _sentence(episode: Episode, text: str) -> Any:
    return next(s for p in episode.passages for s in p.sentences if text in s.text)


HUGE = ["1e400", "-1e400", "1" + "0" * 400, "1e307", '"1e400"', "Infinity", "99999999999999"]


@pytest.mark.parametrize("token", HUGE)
@pytest.mark.parametrize("shape", SHAPES, ids=IDS)
def test_a_huge_start_is_one_clear_error(shape: Shape, token: str, tmp_path: Path) -> None:
    path = _write(tmp_path, shape, start=token)
    with pytest.raises(InputError) as caught:
        ingest_file(path)
    message = str(caught.value)
    assert message.startswith(str(path)) and shape.start_at in message and "\n" not in message


@pytest.mark.parametrize("shape", SHAPES, ids=IDS)
def test_a_huge_end_is_one_clear_error(shape: Shape, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=shape.end_at.replace("[", r"\[").replace("]", r"\]")):
        ingest_file(_write(tmp_path, shape, start="1", end="1" + "0" * 400))


@pytest.mark.parametrize("token", ['"abc"', "null", "true", "{}", "[]", "NaN"])
@pytest.mark.parametrize("shape", SHAPES, ids=IDS)
def test_a_non_numeric_start_keeps_the_text_untimed(shape: Shape, token: str, tmp_path: Path) -> None:
    episode = ingest_file(_write(tmp_path, shape, start=token, end=token))
    assert episode.format == shape.format
    assert "Hello there." in _text(episode) and SECOND in _text(episode)
    assert _sentence(episode, SECOND).start is None


@pytest.mark.parametrize("shape", SHAPES, ids=IDS)
def test_a_missing_start_keeps_the_text_untimed(shape: Shape, tmp_path: Path) -> None:
    path = _write(tmp_path, shape, start='"__DROP__"', end='"__DROP__"')
    document = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(document).replace(', "__DROP__"', "").replace(': "__DROP__"', ": null"))
    episode = ingest_file(path)
    assert SECOND in _text(episode) and _sentence(episode, SECOND).start is None


@pytest.mark.parametrize("token", ['{"a": [1, 2]}', "[1]", "5", "true"])
@pytest.mark.parametrize("shape", SHAPES, ids=IDS)
def test_a_non_string_text_is_one_clear_error(shape: Shape, token: str, tmp_path: Path) -> None:
    path = _write(tmp_path, shape, start="1", text=token)
    with pytest.raises(InputError) as caught:
        ingest_file(path)
    message = str(caught.value)
    assert message.startswith(str(path)) and shape.text_at in message and "must be a string" in message


def test_a_number_beyond_the_digit_limit_is_invalid_json(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="too many digits"):
        ingest_file(_write(tmp_path, SHAPES[0], start="1" + "0" * 5000))


_JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**500), max_value=10**500),
    st.sampled_from([10**400, -(10**400), 10**9, 10**14]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    st.sampled_from(["1e400", "12.5", " 3 ", "inf", "nan"]),
)
_JSON_VALUES = st.recursive(_JSON_SCALARS, lambda inner: st.lists(inner, max_size=3), max_leaves=4)


@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    shape=st.sampled_from(SHAPES),
    start=_JSON_VALUES,
    end=_JSON_VALUES,
    text=st.one_of(st.just(SECOND), _JSON_VALUES),
)
def test_fuzzed_field_values_give_the_text_or_one_named_error(
    shape: Shape, start: Any, end: Any, text: Any, tmp_path: Path
) -> None:
    path = _write(tmp_path, shape, json.dumps(start), json.dumps(end), json.dumps(text))
    try:
        episode = ingest_file(path)
    except InputError as error:
        message = str(error)
        assert "\n" not in message and message.startswith(str(path))
        assert any(where in message for where in (shape.start_at, shape.end_at, shape.text_at))
        assert not (text == SECOND and shape.text_at in message)
        return
    assert isinstance(text, str) or text is None
    if text == SECOND:
        assert SECOND in _text(episode)  # nothing lost, whatever the times were
