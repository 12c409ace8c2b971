"""Options that agree with the grammar of the blank they fill, so grammar alone rules none out.

"mostly an _____ problem" leaves only the options that start with a vowel; "a lot of _____" with
one plural option among singular ones gives the plural away; a verb ("induce") or an adjective
("sparse") among nouns is wrong by its part of speech. A learner should have to know the idea to
pick the answer, so every option takes the answer's article and number, and an option that is not
a noun (by how the talks use it) is never offered. These rules read the words only (English
spelling and the talks' own text), so they hold for any English conversation.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from coursegen.engines.extractive.text import is_stop, normal, tokens, zipf

BLANK = "_____"

# An inflected option must be a word general English uses at least this often (Zipf scale:
# "algorithms" 3.8, "chatbots" 2.3, "entropies" 1.5) or one the talks say: a made-up plural
# ("machine learnings") would be the odd one out again.
MIN_INFLECTED_ZIPF = 2.0

_ARTICLE_BEFORE_BLANK = re.compile(rf"\b([Aa]n?)\s+{re.escape(BLANK)}")
# Words spelled with a vowel but said with a consonant ("a user", "a one-off", "a European").
_CONSONANT_SOUND = re.compile(r"^(?:uni|use|usu|uti|ure|eu|one|once|ubiq)", re.I)
# Words spelled with a consonant but said with a vowel ("an hour", "an honest").
_VOWEL_SOUND = re.compile(r"^(?:hour|honest|honou?r|heir)", re.I)
# Letters said with a vowel sound, for initialisms ("an LLM", "an RL agent", "a GPU").
_VOWEL_LETTERS = frozenset("AEFHILMNORSX")
# What comes before a noun used as one ("the tutor is", "of spelling correction and"); "to" and
# "that" are left out: a verb follows them ("to induce", "models that induce").
_BEFORE_A_NOUN = (
    r"(?:the|a|an|this|these|those|every|each|our|your|their|its|my|of|in|for|with|about|on|from)"
)


@dataclass(frozen=True)
class Slot:
    """What a blank's grammar asks of every option: the article right before it, if any ("a" or
    "an", taken into the options), whether the answer the sentence writes is plural, and whether
    it names an activity ("coding": "a coding agent" takes "a machine learning agent" too, but
    "a self-driving car" is no place for "a scaling")."""

    article: bool
    plural: bool
    activity: bool = False


def slot_of(blanked: str, answer: str) -> Slot | None:
    """The grammar of the blank in a stem, or None when no options can agree with it: an article
    before one of several blanks ("an _____ problem an _____") cannot go into the options."""
    articles = len(_ARTICLE_BEFORE_BLANK.findall(blanked))
    if articles and blanked.count(BLANK) > 1:
        return None
    return Slot(article=bool(articles), plural=is_plural(answer), activity=_is_activity(answer))


def _is_activity(phrase: str) -> bool:
    """True when the phrase's head is an -ing form or a field ("machine learning", "scaling",
    "robotics"): a mass noun, no "a" before it."""
    words, head = _head(phrase)
    return bool(words) and words[head].lower().endswith(("ing", "ics"))


def without_article(blanked: str) -> str:
    """The stem with the article before its blank taken out ("mostly _____ problem"): each option
    then brings its own ("an inference", "a token")."""
    return _ARTICLE_BEFORE_BLANK.sub(BLANK, blanked, count=1)


def modifies_next_word(blanked: str) -> bool:
    """True when the blank stands before a content word it modifies ("a _____ agent"): an option
    with the article taken in ("a coding") then reads as no phrase at all."""
    after = blanked.split(BLANK, 1)[1] if BLANK in blanked else ""
    match = re.match(r"\s+([A-Za-z][\w'-]*)", after)
    return match is not None and not is_stop(match.group(1).lower())


def either_article(blanked: str) -> str:
    """The stem with the article before its blank written "a(n)" ("release a(n) _____ agent"), so
    bare options fit it and the article does not tell which one starts with a vowel."""
    return _ARTICLE_BEFORE_BLANK.sub(lambda m: f"{m.group(1)[0]}(n) {BLANK}", blanked, count=1)


def with_article(phrase: str) -> str:
    """The phrase behind the indefinite article its first sound takes ("an inference", "a user")."""
    return f"{'an' if takes_an(phrase) else 'a'} {phrase}"


def takes_an(phrase: str) -> bool:
    """True when the phrase's first word is said with a vowel sound ("an inference", "an LLM")."""
    words = tokens(phrase)
    if not words:
        return False
    first = words[0]
    if first.isupper() and len(first) > 1:
        return first[0] in _VOWEL_LETTERS
    if _VOWEL_SOUND.match(first):
        return True
    return first[:1].lower() in "aeiou" and not _CONSONANT_SOUND.match(first)


def _head(phrase: str) -> tuple[list[str], int]:
    """The phrase's words and the index of its head noun: the last word, or the word before "of"
    ("mixture of experts" is one mixture)."""
    words = phrase.split()
    if "of" in words[1:]:
        return words, words.index("of", 1) - 1
    return words, len(words) - 1


def is_plural(phrase: str) -> bool:
    """True when the phrase's head noun is a plural form ("tokens", "neural nets")."""
    words, head = _head(phrase)
    return bool(words) and normal(words[head]) != words[head].lower()


def inflected(phrase: str, plural: bool, spoken: str = "") -> str | None:
    """The phrase with its head noun in the number asked, or None when that form is no word
    (general English rarely uses it and the talks never do) or the head names an activity
    ("machine learning": "learnings" is another idea)."""
    if is_plural(phrase) == plural:
        return phrase
    words, head = _head(phrase)
    word = words[head]
    if plural and word.lower().endswith("ing"):
        return None
    form = _plural(word) if plural else normal(word)
    if not _is_word(form, spoken):
        return None
    return " ".join([*words[:head], form, *words[head + 1 :]])


def _plural(word: str) -> str:
    """The regular plural of an English noun ("batch" → "batches", "entropy" → "entropies")."""
    low = word.lower()
    if low.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if low.endswith("y") and low[-2:-1] not in set("aeiou"):
        return word[:-1] + "ies"
    return word + "s"


def _is_word(form: str, spoken: str) -> bool:
    """True when English knows the form, or the talks say it."""
    if zipf(form.lower()) >= MIN_INFLECTED_ZIPF:
        return True
    return bool(spoken) and re.search(rf"\b{re.escape(form.lower())}\b", spoken) is not None


# Endings only nouns have ("correction", "improvement", "compilers"): such a word is a noun
# however the talks happen to use it.
_NOUN_ENDING = re.compile(r"(?:tion|sion|ment|ness|ity|ance|ence|ism|ship|ist|er|or)s?$", re.I)


def noun_like(phrase: str, spoken: str) -> bool:
    """True when the phrase can fill a noun's slot: the talks use it as a noun (used_as_noun), or
    it ends like a noun, or it is several words not opening on a verb form ("linear regression",
    "loss of control"; not "learning korean")."""
    words = phrase.split()
    if used_as_noun(phrase, spoken) or _NOUN_ENDING.search(words[-1]):
        return True
    return len(words) > 1 and not words[0].lower().endswith("ing")


@functools.lru_cache(maxsize=4096)
def used_as_noun(phrase: str, spoken: str) -> bool:
    """True when the talks (`spoken`, lower case) use the phrase as a noun: after a determiner or a
    preposition and not before another content word ("the tutor is", "of spelling correction and";
    not "the sparse attention" or "to induce")."""
    # The phrase is found first and the word before it checked after: a pattern opening on the
    # determiners is tried at every position of the talks (a third of the assessment's time).
    found = re.compile(rf"{re.escape(phrase.lower())}\b(?![-'])\s*([a-z']*)")
    return any(
        (not m.group(1) or is_stop(m.group(1)))
        and _NOUN_SLOT_BEFORE.search(spoken, max(0, m.start() - _NOUN_SLOT_REACH), m.start()) is not None
        for m in found.finditer(spoken)
    )


# A determiner or preposition right before a phrase (used_as_noun), and how far back to look.
_NOUN_SLOT_BEFORE = re.compile(rf"\b{_BEFORE_A_NOUN}\s+\Z")
_NOUN_SLOT_REACH = 40


def fitted_options(names: list[str], slot: Slot, spoken: str = "") -> list[str]:
    """The names that can fill the slot, in its number (inflected where English allows), in order;
    after "a"/"an" an activity ("a deep learning") only where the answer is one."""
    fitted = (
        inflected(name, slot.plural, spoken)
        for name in names
        if not slot.article or slot.activity or not _is_activity(name)
    )
    return list(dict.fromkeys(name for name in fitted if name is not None))


def disagreements(blanked: str, options: list[str], answer: int) -> list[str]:
    """Why an mcq's options do not all fit the blank's grammar (empty when they do): an article
    before the blank some option's first sound does not take, an option whose article is wrong
    for it, or an option whose number differs from the answer's. For measuring and tests."""
    found: list[str] = []
    article = _ARTICLE_BEFORE_BLANK.search(blanked)
    if article:
        needs = article.group(1).lower() == "an"
        found += [f"article: {article.group(1)} {o}" for o in options if takes_an(o) != needs]
    for option in options:
        first, _, rest = option.partition(" ")
        if first in ("a", "an") and rest and takes_an(rest) != (first == "an"):
            found.append(f"article: {option}")
    bare = [o.partition(" ")[2] if o.split()[0] in ("a", "an") else o for o in options]
    number = is_plural(bare[answer])
    found += [f"number: {o}" for o in bare if is_plural(o) != number]
    return found
