"""Whisper JSON: `{"text", "segments": [{"start", "end", "text", "words"?}], "language"}`.

Also accepted: a bare list of segments (what many scripts dump), WhisperX output (a
`speaker` per segment or word), and whisper.cpp `-oj` output (`"transcription":
[{"offsets": {"from", "to"}, "text"}]`, milliseconds). When a segment has word
timings that spell its text, it is cut at sentence ends so each sentence keeps its own time.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from coursegen.ingest.base import Cue, ParsedTranscript
from coursegen.ingest.formats._common import (
    apply_name_prefixes,
    first_speakers,
    fix_end,
    fold_spaces,
    mark_speaker_changes,
    require_cues,
    round_seconds,
    turn_cues,
)
from coursegen.ingest.formats._jsonspan import JsonText, first_item, json_head, media_time, text_field

# Whisper's `language` is a code from the Python package and a name from the OpenAI API.
_LANGUAGE_CODES = {
    "english": "en", "german": "de", "french": "fr", "spanish": "es", "italian": "it",
    "portuguese": "pt", "dutch": "nl", "russian": "ru", "chinese": "zh", "japanese": "ja",
    "korean": "ko", "arabic": "ar", "hindi": "hi", "polish": "pl", "turkish": "tr",
    "swedish": "sv", "ukrainian": "uk", "czech": "cs", "greek": "el", "hebrew": "he",
}  # fmt: skip
_SENTENCE_END = re.compile(r"[.?!…][\"'”’)\]]*$")


def _is_segment(item: Any) -> bool:
    return isinstance(item, dict) and {"start", "end", "text"} <= item.keys() and "duration" not in item


def _language(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip().lower()
    return _LANGUAGE_CODES.get(value, value if re.fullmatch(r"[a-z]{2,3}(-[a-z0-9]+)*", value) else None)


class WhisperJsonParser:
    """OpenAI Whisper (and compatible) JSON transcripts."""

    name = "whisper-json"

    def sniff(self, text: str, path: Path) -> float:
        """Segments with `start`/`end`/`text` (object or bare list), or whisper.cpp JSON."""
        head = json_head(text)
        if head.startswith("["):
            return 0.93 if _is_segment(first_item(text)) else 0.0
        if not head.startswith("{"):
            return 0.0
        if '"segments"' in text and _is_segment(first_item(text, ("segments",))):
            return 0.93
        if '"transcription"' in text and '"offsets"' in text:
            return 0.93
        if '"words"' in text and _is_word(first_item(text, ("words",))):
            return 0.9  # OpenAI verbose_json with word timestamps only
        return 0.0

    def parse(self, text: str, path: Path) -> ParsedTranscript:
        """One cue per segment, or per sentence when word timings allow."""
        document = JsonText(text, path)
        language: str | None = None
        cues: list[Cue] = []
        if json_head(text).startswith("["):
            cues = _segment_cues(document, document.value_offset(()), at="")
        else:
            language_at = document.value_offset(("language",))
            if language_at is not None:
                language = _language(document.decode_at(language_at))
            segments_at = document.value_offset(("segments",))
            words_at = document.value_offset(("words",))
            if segments_at is not None:
                cues = _segment_cues(document, segments_at)
            elif words_at is not None:
                cues = _word_cues(document, words_at)
            else:
                cues = _whisper_cpp_cues(document)
                result_at = document.value_offset(("result", "language"))
                if result_at is not None:
                    language = _language(document.decode_at(result_at))
        cues = apply_name_prefixes(mark_speaker_changes(require_cues(cues, path, "Whisper JSON")))
        return ParsedTranscript(format=self.name, cues=cues, language=language, speakers=first_speakers(cues))


def _segment_cues(document: JsonText, offset: int | None, at: str = "segments") -> list[Cue]:
    cues: list[Cue] = []
    if offset is None:
        return cues
    path = document.path
    for index, (segment, begin, finish) in enumerate(document.items(offset)):
        # Any object with `text` is a segment: one missing or garbled time keeps its words.
        if not isinstance(segment, dict) or "text" not in segment:
            continue
        where = f"{at}[{index}]"
        raw = text_field(segment["text"], path, f"{where}.text")
        if raw is None:
            continue
        start = media_time(segment.get("start"), path, f"{where}.start")
        end = media_time(segment.get("end"), path, f"{where}.end")
        start = round_seconds(start) if start is not None else None
        end = fix_end(start, round_seconds(end) if end is not None else None)
        speaker = segment.get("speaker") if isinstance(segment.get("speaker"), str) else None
        first, last = document.lines_of(begin, finish)
        body = fold_spaces(raw)
        pieces = _sentence_pieces(segment.get("words"), body, path, where) or [(body, start, end)]
        for piece, piece_start, piece_end in pieces:
            for cue in turn_cues([(first, piece)], piece_start, piece_end, speaker):
                cue.line_end = max(cue.line_end, last)
                cues.append(cue)
    return cues


def _sentence_pieces(
    words: Any, body: str, path: Path, where: str
) -> list[tuple[str, float | None, float | None]] | None:
    """Cut a segment at sentence ends using its word timings; None when they do not fit."""
    if not isinstance(words, list) or not words:
        return None
    tokens: list[tuple[str, float, float]] = []
    for index, word in enumerate(words):
        if not isinstance(word, dict):
            return None
        token = word.get("word", word.get("text"))
        start = media_time(word.get("start"), path, f"{where}.words[{index}].start")
        end = media_time(word.get("end"), path, f"{where}.words[{index}].end")
        if not isinstance(token, str) or start is None or end is None:
            return None
        tokens.append((token, round_seconds(start), round_seconds(end)))
    spaced = any(token.startswith(" ") for token, _, _ in tokens)
    joined = ("" if spaced else " ").join(token for token, _, _ in tokens)
    if fold_spaces(joined) != body:
        return None
    pieces: list[tuple[str, float | None, float | None]] = []
    current: list[tuple[str, float, float]] = []
    for token in tokens:
        current.append(token)
        if _SENTENCE_END.search(token[0].strip()):
            pieces.append(_piece(current, spaced))
            current = []
    if current:
        pieces.append(_piece(current, spaced))
    return pieces


def _piece(tokens: list[tuple[str, float, float]], spaced: bool) -> tuple[str, float, float | None]:
    text = fold_spaces(("" if spaced else " ").join(token for token, _, _ in tokens))
    return text, tokens[0][1], fix_end(tokens[0][1], tokens[-1][2])


def _is_word(item: Any) -> bool:
    return isinstance(item, dict) and {"word", "start", "end"} <= item.keys()


def _word_cues(document: JsonText, offset: int) -> list[Cue]:
    """Top-level `words` only (no segments): one cue per sentence of words."""
    cues: list[Cue] = []
    current: list[tuple[str, float | None, float | None, int, int]] = []

    def flush() -> None:
        if current:
            text = fold_spaces(" ".join(word for word, *_ in current))
            starts = [start for _, start, *_ in current if start is not None]
            ends = [end for _, _, end, *_ in current if end is not None]
            start = starts[0] if starts else None
            end = ends[-1] if ends else None
            cues.append(Cue(text, current[0][3], current[-1][4], start, fix_end(start, end)))
            current.clear()

    path = document.path
    for index, (item, begin, finish) in enumerate(document.items(offset)):
        if not isinstance(item, dict) or "word" not in item:
            continue
        word = text_field(item["word"], path, f"words[{index}].word")
        if word is None or not word.strip():
            continue
        start = media_time(item.get("start"), path, f"words[{index}].start")
        end = media_time(item.get("end"), path, f"words[{index}].end")
        first, last = document.lines_of(begin, finish)
        current.append(
            (
                word.strip(),
                round_seconds(start) if start is not None else None,
                round_seconds(end) if end is not None else None,
                first,
                last,
            )
        )
        if _SENTENCE_END.search(current[-1][0]):
            flush()
    flush()
    return cues


def _whisper_cpp_cues(document: JsonText) -> list[Cue]:
    cues: list[Cue] = []
    offset = document.value_offset(("transcription",))
    if offset is None:
        return cues
    path = document.path
    for index, (item, begin, finish) in enumerate(document.items(offset)):
        if not isinstance(item, dict):
            continue
        where = f"transcription[{index}]"
        text = text_field(item.get("text"), path, f"{where}.text")
        if text is None:
            continue
        offsets: dict[str, Any] = item["offsets"] if isinstance(item.get("offsets"), dict) else {}
        start = media_time(offsets.get("from"), path, f"{where}.offsets.from", millis=True)
        end = media_time(offsets.get("to"), path, f"{where}.offsets.to", millis=True)
        start = round_seconds(start) if start is not None else None
        end = fix_end(start, round_seconds(end) if end is not None else None)
        first, last = document.lines_of(begin, finish)
        for cue in turn_cues([(first, text)], start, end):
            cue.line_end = max(cue.line_end, last)
            cues.append(cue)
    return cues


PARSERS = [WhisperJsonParser()]
