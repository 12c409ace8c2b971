"""A strict GIFT checker (the PyPI GIFT parsers are stale): parses what Moodle's GIFT import reads.

Accepted subset, each rule stricter than Moodle:
- a file is blocks separated by blank lines; a block is a `//` comment line, a `$CATEGORY:`
  line, or one question;
- question = [`::title::`] [`[html]`|`[plain]`|`[markdown]`|`[moodle]`] text `{` answers `}`,
  with nothing but whitespace after the closing brace;
- outside escapes, `~ = # { } :` may appear only where the grammar puts them, and a backslash
  must escape one of `~ = # { } : \\` (anything else is an error);
- answers: empty (essay), `TRUE`/`FALSE`/`T`/`F` [`#feedback`], one or more `=answer` (short
  answer), or exactly one `=` and at least one `~` (multiple choice); each answer may carry
  `#feedback`; the block may end with `####general feedback`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SPECIALS = set("~=#{}:")
ESCAPABLE = SPECIALS | {"\\"}


class GiftError(ValueError):
    """The text is not valid GIFT."""


@dataclass
class Answer:
    """One answer: correct or not, its text and feedback (unescaped)."""

    correct: bool
    text: str
    feedback: str = ""


@dataclass
class GiftQuestion:
    """One parsed question, every string unescaped."""

    title: str
    text_format: str
    text: str
    kind: str  # essay | true_false | short | mcq
    answers: list[Answer] = field(default_factory=list)
    truth: bool | None = None
    general_feedback: str = ""


Token = tuple[str, bool]  # (character, was escaped)


def tokenize(text: str) -> list[Token]:
    """Characters with an escaped flag; a stray or dangling backslash is an error."""
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\":
            if i + 1 >= len(text) or text[i + 1] not in ESCAPABLE:
                raise GiftError(f"bad escape {text[i:i + 2]!r} at {i}")
            tokens.append((text[i + 1], True))
            i += 2
            continue
        tokens.append((char, False))
        i += 1
    return tokens


def _plain(tokens: list[Token], where: str, allowed: str = "") -> str:
    for char, escaped in tokens:
        if not escaped and char in SPECIALS and char not in allowed:
            raise GiftError(f"unescaped {char!r} in {where}")
    return "".join(char for char, _ in tokens)


def _find(tokens: list[Token], pattern: str, start: int = 0) -> int:
    """Index of an unescaped sequence, or -1."""
    for i in range(start, len(tokens) - len(pattern) + 1):
        if all(tokens[i + k] == (pattern[k], False) for k in range(len(pattern))):
            return i
    return -1


def _split_feedback(tokens: list[Token], where: str) -> tuple[str, str]:
    cut = _find(tokens, "#")
    if cut < 0:
        return _plain(tokens, where).strip(), ""
    return _plain(tokens[:cut], where).strip(), _plain(tokens[cut + 1 :], f"{where} feedback").strip()


def parse_question(block: str) -> GiftQuestion:
    """Parse one question block strictly."""
    tokens = tokenize(block)
    pos = 0
    title = ""
    if _find(tokens, "::") == 0:
        end = _find(tokens, "::", 2)
        if end < 0:
            raise GiftError("unterminated ::title::")
        title = _plain(tokens[2:end], "title")
        pos = end + 2
    text_format = "moodle"
    rest = "".join(c for c, _ in tokens[pos:])
    match = re.match(r"\[(html|plain|markdown|moodle)\]", rest)
    if match:
        text_format = match.group(1)
        pos += len(match.group(0))
    open_at = _find(tokens, "{", pos)
    if open_at < 0:
        raise GiftError("no answer block")
    close_at = _find(tokens, "}", open_at)
    if close_at < 0:
        raise GiftError("unterminated answer block")
    if _find(tokens[open_at + 1 : close_at], "{") >= 0:
        raise GiftError("nested '{' in answer block")
    if _plain(tokens[close_at + 1 :], "text after the answers").strip():
        raise GiftError("text after the answer block")
    text = _plain(tokens[pos:open_at], "question text").strip()
    if not text:
        raise GiftError("empty question text")
    inner = tokens[open_at + 1 : close_at]
    general = ""
    cut = _find(inner, "####")
    if cut >= 0:
        general = _plain(inner[cut + 4 :], "general feedback").strip()
        inner = inner[:cut]
    question = GiftQuestion(title, text_format, text, "essay", general_feedback=general)
    raw = "".join(c for c, _ in inner).strip()
    if not raw:
        return question
    tf = re.fullmatch(r"\s*(TRUE|FALSE|T|F)\s*(#.*)?", raw, re.DOTALL)
    if tf and not any(c in "=~" and not e for c, e in inner):
        head_len = len(inner) - len("".join(c for c, _ in inner).lstrip())
        body = inner[head_len + len(tf.group(1)) :]
        _, feedback = _split_feedback([(" ", True), *body], "true/false")
        question.kind, question.truth = "true_false", tf.group(1).startswith("T")
        question.answers = [Answer(True, tf.group(1), feedback)]
        return question
    starts = [i for i, (c, e) in enumerate(inner) if not e and c in "=~"]
    if not starts or "".join(c for c, _ in inner[: starts[0]]).strip():
        raise GiftError(f"answers must start with '=' or '~': {raw[:40]!r}")
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(inner)
        answer_text, feedback = _split_feedback(inner[start + 1 : end], "answer")
        if not answer_text:
            raise GiftError("empty answer")
        question.answers.append(Answer(inner[start][0] == "=", answer_text, feedback))
    correct = sum(a.correct for a in question.answers)
    if all(a.correct for a in question.answers):
        question.kind = "short"
    elif correct == 1 and len(question.answers) >= 2:
        question.kind = "mcq"
    else:
        raise GiftError(f"{correct} correct answers among {len(question.answers)}")
    return question


def parse_gift(text: str) -> list[GiftQuestion]:
    """Parse a whole GIFT file strictly; raise GiftError naming the block on any fault."""
    if "\r" in text:
        raise GiftError("carriage return in file")
    questions: list[GiftQuestion] = []
    for number, block in enumerate(re.split(r"\n[ \t]*\n", text.strip("\n")), start=1):
        lines = block.split("\n")
        if all(line.startswith("//") for line in lines):
            continue
        if len(lines) == 1 and lines[0].startswith("$CATEGORY:"):
            continue
        if any(line.startswith("//") or line.startswith("$CATEGORY:") for line in lines):
            raise GiftError(f"block {number}: comment or category mixed into a question")
        try:
            questions.append(parse_question(block))
        except GiftError as exc:
            raise GiftError(f"block {number}: {exc}") from exc
    return questions
