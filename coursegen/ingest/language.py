"""A cheap BCP 47 language guess: script first, then common function words."""

from __future__ import annotations

import re

from coursegen.ingest.clean import wordset

_SCRIPTS: tuple[tuple[str, str], ...] = (
    ("\u3040-\u30ff", "ja"),  # kana before Han: Japanese text mixes both
    ("\uac00-\ud7af", "ko"),
    ("\u4e00-\u9fff", "zh"),
    ("\u0400-\u04ff", "ru"),
    ("\u0600-\u06ff", "ar"),
    ("\u0590-\u05ff", "he"),
    ("\u0900-\u097f", "hi"),
    ("\u0e00-\u0e7f", "th"),
    ("\u0370-\u03ff", "el"),
)
_STOPWORDS: dict[str, frozenset[str]] = {
    "en": wordset("the and is of to a in that it you i this was for with"),
    "es": wordset("el la de que y en los se del las por un una es"),
    "fr": wordset("le la les de et des est un une que du pour dans pas"),
    "de": wordset("der die das und ist nicht ein eine zu den von mit sich ich"),
    "pt": wordset("o a de que e do da em um uma para com não os"),
    "it": wordset("il di che e la per un una non sono della le del"),
    "nl": wordset("de het een en van is dat niet ik je op te"),
}
_WORD = re.compile(r"[^\W\d_]+")
# A BCP 47 tag's shape (`en`, `pt-BR`, `zh-Hant-TW`): the language reaches the model's
# instructions, so text from a file (a TTML xml:lang, a WebVTT header) must be no more than this.
_CODE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,3}")


def language_code(value: str | None) -> str | None:
    """`value` when it is shaped like a BCP 47 tag (trimmed), else None."""
    value = (value or "").strip()
    return value if _CODE.fullmatch(value) else None


def guess_language(text: str) -> str:
    """Best-guess BCP 47 code for a sample of transcript text ("en" when unsure)."""
    letters = sum(1 for char in text if char.isalpha())
    if letters == 0:
        return "en"
    for char_range, code in _SCRIPTS:
        count = len(re.findall(f"[{char_range}]", text))
        if count / letters > 0.3:
            return code
    words = [word.lower() for word in _WORD.findall(text)]
    scores = {code: sum(1 for word in words if word in stop) for code, stop in _STOPWORDS.items()}
    best = max(sorted(scores), key=lambda code: scores[code])
    return best if scores[best] > 0 else "en"
