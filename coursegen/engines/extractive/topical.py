"""Is a term a topic of the talk or small talk? Measured by the technical words around it.

A technical idea is discussed among the episode's other technical words ("the weights of the
neural network are trained by gradient descent"); an anecdote ("we have a micro-kitchen area
in the building, with an espresso machine") is told in everyday words. The episode's
*domain words* are the words it uses far more often than general English does; a term whose
surrounding talk holds few of them, and few distinct ones, is an anecdote, not a concept.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from coursegen.engines.extractive.text import is_stop, known_word, tokens, zipf
from coursegen.ir import Episode

# A domain word is used at least this often and this much more than in general English
# (log10 of its rate per billion words minus its Zipf frequency).
MIN_DOMAIN_COUNT = 3
MIN_DOMAIN_KEYNESS = 1.5
# Sentences on each side of a mention that make up the talk around it.
WINDOW = 3
# Below this many domain words the episode is too short to judge (every term is kept).
MIN_DOMAIN_WORDS = 15
# Small talk: the talk around the term uses domain words at under this share of the episode's
# own rate, and it names fewer distinct domain words than it has mentions.
MAX_SMALL_TALK_RATE = 0.6
MAX_SMALL_TALK_VARIETY = 1.0


def _content(text: str) -> list[str]:
    return [w.lower() for w in tokens(text) if len(w) > 2 and not is_stop(w)]


@dataclass(frozen=True)
class Topicality:
    """How technical the talk around a term is, against the episode as a whole."""

    rate: float  # share of domain words around the term / share in the whole episode
    variety: float  # distinct domain words around the term per mention

    @property
    def small_talk(self) -> bool:
        """True when the talk around the term is everyday conversation, not the field's."""
        return self.rate < MAX_SMALL_TALK_RATE and self.variety < MAX_SMALL_TALK_VARIETY


class TopicalityIndex:
    """The domain words of one episode, and how densely the talk around a term uses them."""

    def __init__(self, episode: Episode) -> None:
        self._sentences = [s for p in episode.passages for s in p.sentences]
        self._index = {s.id: i for i, s in enumerate(self._sentences)}
        self._words = [_content(s.text) for s in self._sentences]
        counts = Counter(w for ws in self._words for w in ws if w.isalpha())
        self._counts = counts
        total = sum(len(tokens(s.text)) for s in self._sentences) or 1
        self.domain = frozenset(
            w
            for w, n in counts.items()
            if n >= MIN_DOMAIN_COUNT and math.log10(n / total * 1e9) - (zipf(w) or 1.0) >= MIN_DOMAIN_KEYNESS
        )
        content = [w for ws in self._words for w in ws]
        self._base = sum(w in self.domain for w in content) / max(1, len(content))

    def share(self, text: str, own_words: set[str]) -> float:
        """Share of a sentence's content words (besides the term's own) that are domain words."""
        words = [w for w in _content(text) if w not in own_words]
        return sum(w in self.domain for w in words) / len(words) if words else 0.0

    def garbled(self, text: str, own_words: set[str]) -> bool:
        """True when the text holds a lower-case word general English does not know and the
        episode hardly repeats ("microat", "backprogiation"): a transcription error. Jargon
        the speakers keep using ("nanochat" said ten times) is not one."""
        return any(
            w.islower() and w.isalpha() and len(w) > 2 and w not in own_words and not known_word(w)
            and self._counts.get(w, 0) < MIN_DOMAIN_COUNT
            for w in tokens(text)
        )

    def of(self, sentence_ids: list[str], own_words: set[str]) -> Topicality | None:
        """The topicality of the talk around these mentions (None when it cannot be judged)."""
        if len(self.domain) < MIN_DOMAIN_WORDS or self._base == 0 or not sentence_ids:
            return None
        window: set[int] = set()
        for sid in sentence_ids:
            i = self._index.get(sid)
            if i is not None:
                window.update(range(max(0, i - WINDOW), min(len(self._sentences), i + WINDOW + 1)))
        words = [w for i in sorted(window) for w in self._words[i] if w not in own_words]
        if not words:
            return None
        found = [w for w in words if w in self.domain]
        return Topicality(
            rate=round(len(found) / len(words) / self._base, 4),
            variety=round(len(set(found)) / len(sentence_ids), 4),
        )
