"""Word-level text normalization shared by citations and validators.

Quotes are compared as sequences of normalized words so that case, punctuation, curly
quotes, HTML entities and whitespace never decide whether a citation is verbatim.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc`]")
_WORD = re.compile(r"\w+")
# Escapes that appear inside JSON-based caption files (json3, whisper JSON, podcast JSON).
_JSON_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|[nrt\"/\\])")

# Function words and conversational filler: never evidence that a quote supports an answer.
_STOP_WORDS_TEXT = """
    a about above after again against all also am an and any are aren as at be because been before
    being below between both but by can cannot could couldn did didn do does doesn doing don down
    during each either else even ever every few for from further get gets got had hadn has hasn have
    haven having he her here hers herself him himself his how however i if in into is isn it its
    itself just kind let like ll m me might more most much must mustn my myself need no nor not now
    of off often on once one only or other ought our ours ourselves out over own quite rather re
    really s same shall shan she should shouldn so some such t than that the their theirs them
    themselves then there these they thing things this those though through thus to too under until
    up upon us ve very was wasn we well were weren what when where whether which while who whom
    whose why will with won would wouldn yeah yes yet you your yours yourself yourselves
    actually basically gonna okay oh um uh sort lot lots
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())


def _json_unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    if code is not None:
        return chr(int(code, 16))
    return " " if match.group(0) in ("\\n", "\\r", "\\t") else match.group(0)[1]


@lru_cache(maxsize=65536)
def words(text: str) -> tuple[str, ...]:
    """Lower-case word tokens: accents kept, apostrophes dropped, punctuation ignored."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return tuple(_WORD.findall(_APOSTROPHES.sub("", folded)))


def source_words(line: str) -> tuple[str, ...]:
    """Words of one raw source line, after undoing HTML (even double) and JSON escapes."""
    if "&" in line:
        line = html.unescape(html.unescape(line))
    if "\\" in line:
        line = _JSON_ESCAPE.sub(_json_unescape, line)
    return words(line)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light suffix stripper: enough to match plurals and simple verb forms (tables/table, ran/running)."""
    w = word
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif w.endswith("sses"):
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if len(w) > 5 and w.endswith("ing"):
        w = w[:-3]
    elif len(w) > 4 and w.endswith("ed") or len(w) > 4 and w.endswith("ly"):
        w = w[:-2]
    if len(w) >= 4 and w[-1] == w[-2] and w[-1] not in "lsz" and w[-1].isalpha():
        w = w[:-1]  # running -> runn -> run
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]  # table/tables, trade/traded
    return w


@lru_cache(maxsize=65536)
def singular(word: str) -> str:
    """Plural to singular only (models/model, batches/batch): how concept names are matched."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "shes", "ches", "xes", "zes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


_QUOTED = re.compile(r"\"[^\"]*\"|\u201c[^\u201d]*\u201d")


def without_quotations(text: str) -> str:
    """`text` with every double-quoted span removed (the speakers' words inside course text)."""
    return _QUOTED.sub(" ", text)


def content_words(text: str) -> tuple[str, ...]:
    """Stemmed words of `text` that are not stop words, in order."""
    return tuple(stem(w) for w in words(text) if w not in STOP_WORDS)


def is_subsequence(needle: tuple[str, ...] | list[str], haystack: tuple[str, ...] | list[str]) -> bool:
    """True when every word of `needle` occurs in `haystack` in order (gaps allowed)."""
    it = iter(haystack)
    return all(any(word == candidate for candidate in it) for word in needle)
