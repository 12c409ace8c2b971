"""The word stream: cleaned cue text as words, each remembering its cue, repeats removed.

Rolling captions repeat the end of the previous caption at the start of the next one
(exactly or with different case/punctuation). We drop, from the start of each new piece,
the longest run of words equal to the end of what was already kept. Only a bounded tail
is compared, so the whole pass is linear in the file size.
"""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass, field

from coursegen.ingest.base import Cue
from coursegen.ingest.clean import clean_text, is_junk_line, split_turns

# How many kept words a new piece may repeat; rolling captions repeat one row (< 20 words).
REPEAT_WINDOW = 48
# Back-to-back repeats inside one rolling caption, in words.
INNER_REPEAT_MIN, INNER_REPEAT_MAX = 5, 16
_NON_WORD = re.compile(r"[^\w]+|_")


# word → (one shared copy of the word, its norm). Transcripts repeat a small vocabulary
# millions of times: sharing the strings keeps a 50 MB file's word list small.
_WORD_CACHE: dict[str, tuple[str, str]] = {}


def _remember(word: str) -> tuple[str, str]:
    if len(_WORD_CACHE) > 200_000:  # bound memory on huge vocabularies
        _WORD_CACHE.clear()
    entry = _WORD_CACHE[word] = (word, _NON_WORD.sub("", word.casefold()))
    return entry


def norm_word(word: str) -> str:
    """Case- and punctuation-free form of a word, used to recognise repeats."""
    return (_WORD_CACHE.get(word) or _remember(word))[1]


@dataclass
class WordStream:
    """Parallel lists: word text, index of its cue, whether a speaker turn starts there."""

    cues: list[Cue]
    words: list[str] = field(default_factory=list)
    norms: list[str] = field(default_factory=list)
    # array, not list: on a 50 MB file this holds millions of small ints.
    cue_of: array[int] = field(default_factory=lambda: array("q"))
    turn_starts: set[int] = field(default_factory=set)
    removed_repeats: int = 0

    def add(
        self, cue_index: int, text: str, new_turn: bool, dedupe_min: int | None, inner: bool = False
    ) -> None:
        """Append the words of one cue piece.

        A head repeating the kept tail is dropped when `dedupe_min` is set (at least that many
        words, or the whole piece); `inner` also drops back-to-back repeats inside the piece.
        """
        cache = _WORD_CACHE
        entries = [cache.get(word) or _remember(word) for word in text.split()]
        if not entries:
            return
        words = [entry[0] for entry in entries]
        norms = [entry[1] for entry in entries]
        if dedupe_min is not None and self.words:
            skip = self._repeated_head(norms, dedupe_min)
            if skip:
                self.removed_repeats += skip
                words, norms = words[skip:], norms[skip:]
                # The turn marker was part of the repeated text; the turn began earlier.
                new_turn = False
                if not words:
                    return
        if inner and len(words) >= 2 * INNER_REPEAT_MIN:
            before = len(words)
            words, norms = drop_inner_repeats(words, norms)
            self.removed_repeats += before - len(words)
        if new_turn:
            self.turn_starts.add(len(self.words))
        self.words.extend(words)
        self.norms.extend(norms)
        self.cue_of.extend(array("q", [cue_index]) * len(words))

    def _repeated_head(self, head: list[str], dedupe_min: int) -> int:
        """Length of the longest head of the piece that equals the tail of the kept words."""
        first = head[0]
        if not first:
            return 0
        tail = self.norms[-REPEAT_WINDOW:]
        size = len(tail)
        for position, kept in enumerate(tail):
            if kept != first:
                continue
            length = size - position
            if length > len(head):
                continue
            if tail[position:] == head[:length]:
                whole_piece = length == len(head)
                if length >= dedupe_min or (whole_piece and length >= max(1, dedupe_min - 1)):
                    return length
                return 0
        return 0


def drop_inner_repeats(words: list[str], norms: list[str]) -> tuple[list[str], list[str]]:
    """Drop the second copy of a run of INNER_REPEAT_MIN+ words repeated back to back.

    Merged two-row captions sometimes hold a row twice ("compared to the tokens it reads.
    compared to the tokens it reads."); people rarely repeat five words verbatim.
    """
    kept: list[int] = []
    index = 0
    count = len(words)
    while index < count:
        first = norms[index]
        jump = 0
        for length in range(min(INNER_REPEAT_MAX, (count - index) // 2), INNER_REPEAT_MIN - 1, -1):
            if norms[index + length] == first and (
                norms[index : index + length] == norms[index + length : index + 2 * length]
            ):
                jump = length
                break
        if jump:
            kept.extend(range(index, index + jump))
            index += 2 * jump
        else:
            kept.append(index)
            index += 1
    if len(kept) == count:
        return words, norms
    return [words[i] for i in kept], [norms[i] for i in kept]


def build_stream(cues: list[Cue], rolling: bool, overlap_min: int | None = None) -> WordStream:
    """Clean every cue and concatenate its words, removing caption repeats."""
    if overlap_min is None:
        overlap_min = 2 if rolling else 3
    stream = WordStream(cues=cues)
    last = len(cues) - 1
    previous_speaker: str | None = None
    for index, cue in enumerate(cues):
        # Scraper furniture only ever sits at the edges of a page.
        if (index < 3 or index > last - 3) and is_junk_line(cue.text):
            continue
        text = clean_text(cue.text)
        if not text:
            continue
        speaker_changed = cue.speaker != previous_speaker and index > 0
        previous_speaker = cue.speaker
        for piece_number, (piece, marker_turn) in enumerate(split_turns(text)):
            new_turn = marker_turn or (piece_number == 0 and (cue.new_turn or speaker_changed))
            dedupe_min: int | None = overlap_min
            if not rolling and (cue.new_turn or speaker_changed):
                # Two people may say the same words; only captions repeat across a turn.
                dedupe_min = None
            stream.add(index, piece, new_turn, dedupe_min, inner=rolling)
    return stream
