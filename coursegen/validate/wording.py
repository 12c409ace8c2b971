"""Wording rules shared by cards and questions: self-contained text, enumerations, lists, cloze."""

from __future__ import annotations

import re

from coursegen.textnorm import STOP_WORDS, words

# Phrases that only make sense next to the source: a card must stand on its own.
_NOT_SELF_CONTAINED = re.compile(
    r"\b(in|from|according to|based on) (this|the) (passage|text|excerpt|quote|transcript|episode|"
    r"video|podcast|interview|conversation|clip|lecture|talk)\b"
    # not "the host" / "the author": hosts and authors are things a card may be about
    r"|\bthe (speaker|speakers|interviewer|interviewee|narrator)\b"
    r"|\b(above|following) (passage|text|quote|excerpt)\b"
    r"|\bas (mentioned|discussed|stated|described) (above|earlier|before)\b",
    re.IGNORECASE,
)
_NUMBER_WORDS = r"(two|three|four|five|six|seven|eight|nine|ten|several|\d+)"
# "Name the three ...", "List the ...", "Enumerate ...": not "name the technique" or "a linked list".
_ENUMERATION = re.compile(
    rf"\b(name|list|enumerate|give|identify|state|what are)\s+(the\s+|all\s+|)({_NUMBER_WORDS}\b|all\b)"
    r"|^\W*(list|enumerate)\b"
    r"|\b(list|enumerate)\s+(the|all|every|each)\b",
    re.IGNORECASE,
)
_CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)
_ALL_OF_ABOVE = re.compile(
    r"\b(all|none|both|neither) of (the )?(above|these|those)\b|\b(both|neither) [a-e] (and|nor) [a-e]\b",
    re.IGNORECASE,
)


def not_self_contained(text: str) -> str | None:
    """The phrase that ties `text` to an unseen source, or None."""
    match = _NOT_SELF_CONTAINED.search(text)
    return match.group(0) if match else None


def enumeration(text: str) -> str | None:
    """The phrase that makes `text` a set/enumeration question, or None."""
    match = _ENUMERATION.search(text)
    return match.group(0) if match else None


def is_list_answer(text: str) -> bool:
    """True when an answer lists two or more items (bullets, semicolons, or 'A, B and C')."""
    if re.search(r"(^|\n)\s*([-*\u2022]|\d+[.)])\s", text) and "\n" in text.strip():
        return True
    if ";" in text:
        return True
    parts = [p.strip() for p in re.split(r",|\band\b|\bor\b", text) if p.strip()]
    # "A, B and C" / "A, B, C": at least two commas-or-ands joining short parts.
    return text.count(",") >= 1 and len(parts) >= 3 and all(len(p.split()) <= 4 for p in parts)


def is_all_of_the_above(option: str) -> bool:
    """True for 'all/none of the above', 'both A and B' style options."""
    return bool(_ALL_OF_ABOVE.search(option))


def cloze_deletions(text: str) -> list[tuple[int, str]] | str:
    """The (number, text) of each {{cN::...}} deletion, or a reason the syntax is invalid."""
    found = [(int(m.group(1)), m.group(2)) for m in _CLOZE.finditer(text)]
    remainder = _CLOZE.sub("", text)
    if "{{" in remainder or "}}" in remainder:
        return "unbalanced or malformed {{...}} markup"
    if not found:
        return "no {{cN::...}} deletion"
    for number, deleted in found:
        if number < 1:
            return f"cloze number c{number} must start at 1"
        if not deleted.strip():
            return f"cloze c{number} deletes nothing"
    return found


def cloze_rest(text: str) -> str:
    """The text of a cloze with every deletion removed."""
    return _CLOZE.sub(" ", text)


def is_stop_phrase(text: str) -> bool:
    """True when every word of `text` is a stop word (or it has no words)."""
    return all(w in STOP_WORDS for w in words(text))
