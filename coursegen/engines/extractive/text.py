"""Word-level helpers for the extractive engine: tokens, normal forms, filler, stop words."""

from __future__ import annotations

import re
from functools import lru_cache

from wordfreq import top_n_list, zipf_frequency

WORD_RE = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-'][A-Za-z0-9]+)*")

# Spoken-English filler and hedges: frequent in conversations, never a topic.
_FILLER_WORDS = """
    uh um uhm hmm mhm mm yeah yep yes no okay ok oh ah wow right like kind kinda sort sorta
    stuff thing things something anything everything nothing gonna wanna gotta basically
    actually literally really pretty bunch whatever obviously maybe probably guess mean lot lots
    bit way ways guy guys folks people person somebody someone everybody anybody cool great good
    bad sure totally definitely certainly exactly absolutely fairly quite interesting
    fascinating curious amazing awesome incredible huge super crazy weird question questions
    answer point points sense case cases part parts example examples today year years day days
    moment thinking think thought know knew feel felt laughing laughs laughter music applause
    inaudible crosstalk quote unquote
"""
FILLER = frozenset(_FILLER_WORDS.split())


# Closed-class words (and the commonest verbs): never the first or last word of a term.
_FUNCTION_WORD_LIST = """
    a an the this that these those some any each every all both either neither no not i me my
    mine we us our ours you your yours he him his she her hers it its they them their theirs one
    ones who whom whose which what when where why how whether if then than so and or but nor yet
    because although though while since until unless as of in on at by for with without within
    into onto from to up down out over under about above below across after before between
    through during against among around behind beyond near is am are was were be been being do
    does did done doing have has had having can could will would shall should may might must
    ought get gets got getting go goes went going make makes made making take takes took say
    says said saying see seen let lets put come comes came want wants wanted need needs try
    tries tried use used very too also just only even still already again ever never always
    often sometimes more most less least much many few other another such same own here there
    now well back first second new old big small little long high low last next
"""
FUNCTION_WORDS = frozenset(_FUNCTION_WORD_LIST.split())


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """Function words plus filler: never the first or last word of a term."""
    return FUNCTION_WORDS | FILLER


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """The 300 most frequent English words: too general to be a concept on their own."""
    return frozenset(top_n_list("en", 300))


def tokens(text: str) -> list[str]:
    """The words of a text, as written."""
    return WORD_RE.findall(text)


@lru_cache(maxsize=100_000)
def normal(word: str) -> str:
    """Lower-case singular form of a word (a light stemmer: plurals only)."""
    w = word.lower().replace("'", "")
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith(("ches", "shes", "sses", "xes")):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is", "ics")):
        return w[:-1]
    return w


def normal_phrase(words: list[str]) -> str:
    """Normal form of a multi-word term: each word normalized, joined by spaces."""
    return " ".join(normal(w) for w in words)


def name_key(name: str) -> str:
    """Normalized form used to compare names: lower case, singular words."""
    return normal_phrase(tokens(name))


def load_word_lists() -> None:
    """Load the general-English word lists now (the first look-up reads them from disk)."""
    zipf("the")
    common_words()
    stop_words()


@lru_cache(maxsize=50_000)
def zipf(phrase: str) -> float:
    """General-English frequency of a word or phrase on the Zipf scale (0 = unseen, 7 = 'the')."""
    return float(zipf_frequency(phrase, "en"))


# Prefixes English glues to words freely ("upweighted", "posttraining"): wordfreq lists few of
# these compounds, yet they are not transcription errors.
_PREFIXES = (
    "up", "down", "re", "pre", "post", "over", "under", "non", "multi", "sub", "out", "co", "de",
    "un", "mis", "self", "anti", "inter", "super", "hyper", "meta",
)
MIN_STEM_ZIPF = 2.5
MIN_STEM_LETTERS = 4


@lru_cache(maxsize=50_000)
def known_word(word: str) -> bool:
    """True when general English knows the word, alone or as a prefix on a common word."""
    low = word.lower()
    if zipf(low) > 0:
        return True
    return any(
        low.startswith(prefix)
        and len(low) - len(prefix) >= MIN_STEM_LETTERS
        and zipf(low[len(prefix) :]) >= MIN_STEM_ZIPF
        for prefix in _PREFIXES
    )


def is_stop(word: str) -> bool:
    """True for function words and conversational filler."""
    return word.lower() in stop_words()


def content_words(text: str) -> list[str]:
    """The non-stop words of a text, lower-cased."""
    return [w.lower() for w in tokens(text) if not is_stop(w) and len(w) > 2]


_FILLER_RUN = re.compile(r"\b(?:uh|um|uhm|mhm|hmm|you know|i mean)\b[,.]?\s*", re.IGNORECASE)
_SPACES = re.compile(r"\s{2,}")
_STAGE = re.compile(
    r"\((?:laughing|laughs|laughter|inaudible|crosstalk|music)\)|\[(?:music|laughter)\]", re.I
)


def tidy(text: str) -> str:
    """Speech made readable for course prose: filler words and stage directions removed."""
    cleaned = _STAGE.sub("", text)
    cleaned = _FILLER_RUN.sub("", cleaned)
    cleaned = _SPACES.sub(" ", cleaned).strip(" ,")
    if cleaned and cleaned[0].islower():
        cleaned = cleaned[0].upper() + cleaned[1:]
    return cleaned
