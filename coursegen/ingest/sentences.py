"""Sentence boundaries over the word stream, and pseudo-sentences for unpunctuated captions.

Punctuated text ends a sentence at `.`, `?`, `!` (not after abbreviations or initials).
Auto-captions without punctuation are cut into readable pieces at caption boundaries,
preferring pauses, so no "sentence" runs for hundreds of words. A speaker turn always
ends a sentence.
"""

from __future__ import annotations

from coursegen.ingest.words import WordStream

_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "jr",
        "sr",
        "vs",
        "etc",
        "eg",
        "ie",
        "cf",
        "al",
        "approx",
        "no",
        "fig",
        "inc",
        "ltd",
        "co",
        "corp",
        "dept",
        "est",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mt",
        "ft",
        "lt",
        "col",
        "gen",
        "gov",
        "sen",
        "rep",
    ]
)
_CLOSERS = "\"'”’)]»"
_OPENERS = "\"'“‘([«¿¡"
# Below this share of sentence-ending words the transcript counts as unpunctuated.
_PUNCTUATED_SHARE = 1 / 40
# Pseudo-sentence sizes (words) for unpunctuated captions, and the cap for any sentence.
PSEUDO_MIN, PSEUDO_TARGET, PSEUDO_MAX = 10, 18, 32
LONG_MIN, LONG_TARGET, LONG_MAX = 25, 45, 70
# A gap between captions this long (seconds) is a pause worth ending a pseudo-sentence at.
PAUSE_S = 0.8


def _ends_sentence(word: str, next_word: str | None) -> bool:
    """True when `word` closes a sentence given the word after it."""
    core = word.rstrip(_CLOSERS)
    if not core or core[-1] not in ".?!…。？！":
        return False
    if core[-1] in "?!？！。":
        return True
    if next_word is None:
        return True
    stem = core.rstrip(".…").lower().lstrip(_OPENERS)
    if stem.replace(".", "") in _ABBREVIATIONS or (len(stem) == 1 and stem.isalpha()):
        return False
    if "." in stem and all(len(part) <= 1 for part in stem.split(".")):
        return False  # initials such as "u.s." or "e.g."
    first = next_word.lstrip(_OPENERS)[:1]
    # ASR text keeps lower-case starts after a period rarely; an ellipsis before one is a pause.
    return bool(first) and (first.isupper() or first.isdigit() or not first.isalpha())


def is_punctuated(stream: WordStream) -> bool:
    """Whether the transcript carries sentence punctuation at all."""
    if not stream.words:
        return True
    enders = sum(1 for word in stream.words if word.rstrip(_CLOSERS)[-1:] in (".", "?", "!"))
    return enders / len(stream.words) >= _PUNCTUATED_SHARE


def split_sentences(stream: WordStream) -> list[tuple[int, int]]:
    """Sentences as (first word index, last word index), in order."""
    words = stream.words
    count = len(words)
    if count == 0:
        return []
    punctuated = is_punctuated(stream)
    cues = stream.cues
    speakers = [cues[index].speaker for index in stream.cue_of] if count else []
    hard_ends: list[int] = []
    for index in range(count):
        nxt = index + 1
        if (
            nxt == count
            or nxt in stream.turn_starts
            or speakers[nxt] != speakers[index]
            or punctuated
            and _ends_sentence(words[index], words[nxt])
        ):
            hard_ends.append(index)
    spans: list[tuple[int, int]] = []
    start = 0
    sizes = (LONG_MIN, LONG_TARGET, LONG_MAX) if punctuated else (PSEUDO_MIN, PSEUDO_TARGET, PSEUDO_MAX)
    for end in hard_ends:
        if end - start + 1 > sizes[2] or (not punctuated and end - start + 1 > sizes[1]):
            spans.extend(_cut_long(stream, start, end, *sizes))
        else:
            spans.append((start, end))
        start = end + 1
    return spans


def _pause_after(stream: WordStream, index: int) -> float:
    """Seconds of silence after word `index` when it ends a timed caption, else 0."""
    cue_index = stream.cue_of[index]
    if index + 1 >= len(stream.words) or stream.cue_of[index + 1] == cue_index:
        return 0.0
    this_end = stream.cues[cue_index].end
    next_start = stream.cues[stream.cue_of[index + 1]].start
    if this_end is None or next_start is None:
        return 0.0
    return max(0.0, next_start - this_end)


def _cut_long(
    stream: WordStream, start: int, end: int, low: int, target: int, high: int
) -> list[tuple[int, int]]:
    """Cut words start..end into pieces of about `target` words at the best boundaries."""
    words = stream.words
    cue_of = stream.cue_of
    pieces: list[tuple[int, int]] = []
    piece_start = start
    index = start
    while index <= end:
        length = index - piece_start + 1
        remaining = end - index
        if remaining == 0:
            pieces.append((piece_start, index))
            break
        at_cue_end = cue_of[index + 1] != cue_of[index]
        at_comma = words[index][-1:] in ",;:"
        pause = at_cue_end and _pause_after(stream, index) >= PAUSE_S
        natural = pause or (length >= target and (at_cue_end or at_comma)) or length >= high
        cut = natural and length >= low and remaining >= low // 2
        if cut:
            pieces.append((piece_start, index))
            piece_start = index + 1
        index += 1
    return pieces
