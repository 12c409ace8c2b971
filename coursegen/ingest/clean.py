"""Cue text cleaning: markup tags, stage directions, scraper junk, turn markers.

Everything here removes text that was not said (tags, `[Music]`, `(laughing)`) or was
added by a scraper; it never rewrites words, so a cleaned sentence stays traceable to the
original lines.
"""

from __future__ import annotations

import html
import re

# Markup tags: <i>, </c>, <v Name>, <font color=...>, <00:00:01.230> word timings, {\an8}.
_TAG = re.compile(r"</?[A-Za-z][^<>\n]{0,200}>|</?\d[\d:.,]*>|\{\\[^{}\n]{0,40}\}")
# Bracketed non-speech in captions: [Music], [Applause], [inaudible 00:01:02], ♪ lyrics ♪.
_BRACKETED = re.compile(r"\[[^\[\]\n]{0,60}\]|♪[^♪\n]{0,200}♪|[♪♫]+")
# Parentheticals are only stage directions when they name a sound or reaction.
_SOUND_WORDS = (
    "laugh|laughs|laughing|laughter|chuckle|chuckles|chuckling|applause|applauding|clapping|"
    "music|cheering|cheers|coughs|coughing|cough|sighs|sigh|sighing|inaudible|crosstalk|"
    "silence|pause|pauses|indistinct|unintelligible|background noise|noise|groans|gasps|"
    "giggles|giggling|murmurs|murmuring|static|beep|beeps|ringing|whistles|upbeat|intro|outro"
)
_PAREN_STAGE = re.compile(
    r"\((?:[A-Za-z]+\s){0,4}(?:" + _SOUND_WORDS + r")(?:\s[A-Za-z]+){0,4}\)",
    re.IGNORECASE,
)
_HTML_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z]{2,8});")
# Scraper junk that sometimes sticks to the end of the last transcript line.
JUNK_LINES = (
    "Loading video analysis...",
    "Loading...",
    "Show less",
    "Show more",
    "Read more",
    "Transcript",
    "Subscribe",
    "[object Object]",
    "undefined",
)
_JUNK_SUFFIX = re.compile(r"(?<![^\W_])\s*(?:Loading video analysis\.\.\.|Loading\.\.\.)\s*$")
# "- " mid-line after a sentence end or a cut-off "--" starts a new turn: "- Yeah. - And then".
MIDLINE_DASH_TURN = re.compile(r"(?<=[.?!,\"”)-])\s+-\s+(?=\S)")
# A caption turn marker: ">>" (YouTube, TV; some tools write ">>>") or "&gt;&gt;" left escaped by a scraper.
TURN_MARKER = re.compile(r"\s*(?:>>+|(?:&gt;){2,})\s*")


def wordset(text: str) -> frozenset[str]:
    """Space-separated words → frozenset (keeps long word lists compact)."""
    return frozenset(text.split())


def clean_text(text: str) -> str:
    """Remove markup and stage directions from one cue; whitespace is folded."""
    if "&" in text:
        text = _HTML_ENTITY.sub(lambda m: html.unescape(m.group(0)), text)
    if "<" in text or "{" in text:
        # Tags sit inside or between words ("<c> word</c>"); removing them must not split a word.
        text = _TAG.sub("", text)
    if "[" in text or "♪" in text or "♫" in text:
        text = _BRACKETED.sub(" ", text)
    if "(" in text:
        text = _PAREN_STAGE.sub(" ", text)
    if "Loading" in text:
        text = _JUNK_SUFFIX.sub("", text)
    return " ".join(text.split())


def split_turns(text: str) -> list[tuple[str, bool]]:
    """Split a cue at `>>` turn markers: [(part, starts_new_turn), ...] (empty parts kept out)."""
    if ">>" not in text and "&gt;&gt;" not in text:
        return [(text, False)]
    parts = TURN_MARKER.split(text)
    result: list[tuple[str, bool]] = []
    for index, part in enumerate(parts):
        if part.strip():
            result.append((part, index > 0))
    if not result:
        return []
    return result


def is_junk_line(line: str) -> bool:
    """True for a whole line that is scraper furniture, not speech."""
    return line.strip() in JUNK_LINES
