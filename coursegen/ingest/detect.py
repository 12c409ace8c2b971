"""Decode a transcript file and pick the parser that recognises its content.

Parsers live in `coursegen/ingest/formats/*.py`, each module exporting `PARSERS`; they are
discovered with pkgutil so adding a format never edits a shared list. The extension is
only a hint a parser may use in `sniff`: content decides.
"""

from __future__ import annotations

import codecs
import importlib
import pkgutil
from functools import cache
from pathlib import Path

from coursegen.errors import InputError
from coursegen.ingest.base import FormatParser

# A score at or below this means "not mine"; plain text parsers answer just above it.
MIN_SCORE = 0.0

# Control characters that never occur in text files (tab, LF, CR, FF excluded; ESC starts
# the colour codes of console output such as whisper.cpp -pc).
_CONTROL = {chr(c) for c in range(32) if c not in (9, 10, 12, 13, 27)} | {"\x7f"}


@cache
def all_parsers() -> tuple[FormatParser, ...]:
    """Every parser of every module in coursegen.ingest.formats, sorted by name."""
    from coursegen.ingest import formats

    found: list[FormatParser] = []
    for module_info in sorted(pkgutil.iter_modules(formats.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{formats.__name__}.{module_info.name}")
        found.extend(getattr(module, "PARSERS", []))
    names = [parser.name for parser in found]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise RuntimeError(f"two parsers claim the format name(s) {duplicates}")
    return tuple(sorted(found, key=lambda parser: parser.name))


def parser_by_name(name: str) -> FormatParser:
    """The parser registered under `name` (a bug if it does not exist)."""
    for parser in all_parsers():
        if parser.name == name:
            return parser
    raise KeyError(name)


def decode(data: bytes, path: str) -> str:
    """Bytes → text: UTF-8 (BOM optional), UTF-16 (BOM, or evident from its NUL bytes), else cp1252.

    Newlines become LF: CRLF and lone CR each count as one line break, so line numbers
    match what an editor shows. Binary data (NUL bytes, many control characters) raises InputError.
    """
    if not data.strip():
        raise InputError(path, "the file is empty", "give a transcript file with text in it")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(path, f"invalid UTF-16 text ({exc.reason})") from exc
    elif (guessed := _bomless_utf16(data)) is not None:
        try:
            text = data.decode(guessed)
        except UnicodeDecodeError as exc:
            raise InputError(path, f"invalid UTF-16 text ({exc.reason})") from exc
    else:
        if b"\x00" in data:
            raise InputError(path, "binary file (contains NUL bytes), not a transcript")
        if data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8) :]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError as exc:
                raise InputError(
                    path,
                    "undecodable text (neither UTF-8, UTF-16 with BOM nor cp1252)",
                    "re-save the file as UTF-8",
                ) from exc
    text = text.lstrip("\ufeff")
    _refuse_binary(text, path)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def source_lines(data: bytes, path: str) -> list[str]:
    """The lines of a source file exactly as ingestion numbers them (1-based: index + 1).

    Validators checking that a sentence sits at its `line_start..line_end` must read the
    file through this (same decoding, same line breaks), or cp1252/UTF-16/CR files drift.
    """
    return decode(data, path).split("\n")


def _bomless_utf16(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when NUL bytes sit in every other byte, as in ASCII-heavy UTF-16."""
    sample = data[:4096]
    half = len(sample) // 2
    if half < 8:
        return None
    even_nuls = sample[0::2].count(0) / half
    odd_nuls = sample[1::2].count(0) / half
    if odd_nuls > 0.6 and even_nuls < 0.05:
        return "utf-16-le"
    if even_nuls > 0.6 and odd_nuls < 0.05:
        return "utf-16-be"
    return None


def _refuse_binary(text: str, path: str) -> None:
    """Raise when the text is mostly control characters (a binary file that decoded)."""
    sample = text[:65536]
    if "\x00" in sample:
        raise InputError(path, "binary file (contains NUL characters), not a transcript")
    controls = sum(1 for char in sample if char in _CONTROL)
    if controls > max(8, len(sample) // 100):
        raise InputError(path, "binary file (many control characters), not a transcript")
    if not text.strip():
        raise InputError(
            path, "the file is empty (only whitespace)", "give a transcript file with text in it"
        )


def choose_parser(text: str, path: Path) -> FormatParser:
    """The parser with the highest sniff score; ties go to the first name (deterministic)."""
    best: FormatParser | None = None
    best_score = MIN_SCORE
    for parser in all_parsers():
        try:
            score = parser.sniff(text, path)
        except Exception:  # noqa: BLE001 - a sniffer's bug must not hide the other formats
            score = 0.0
        if score > best_score:
            best, best_score = parser, score
    if best is None:
        raise InputError(
            str(path),
            "not a recognised transcript format",
            "see docs/ingest.md for the supported formats",
        )
    return best
