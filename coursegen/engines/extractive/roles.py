"""Roles: what a term is said to be part of, and names the speakers give as one another.

Two evidences that two names are one idea, read from how the speakers use them:

- an *apposition* ("X, also called Y", "X, also known as Y", "X, or Y,", "X (Y)"): the speaker
  renames the thing in passing;
- one *owner*: both are named as a part of the same noun ("the weights of the model", "the
  parameters of the model") and never in one sentence together. Synonyms substitute for each
  other: a speaker who says both in one sentence ("the layers and the weights of the model")
  means two things.

Transcript text is data here: it is matched, never interpreted.
"""

from __future__ import annotations

import functools
import re

from coursegen.engines.extractive.text import stop_words

DETERMINERS = "the|a|an|our|your|its|their|his|her|my|this|that|these|those"
# A quantity is not an owner ("a billion parameters", "billions of dollars").
QUANTITY_WORDS = frozenset(
    [
        "hundred",
        "hundreds",
        "thousand",
        "thousands",
        "million",
        "millions",
        "billion",
        "billions",
        "trillion",
        "trillions",
        "dozen",
        "dozens",
        "half",
        "couple",
        "percent",
    ]
)
# "X, or Y," renames X only when said this often (see `appositions`).
MIN_OR_RENAMES = 2
_OWNER_WORD = r"([a-z][a-z-]+)"


@functools.lru_cache(maxsize=4096)
def _pattern(source: str) -> re.Pattern[str]:
    """A compiled case-blind pattern, kept: each term's patterns are asked for again per
    episode, stage and companion, more distinct ones than the re module's own cache holds."""
    return re.compile(source, re.I)


def _alternatives(forms: list[str]) -> str:
    return "|".join(re.escape(f.lower()) for f in sorted(set(forms), key=len, reverse=True))


def _is_owner_word(word: str) -> bool:
    return word not in stop_words() and word not in QUANTITY_WORDS and not word.isdigit()


def owner_nouns(forms: list[str], sentences: list[str]) -> dict[str, int]:
    """Nouns the term is said to be part of, with the sentences saying so: "the X of the N",
    and "N X" ("model parameters") when the talk also says "X of the N" (the compound alone
    may be a modifier: "lifting weights", "total parameters")."""
    alt = _alternatives(forms)
    if not alt:
        return {}
    of_form = _pattern(rf"\b(?:{alt})\s+of\s+(?:{DETERMINERS})\s+{_OWNER_WORD}")
    compound = _pattern(rf"\b{_OWNER_WORD}\s+(?:{alt})\b")
    of_said: dict[str, set[int]] = {}
    compound_said: dict[str, set[int]] = {}
    for index, sentence in enumerate(sentences):
        low = sentence.lower()
        for word in {m.group(1) for m in of_form.finditer(low)}:
            of_said.setdefault(word, set()).add(index)
        for word in {m.group(1) for m in compound.finditer(low)}:
            compound_said.setdefault(word, set()).add(index)
    return {
        word: len(said | compound_said.get(word, set()))
        for word, said in sorted(of_said.items())
        if _is_owner_word(word)
    }


def appositions(forms: list[str], sentences: list[str]) -> list[str]:
    """Other names the speakers give the term in passing: "X, also called Y", "X, also known as
    Y", "X (Y)", and "X, or Y," said twice or more (once it may be a list of alternatives:
    "supervised learning, or reinforcement learning, or ..."). Lower case, one to four words;
    the caller decides which of them name a concept."""
    alt = _alternatives(forms)
    if not alt:
        return []
    name = r"([a-z][a-z-]*(?: [a-z][a-z-]*){0,3})"
    renames = [
        _pattern(rf"\b(?:{alt}),? (?:also |sometimes |often )?(?:called|known as|aka) {name}\b"),
        _pattern(rf"\b(?:{alt}) \({name}\)"),
    ]
    alternative = _pattern(rf"\b(?:{alt}), or {name},")
    found: set[str] = set()
    said_or: dict[str, int] = {}
    for sentence in sentences:
        for pattern in renames:
            found.update(m.group(1).lower() for m in pattern.finditer(sentence))
        for other in {m.group(1).lower() for m in alternative.finditer(sentence)}:
            said_or[other] = said_or.get(other, 0) + 1
    found.update(other for other, count in said_or.items() if count >= MIN_OR_RENAMES)
    return sorted(found)


def said_part_of(forms: list[str], whole: re.Pattern[str], sentences: list[str]) -> int:
    """Sentences naming the term a part of another term (`whole`, a pattern finding it): "the X
    of the W" ("the weights of the neural network"), and "W X" ("neural network weights") when
    the talk also says the first (see `owner_nouns`)."""
    alt = _alternatives(forms)
    if not alt:
        return 0
    of_form = _pattern(rf"\b(?:{alt})\s+of\s+(?:(?:{DETERMINERS})\s+)?")
    own = _pattern(rf"\b(?:{alt})\b")
    of_said: set[int] = set()
    compound_said: set[int] = set()
    for index, sentence in enumerate(sentences):
        low = sentence.lower()
        if any(whole.match(low, m.end()) for m in of_form.finditer(low)):
            of_said.add(index)
        for found in whole.finditer(low):
            rest = low[found.end() :]
            if own.match(rest.lstrip()) and rest[:1] == " ":
                compound_said.add(index)
    return len(of_said | compound_said) if of_said else 0
