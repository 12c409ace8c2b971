"""Sentence boundaries over the word stream, and pseudo-sentences for unpunctuated captions.

Punctuated text ends a sentence at `.`, `?`, `!` (not after abbreviations or initials).
Auto-captions without punctuation are cut into readable pieces at caption boundaries,
preferring pauses, so no "sentence" runs for hundreds of words. A speaker turn always
ends a sentence.
"""

from __future__ import annotations

from coursegen.ingest.clean import wordset
from coursegen.ingest.words import WordStream

_ABBREVIATIONS = wordset(
    "mr mrs ms dr prof st jr sr vs etc eg ie cf al approx inc ltd co corp dept est jan "
    "feb mar apr jun jul aug sep sept oct nov dec mt ft lt col gen gov sen rep"
)
_NUMBER_ABBREVIATIONS = wordset("no fig vol p pp nos")
# Words a sentence cannot end on, and words that often open a new clause in speech.
_DANGLING = wordset(
    "the a an of to in on at for with from by and or but so that which who whose my your our "
    "their his her its this these those is are was were be been being am do does did have has "
    "had will would can could should shall may might must not very more most than as if "
    "because like just really i we you they he she it i'm im we're were you're youre they're "
    "theyre it's its into onto about kind sort lot bunch couple um uh"
)
_STARTERS = wordset(
    "so and but because yeah yes okay ok well now then i we you what how why when where which "
    "there that's thats it's its this actually basically right anyway also"
)
# Word pairs that belong together; a pseudo-sentence must not end between them.
_BOUND_PAIRS = frozenset(
    [
        ("thank", "you"),
        ("you", "know"),
        ("i", "mean"),
        ("kind", "of"),
        ("sort", "of"),
        ("a", "lot"),
        ("lot", "of"),
        ("going", "to"),
        ("want", "to"),
        ("have", "to"),
        ("able", "to"),
        ("used", "to"),
        ("love", "this"),
        ("like", "this"),
        ("do", "this"),
        ("about", "it"),
        ("do", "it"),
        ("of", "course"),
        ("at", "least"),
        ("as", "well"),
    ]
)
_CLOSERS = "\"'”’)]»"
_OPENERS = "\"'“‘([«¿¡"
# Below this share of sentence-ending words the transcript counts as unpunctuated.
_PUNCTUATED_SHARE = 1 / 40
# Last characters of a word that may end a sentence (cheap pre-check before _ends_sentence).
_ENDERS = frozenset(".?!…。？！" + _CLOSERS)
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
    if stem in _NUMBER_ABBREVIATIONS and next_word[:1].isdigit():
        return False  # "No. 5", "fig. 3"; but "I said no. No way." ends a sentence
    if "." in stem and all(len(part) <= 1 for part in stem.split(".")):
        return False  # initials such as "u.s." or "e.g."
    first = next_word.lstrip(_OPENERS)[:1]
    # ASR text keeps lower-case starts after a period rarely; an ellipsis before one is a pause.
    return bool(first) and (first.isupper() or first.isdigit() or not first.isalpha())


def is_punctuated(stream: WordStream) -> bool:
    """Whether the transcript carries sentence punctuation at all."""
    if not stream.words:
        return True
    enders = sum(
        1 for word in stream.words if word[-1] in _ENDERS and word.rstrip(_CLOSERS)[-1:] in (".", "?", "!")
    )
    return enders / len(stream.words) >= _PUNCTUATED_SHARE


def split_sentences(stream: WordStream) -> list[tuple[int, int]]:
    """Sentences as (first word index, last word index), in order."""
    words = stream.words
    count = len(words)
    if count == 0:
        return []
    punctuated = is_punctuated(stream)
    cues = stream.cues
    cue_of = stream.cue_of
    hard_ends: list[int] = []
    for index in range(count):
        nxt = index + 1
        if (
            nxt == count
            or nxt in stream.turn_starts
            or (cue_of[nxt] != cue_of[index] and cues[cue_of[nxt]].speaker != cues[cue_of[index]].speaker)
            or (punctuated and words[index][-1] in _ENDERS and _ends_sentence(words[index], words[nxt]))
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


def _cut_score(stream: WordStream, index: int, length: int, target: int) -> float:
    """How good a sentence end after word `index` is (higher is better)."""
    word = stream.words[index]
    after = stream.words[index + 1]
    norm, norm_after = stream.norms[index], stream.norms[index + 1]
    score = -abs(length - target) / 8
    at_cue_end = stream.cue_of[index + 1] != stream.cue_of[index]
    if at_cue_end:
        score += 1.0
        if _pause_after(stream, index) >= PAUSE_S:
            score += 3.0
    if word[-1:] in ",;:—–-":
        score += 1.5
    if norm in _DANGLING:
        score -= 4.0
    if norm_after in _STARTERS:
        score += 2.0
    if (norm, norm_after) in _BOUND_PAIRS:
        score -= 4.0
    if after[:1].isupper() and not after.startswith("I"):
        score += 0.5
    return score


def _cut_long(
    stream: WordStream, start: int, end: int, low: int, target: int, high: int
) -> list[tuple[int, int]]:
    """Cut words start..end into pieces of about `target` words at the best-scored boundaries.

    Each piece ends, among the positions giving `low`..`high` words, where the score is best:
    a pause or caption end, a comma, before a word that opens a clause ("so", "but", "I"),
    never after a word that cannot end one ("the", "of", "to").
    """
    pieces: list[tuple[int, int]] = []
    piece_start = start
    while end - piece_start + 1 > high or (end - piece_start + 1 > target + low // 2):
        first = piece_start + low - 1
        last = min(piece_start + high - 1, end - low // 2)
        if last < first:
            break
        best, best_score = last, float("-inf")
        for index in range(first, last + 1):
            score = _cut_score(stream, index, index - piece_start + 1, target)
            if score > best_score:
                best, best_score = index, score
        pieces.append((piece_start, best))
        piece_start = best + 1
    pieces.append((piece_start, end))
    return pieces
