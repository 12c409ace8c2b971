"""Which word a fill-in may blank, and which options a choice may offer, so a question tests the idea.

A blank is fair when a learner of the lesson can recall it: a technical word of the course (a
concept's name, one of the episodes' terms) or a rare word the lesson itself repeats. A common
English word ("centers", "domain") or a one-off word the lesson never dwells on ("cortex") tests
the learner's English or memory of one sentence, not the idea. A blank is also unfair when a
second answer fits it equally: another name of the same concept ("weights" for "parameters"), or
an option naming an idea taught in the same lesson alongside the answer. These rules read word
frequencies and the course's own names only, so they hold for any English conversation.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass

from coursegen.engines.extractive.defining import explains_idea
from coursegen.engines.extractive.terms import find_terms
from coursegen.engines.extractive.text import content_words, name_key, normal, tokens, zipf
from coursegen.engines.types import GraphConcept
from coursegen.ir import Episode

# A word the lesson repeats is worth recalling only when rarer than this in general English
# (Zipf scale: "model" 5.3, "gradient" 3.6): a common word fits too many sentences.
MAX_LESSON_WORD_ZIPF = 4.3
# How many of the lesson's quoted sentences must hold a word for it to count as taught there.
MIN_LESSON_REPEATS = 2


@functools.lru_cache(maxsize=1 << 14)
def _key(name: str) -> str:
    """A name compared across spellings: singular words, hyphens as spaces ("test-time")."""
    return name_key(name.replace("-", " "))


# Episodes whose technical vocabulary was read, by (id, sha256): terms are found once per episode.
_VOCABULARIES: dict[tuple[str, str], tuple[str, ...]] = {}
MAX_VOCABULARIES = 64


def technical_vocabulary(episodes: Iterable[Episode]) -> tuple[str, ...]:
    """The spoken forms of the episodes' technical terms (terms.find_terms: phrases and words the
    talk uses far more often than everyday English does), longest first; names of people and
    firms and lone verb forms ("deploying") are left out: recalling them tests no idea."""
    forms: set[str] = set()
    for episode in episodes:
        forms.update(episode_vocabulary(episode))
    return _longest_first(frozenset(forms))


def episode_vocabulary(episode: Episode) -> tuple[str, ...]:
    """One episode's share of `technical_vocabulary`, read once per episode."""
    key = (episode.id, episode.sha256)
    if key not in _VOCABULARIES:
        remember_vocabulary(
            episode,
            tuple(
                sorted(
                    form.lower()
                    for term in find_terms(episode)
                    if not term.is_name
                    for form in term.forms
                    if len(tokens(form)) > 1 or not form.lower().endswith("ing")
                )
            ),
        )
    return _VOCABULARIES[key]


def has_vocabulary(episode: Episode) -> bool:
    """True when the episode's vocabulary is read already."""
    return (episode.id, episode.sha256) in _VOCABULARIES


def remember_vocabulary(episode: Episode, forms: tuple[str, ...]) -> None:
    """Keep an episode's vocabulary (`episode_vocabulary`), e.g. one a worker process read."""
    if len(_VOCABULARIES) >= MAX_VOCABULARIES:
        _VOCABULARIES.clear()
    _VOCABULARIES[(episode.id, episode.sha256)] = forms


@functools.lru_cache(maxsize=64)
def _longest_first(forms: frozenset[str]) -> tuple[str, ...]:
    return tuple(sorted(forms, key=lambda f: (-len(f), f)))


@functools.lru_cache(maxsize=256)
def _keys(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(_key(n) for n in names)


def other_names(concept: GraphConcept) -> list[str]:
    """The concept's aliases that are another name, not another form of its name ("weights" for
    "parameter", not "parameters"): a fill-in on its name then has two right answers."""
    # A longer or shorter form of the name ("self-driving car", "large language model") names the
    # same thing in the same slot; only a name with other words is a second answer.
    return sorted({a for a in concept.aliases if not _alike_names(concept.name, a)})


# Two words are forms of one when they share this many first letters and differ in at most
# STEM_ENDING letters past them ("scaling", "scaled"; not "nets", "network").
STEM_LETTERS = 4
STEM_ENDING = 3


def word_forms(alias: str, name: str) -> bool:
    """True when every word of the alias is a form of a word of the name."""

    def alike(one: str, other: str) -> bool:
        shared = len(os.path.commonprefix([one, other]))
        return shared >= STEM_LETTERS and min(len(one), len(other)) - shared <= STEM_ENDING

    own = tokens(name.lower())
    return all(any(alike(word, mine) for mine in own) for word in tokens(alias.lower()))


def _alike_names(one: str, other: str) -> bool:
    """True when one name is a longer or shorter form of the other (words a subset)."""
    a, b = set(_key(one).split()), set(_key(other).split())
    return a <= b or b <= a


def has_two_names(concept: GraphConcept, spoken: str) -> bool:
    """True when the talks call the concept by two different names ("parameters" and "weights"),
    so a fill-in on one has a second right answer. `spoken` is the talks' text in lower case: an
    instructor's rename the speakers never say ("Experiments (the research loop)" for "compute")
    is no second answer to a blank in their words."""
    said = [n for n in (concept.name, *concept.aliases) if re.search(rf"\b{re.escape(n.lower())}\b", spoken)]
    return any(not _alike_names(said[0], other) for other in said[1:])


_SPOKEN: dict[tuple[tuple[str, str], ...], str] = {}


def spoken_text(episodes: Iterable[Episode]) -> str:
    """The talks' sentences in lower case, joined (built once per set of episodes)."""
    chosen = sorted(episodes, key=lambda e: e.id)
    key = tuple((e.id, e.sha256) for e in chosen)
    if key not in _SPOKEN:
        if len(_SPOKEN) >= MAX_VOCABULARIES:
            _SPOKEN.clear()
        _SPOKEN[key] = " ".join(s.text.lower() for e in chosen for p in e.passages for s in p.sentences)
    return _SPOKEN[key]


@dataclass(frozen=True)
class LessonVocabulary:
    """The words of the sentences a lesson quotes (normal forms), and how many quotes hold each."""

    counts: tuple[tuple[str, int], ...] = ()

    @classmethod
    def of(cls, quoted: Iterable[str]) -> LessonVocabulary:
        seen: dict[str, int] = {}
        for sentence in quoted:
            for word in {normal(w) for w in content_words(sentence)}:
                seen[word] = seen.get(word, 0) + 1
        return cls(tuple(sorted(seen.items())))

    @functools.cached_property
    def _count(self) -> dict[str, int]:
        return dict(self.counts)

    def shows(self, phrase: str) -> bool:
        """True when every content word of the phrase is in a sentence the lesson quotes."""
        words = {normal(w) for w in tokens(phrase)}
        return bool(words) and all(w in self._count for w in words)

    def repeats(self, word: str) -> bool:
        """True when the word is in several of the lesson's quotes and rare in everyday English."""
        count = self._count.get(normal(word), 0)
        return count >= MIN_LESSON_REPEATS and 0 < zipf(word.lower()) < MAX_LESSON_WORD_ZIPF


def recallable(
    word: str, terms: tuple[str, ...], taught_names: tuple[str, ...], vocabulary: LessonVocabulary
) -> bool:
    """True when a learner of the lesson can recall the blanked word: a name of a concept taught so
    far, or one of the episodes' terms the lesson shows, or a rare word the lesson repeats."""
    key = _key(word)
    if key in _keys(taught_names):
        return True
    if key in _keys(terms) and vocabulary.shows(word):
        return True
    return len(tokens(word)) == 1 and vocabulary.repeats(word)


def fair_distractor(option: str, answer: GraphConcept, same_lesson: Iterable[GraphConcept]) -> bool:
    """False for an option that could also be right: another name of the answer, or an idea taught
    in the same lesson (ideas taught together are used together: "every neuron", "every
    parameter")."""
    key = _key(option)
    if key in {_key(n) for n in (answer.name, *answer.aliases)}:
        return False
    return all(key not in {_key(n) for n in (c.name, *c.aliases)} for c in same_lesson if c.id != answer.id)


def explains_opening(text: str, pattern: re.Pattern[str]) -> bool:
    """True when a model answer's sentence says what the idea is or does by its shape
    (defining.explains_idea > 0: "X is a ...", "X lets you ...", "what X does is ..."), not only
    names it ("parts of the model activated for some X", "a kid has more X than ...")."""
    first = _FIRST_SENTENCE.match(text.strip())
    opening = first.group(0) if first else text
    # A statement widened with the sentence before it opens on that one: it must explain too.
    return explains_idea(opening, pattern) > 0


_FIRST_SENTENCE = re.compile(r".+?[.!?](?=\s+[A-Z]|$)", re.S)


# A blank right after a preposition ("a level of demand for _____", "useful in _____") takes any
# noun the talk is about: without options, other words fit as well as the answer.
_AFTER_A_PREPOSITION = re.compile(
    r"\b(?:of|for|in|on|with|about|from|at|by|into|onto|per|than|like|through|without)\s*$", re.I
)


def open_slot(stem: str, blank: str) -> bool:
    """True when a blank follows a bare preposition, so a free fill-in has other right answers."""
    return any(_AFTER_A_PREPOSITION.search(piece) for piece in stem.split(blank)[:-1])


def names_another_first(text: str, pattern: re.Pattern[str], others: Iterable[str]) -> bool:
    """True when a sentence names another technical idea before the concept ("when you would run
    linear regression you have a small gradient descent optimizer"): it is about that idea, so a
    model answer opening on it explains the wrong one."""
    first = _FIRST_SENTENCE.match(text.strip())
    opening = (first.group(0) if first else text).lower()
    mention = pattern.search(opening)
    if mention is None:
        return False
    before = opening[: mention.start()]
    return any(re.search(rf"\b{re.escape(name.lower())}\b", before) for name in others)


# Letters a stem's word shares with the start of the answer's for it to give the answer away
# ("module level" for "modularity", "nano GPT" for "nano chat"), when the answer's word is rarer
# than this in general English ("model" in "world model" is in every other sentence).
GIVEAWAY_LETTERS = 4
MAX_GIVEAWAY_ZIPF = 4.0


def gives_away(stem: str, answer: str) -> bool:
    """True when the stem spells the blanked name's initials ("... _____ accelerators, very ML
    focused GPUs" for "machine learning"): the learner reads the answer off the stem."""
    words = tokens(answer.replace("-", " "))
    if len(words) < 2:
        return False
    initials = "".join(w[0] for w in words).upper()
    return any(t == initials or t == initials + "s" for t in tokens(stem))


def hints_at(stem: str, answer: str) -> bool:
    """True when the stem holds a word opening like a rare word of the answer ("at the _____, at
    the module level" for "modularity"): among four options the learner matches the letters. A
    fill-in may keep such a hint (the learner still recalls the name); a choice may not."""
    starts = {
        w.lower()[:GIVEAWAY_LETTERS]
        for w in tokens(answer.replace("-", " "))
        if len(w) >= GIVEAWAY_LETTERS and zipf(w.lower()) < MAX_GIVEAWAY_ZIPF
    }
    return any(t.lower()[:GIVEAWAY_LETTERS] in starts for t in tokens(stem) if len(t) >= GIVEAWAY_LETTERS)
