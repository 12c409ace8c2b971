"""Find where JSON array items sit in the file, so JSON cues keep their line ranges.

`json.loads` forgets positions. We walk only the containers on the way to the array of
segments, and let the C decoder (`raw_decode`) read each item, which returns where the
item ends: linear time even for 50 MB files with a million one-word segments.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from coursegen.errors import InputError
from coursegen.ingest.formats._common import LineIndex

PARSERS: list[object] = []  # a helper module, not a format

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


class JsonText:
    """A JSON document with helpers to locate array items by key path."""

    def __init__(self, text: str, path: Path) -> None:
        self.text = text[1:] if text.startswith("\ufeff") else text
        self.path = path
        # A BOM is one character, not a line: offsets stay valid for line numbers.
        self.shift = len(text) - len(self.text)
        self.lines = LineIndex(text)

    def _skip(self, offset: int) -> int:
        match = _WHITESPACE.match(self.text, offset)
        assert match is not None
        return match.end()

    def _fail(self, offset: int, reason: str) -> InputError:
        line = self.lines.line_of(offset + self.shift)
        return InputError(str(self.path), f"invalid JSON at line {line}: {reason}")

    def _decode(self, offset: int) -> tuple[Any, int]:
        try:
            return _DECODER.raw_decode(self.text, offset)
        except json.JSONDecodeError as error:
            raise self._fail(error.pos, error.msg) from None
        except RecursionError:
            raise self._fail(offset, "nested too deeply") from None
        except ValueError:  # an integer longer than Python's 4300-digit conversion limit
            raise self._fail(offset, "a number with too many digits") from None

    def load(self) -> Any:
        """The whole document (strictly one JSON value)."""
        value, end = self._decode(self._skip(0))
        if self._skip(end) != len(self.text):
            raise self._fail(end, "extra data after the JSON value")
        return value

    def value_offset(self, keys: tuple[str, ...], offset: int | None = None) -> int | None:
        """Offset where the value at `keys` (object keys from the root) starts, or None."""
        position = self._skip(0) if offset is None else offset
        for key in keys:
            if self.text[position : position + 1] != "{":
                return None
            position = self._skip(position + 1)
            found = False
            while self.text[position : position + 1] == '"':
                name, position = self._decode(position)
                position = self._skip(position)
                if self.text[position : position + 1] != ":":
                    raise self._fail(position, "expected ':'")
                position = self._skip(position + 1)
                if name == key:
                    found = True
                    break
                _, position = self._decode(position)
                position = self._skip(position)
                if self.text[position : position + 1] == ",":
                    position = self._skip(position + 1)
            if not found:
                return None
        return position

    def decode_at(self, offset: int) -> Any:
        """The JSON value starting at `offset`."""
        return self._decode(offset)[0]

    def lines_of(self, start: int, end: int) -> tuple[int, int]:
        """First and last line of the characters `start..end` (end exclusive)."""
        first = self.lines.line_of(start + self.shift)
        return first, self.lines.line_of(max(end - 1, start) + self.shift)

    def items(self, offset: int) -> Iterator[tuple[Any, int, int]]:
        """(item, start offset, end offset) for each item of the array starting at `offset`."""
        if self.text[offset : offset + 1] != "[":
            return
        position = self._skip(offset + 1)
        if self.text[position : position + 1] == "]":
            return
        while True:
            item, end = self._decode(position)
            yield item, position, end
            position = self._skip(end)
            char = self.text[position : position + 1]
            if char == ",":
                position = self._skip(position + 1)
            elif char == "]":
                return
            else:
                raise self._fail(position, "expected ',' or ']' in an array")


def json_head(text: str, size: int = 4096) -> str:
    """The start of a document without BOM and leading whitespace, for sniffing."""
    return text.lstrip("\ufeff \t\r\n")[:size]


def first_item(text: str, keys: tuple[str, ...] = ()) -> Any:
    """The first item of the array at `keys` (the root array when empty), or None; never raises."""
    try:
        document = JsonText(text, Path("<sniff>"))
        offset = document.value_offset(keys)
        if offset is None:
            return None
        for item, _, _ in document.items(offset):
            return item
    except (InputError, IndexError):
        return None
    return None


# Larger times are corrupt data, not media (about 115 days); it also keeps every later
# `seconds * 1000` and `round()` far from float overflow.
MAX_SECONDS = 10_000_000


def _as_float(value: Any) -> float | None:
    """The float a number or numeric string holds (inf when too large), None when not numeric."""
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return float(value)
    except OverflowError:  # an int such as 10**400
        return math.inf if value > 0 else -math.inf


def media_time(value: Any, path: Path, where: str, millis: bool = False) -> float | None:
    """A time field in seconds: None when missing or not a number (the text is kept untimed).

    A number no media time can be (infinite, or beyond MAX_SECONDS, like 1e400) raises
    InputError naming `where` (e.g. `segments[3].start`): silently dropping it would hide
    a corrupt file. `millis` reads the field as milliseconds.
    """
    result = _as_float(value)
    if result is None or math.isnan(result):
        return None
    seconds = result / 1000 if millis else result
    if not math.isfinite(seconds) or abs(seconds) > MAX_SECONDS:
        raise InputError(str(path), f"{where} is too large to be a time (over {MAX_SECONDS:,} seconds)")
    return seconds


def text_field(value: Any, path: Path, where: str) -> str | None:
    """A text field: the string, None when missing or null; InputError for any other type."""
    if value is None or isinstance(value, str):
        return value
    raise InputError(str(path), f"{where} must be a string, found {_json_type(value)}")


def _json_type(value: Any) -> str:
    names = {bool: "a boolean", int: "a number", float: "a number", list: "an array", dict: "an object"}
    return names.get(type(value), type(value).__name__)
