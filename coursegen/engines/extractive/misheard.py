"""Sentences where speech recognition misheard a technical word the episode repeats.

A recogniser that gets "inference time" right fifteen times may write "entrance time" once: a real
word, so no spelling check sees it, but a learner reading it as a quote is misled. The tell is a
one-off phrase that differs from a phrase the episode repeats by one similar-sounding word, where
the repeated word is a rare, technical one (the words a recogniser stumbles on). Common words are
left alone: "path toward" beside a repeated "path forward" is a choice of words, not a mishearing.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from coursegen.engines.extractive.text import is_stop, normal, tokens, zipf
from coursegen.ir import Sentence

# A phrase said this often in the episode is one the recogniser knows.
MIN_REPEATS = 3
# The repeated word is technical: rarer than this in general English (Zipf scale).
MAX_TECHNICAL_ZIPF = 4.5
# The misheard word is a one-off in the episode.
MAX_MISHEARD_COUNT = 2
# Edit distance over the longer word's length: "entrance"/"inference" 0.44, "compete"/"compute" 0.14.
MAX_SOUND_DISTANCE = 0.45
MIN_WORD = 3


def misheard_sentences(sentences: Sequence[Sentence]) -> frozenset[str]:
    """Ids of the sentences holding a likely mishearing of a repeated technical phrase."""
    words_of = [[normal(w) for w in tokens(s.text)] for s in sentences]
    words: Counter[str] = Counter(w for ws in words_of for w in ws)
    pairs: Counter[tuple[str, str]] = Counter(p for ws in words_of for p in zip(ws, ws[1:], strict=False))
    # For each word of a repeated two-word phrase, its technical partners on the other side.
    before: dict[str, set[str]] = defaultdict(set)  # second word -> technical first words
    after: dict[str, set[str]] = defaultdict(set)  # first word -> technical second words
    for (first, second), count in pairs.items():
        if count < MIN_REPEATS or not (_content(first) and _content(second)):
            continue
        if zipf(first) < MAX_TECHNICAL_ZIPF:
            before[second].add(first)
        if zipf(second) < MAX_TECHNICAL_ZIPF:
            after[first].add(second)
    found: set[str] = set()
    for sentence, ws in zip(sentences, words_of, strict=True):
        for first, second in zip(ws, ws[1:], strict=False):
            if pairs[(first, second)] > 1:
                continue
            if _misheard(first, before.get(second, ()), words) or _misheard(
                second, after.get(first, ()), words
            ):
                found.add(sentence.id)
                break
    return frozenset(found)


def _content(word: str) -> bool:
    return len(word) >= MIN_WORD and not is_stop(word)


def _misheard(word: str, intended: set[str] | tuple[()], words: Counter[str]) -> bool:
    """True when `word`, a one-off, sounds like one of the repeated technical `intended` words."""
    if len(word) < MIN_WORD or words[word] > MAX_MISHEARD_COUNT:
        return False
    return any(_sounds_like(word, other) for other in intended)


def _sounds_like(word: str, other: str) -> bool:
    # A word inside the other is a form of it ("incontext"/"context"), not a mishearing.
    if word in other or other in word:
        return False
    return _edit_distance(word, other) / max(len(word), len(other)) <= MAX_SOUND_DISTANCE


def _edit_distance(one: str, other: str) -> int:
    previous = list(range(len(other) + 1))
    for i, a in enumerate(one, start=1):
        current = [i]
        for j, b in enumerate(other, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b)))
        previous = current
    return previous[-1]
