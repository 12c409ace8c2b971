"""Technical-term discovery in one episode: n-grams scored by keyness against general English.

Keyness compares how often a term occurs in this episode with how often it occurs in
general English (wordfreq's Zipf scale), so everyday words and conversational filler score
low and field terms ("test time compute", "mixture of experts") score high. Only this
episode's text is used: adding another episode never changes these scores.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache

from coursegen.engines.extractive.identity_cache import IdentityCache
from coursegen.engines.extractive.text import (
    FILLER,
    common_words,
    is_stop,
    normal,
    normal_phrase,
    tokens,
    zipf,
)
from coursegen.ir import Episode

MAX_WORDS = 3
MIN_COUNT = 3
# A single word must be rarer than this in general English to count as technical.
MAX_UNIGRAM_ZIPF = 4.1
# An "-ing" noun absorbs its verb's other forms only when it is this share of their mentions.
FAMILY_SHARE = 0.3
MAX_FAMILY_BASE_ZIPF = 5.0
MIN_KEYNESS = 1.6
_QUANTITY_LIST = """
    amount amounts order orders hundreds thousands millions billions trillions ton tons number
    numbers rate lot couple piece set series range level degree type types half percent sorts
    kinds billion billions million millions trillion thousand hundred dozen
"""
QUANTITY_WORDS = frozenset(_QUANTITY_LIST.split())
# Roles of people: who talks about the field, not what the field is about.
_ROLE_LIST = """
    researcher engineer employee founder investor listener student human worker user developer
    scientist teacher person
"""
ROLE_WORDS = frozenset(_ROLE_LIST.split())
# Nouns that name how people talk about a field, not a topic of it: as the head of a term
# ("code base", "feedback loop", "model capabilities", "micro-kitchen area") or alone ("analogy").
_VAGUE_HEAD_LIST = """
    analogy capability area version idea notion loop base tweak recollection milestone
    breakthrough intuition bound forward check
"""
VAGUE_HEADS = frozenset(_VAGUE_HEAD_LIST.split())
# Modifiers that make a phrase about a model in general, not a named idea ("capable models",
# "model parameters", "future versions", "better architecture").
_VAGUE_MODIFIER_LIST = """
    model capable future better novel good whole entire current
"""
VAGUE_MODIFIERS = frozenset(_VAGUE_MODIFIER_LIST.split())
_NOUN_CUE_LIST = """
    the a an of this that these those our your their its some more less much any
"""
NOUN_CUES = frozenset(_NOUN_CUE_LIST.split())
_VERB_CUE_LIST = """
    to i we you they he she it can could will would should might must don't didn't
"""
VERB_CUES = frozenset(_VERB_CUE_LIST.split())
# Word endings of adverbs, adjectives and verbs: a single such word is rarely a topic.
NON_NOUN_ENDINGS = (
    "ly",
    "ed",
    "able",
    "ible",
    "ful",
    "ous",
    "ive",
    "ic",
    "ical",
    "al",
    "ate",
    "ize",
    "ise",
    "less",
)


@dataclass
class Term:
    """A candidate term and where it is mentioned in the episode."""

    key: str
    forms: Counter[str] = field(default_factory=Counter)
    sentence_ids: list[str] = field(default_factory=list)
    passages: set[str] = field(default_factory=set)
    capitalized: int = 0
    inner_mentions: int = 0  # mentions not at the start of a sentence (for capitalization)
    keyness: float = 0.0
    score: float = 0.0
    # The word right before each mention ("in" before "context learning").
    before: Counter[str] = field(default_factory=Counter)
    noun_cues: int = 0  # mentions right after "the", "of", "a", ... (nouns get these)
    verb_cues: int = 0  # mentions right after "to", "we", "can", ... (verbs get these)
    # How a course should write the term when that differs from every spoken form
    # ("in-context learning": a compound modifier led by a preposition takes a hyphen).
    display: str = ""

    @property
    def count(self) -> int:
        """Number of sentences that mention the term."""
        return len(self.sentence_ids)

    @property
    def words(self) -> int:
        """Number of words in the term."""
        return len(self.key.split())

    @property
    def surface(self) -> str:
        """How the course writes the term: the episode's commonest form, singular when the
        episode also says it so, hyphenated when the episode ever hyphenates it."""
        if self.display:
            return self.display
        ranked = sorted(self.forms.items(), key=lambda item: (-item[1], item[0]))
        form, count = ranked[0]
        singular = [(n, f) for f, n in ranked if f.lower().replace("-", " ") == self.key]
        # "language models" -> "language model" when the singular is common enough to be natural.
        plural_head = form.lower().replace("-", " ") != self.key and " of " not in f" {self.key} "
        if singular and plural_head and singular[0][0] * 3 >= count:
            form = sorted(singular, key=lambda item: (-item[0], item[1]))[0][1]
        spoken = form.lower().replace("-", " ")
        hyphenated = sorted(
            (f for f, _ in ranked if "-" in f and f.lower().replace("-", " ") == spoken),
            key=lambda f: (-self.forms[f], f),
        )
        form = hyphenated[0] if hyphenated else form
        return form if self.is_name else lower_but_acronyms(form)

    @property
    def is_name(self) -> bool:
        """True when the episode capitalizes the term mid-sentence nearly always."""
        return self.inner_mentions >= 2 and self.capitalized >= 0.8 * self.inner_mentions


_ACRONYM = re.compile(r"^[A-Z][A-Z0-9]*[A-Z][A-Z0-9]*s?$")


def lower_but_acronyms(form: str) -> str:
    """Lower case, except the words the speakers' transcript writes as acronyms ("world GDP",
    "RL environments", "TPU pods"): lower-casing them would misspell them."""
    parts = re.split(r"([ -])", form)
    return "".join(p if _ACRONYM.match(p) else p.lower() for p in parts)


@lru_cache(maxsize=200_000)
def _eligible(words: tuple[str, ...]) -> bool:
    """Whether a run of words (as written) can be a term; cached, the same runs recur a lot."""
    if is_stop(words[0]) or is_stop(words[-1]):
        return False
    if "'" in words[0] or "'" in words[-1]:
        return False
    if len(words) > 1:
        first, last = words[0].lower(), words[-1].lower()
        # "qualitatively different": adverb-led or adjective-ended phrases are not terms;
        # a common "-ing" word at the end is a verb ("models thinking"), a rare one a noun
        # ("reward hacking", "reinforcement learning").
        if first.endswith("ly") or last.endswith(("ly", "ed", "ful", "ous")):
            return False
        if last.endswith("ing") and zipf(last) > 5.2:
            return False
    lowered = [w.lower() for w in words]
    if any(w in FILLER or len(w) < 2 or w.isdigit() for w in lowered):
        return False
    if normal(lowered[-1]) in ROLE_WORDS:
        return False
    if len(lowered) > 1 and len(lowered[0]) <= 3 and zipf(lowered[-1]) >= 4.5:
        return False  # "ai research", "ai systems": an acronym on a generic noun is not a topic
    parts = " ".join(lowered).replace("-", " ").split()
    if normal(parts[-1]) in VAGUE_HEADS or (len(parts) > 1 and parts[0] in VAGUE_MODIFIERS):
        return False
    if "-" in lowered[-1] and parts[-1].endswith(("ly", "ed", "ful", "ous")):
        return False  # "open-ended", "well-defined": hyphenated adjectives
    if len(parts) > 1 and any(is_stop(w) and w != "of" for w in parts):
        return False  # "state-of-the-art" is an adjective, not a topic
    if lowered[0] in QUANTITY_WORDS:
        return False  # "amount of compute", "orders of magnitude": a measure, not a term
    if len(words) > 1 and "of" not in lowered and normal(lowered[0]) != lowered[0]:
        return False  # modifiers are singular ("language models"); "writes gemini" is a clause
    # The only function word a term may hold inside is "of" ("mixture of experts").
    return all(w == "of" or not is_stop(w) for w in lowered[1:-1])


def _collect(episode: Episode, text_is_cased: bool) -> tuple[dict[str, Term], int]:
    terms: dict[str, Term] = {}
    total_words = 0
    for passage in episode.passages:
        for sentence in passage.sentences:
            words = tokens(sentence.text)
            total_words += len(words)
            # Most runs start or end with a function word: reject those before anything else.
            edge_ok = [not is_stop(w) for w in words]
            seen: set[str] = set()
            for n in range(1, MAX_WORDS + 1):
                for start in range(len(words) - n + 1):
                    if not (edge_ok[start] and edge_ok[start + n - 1]):
                        continue
                    gram = words[start : start + n]
                    if not _eligible(tuple(gram)):
                        continue
                    # "test-time compute" and "test time compute" are one term.
                    key = normal_phrase(gram).replace("-", " ")
                    if key in seen:
                        continue
                    seen.add(key)
                    term = terms.setdefault(key, Term(key))
                    term.forms[" ".join(gram)] += 1
                    term.sentence_ids.append(sentence.id)
                    term.passages.add(passage.id)
                    before = words[start - 1].lower() if start > 0 else ""
                    term.before[before] += 1
                    term.noun_cues += before in NOUN_CUES
                    term.verb_cues += before in VERB_CUES
                    if text_is_cased and start > 0:
                        term.inner_mentions += 1
                        # "Gemini models": a capitalized first word makes the phrase a name.
                        if gram[0][0].isupper():
                            term.capitalized += 1
    return terms, total_words


def is_cased(episode: Episode) -> bool:
    """True when the transcript uses sentence case (auto-captions are often all lower case)."""
    sample = [s.text for p in episode.passages[:40] for s in p.sentences]
    uppercase_starts = sum(1 for text in sample if text[:1].isupper())
    return bool(sample) and uppercase_starts >= 0.5 * len(sample)


def find_terms(episode: Episode, boost_text: str = "") -> list[Term]:
    """Scored technical terms of one episode, best first; `boost_text` (title, claims) adds weight.

    Words the summary claims capitalize mid-sentence count as names even in lower-case captions.
    """
    boost_keys = {normal(w) for w in tokens(boost_text) if not is_stop(w)}
    kept: list[Term] = []
    for term in (_copy(t) for t in _keyword_terms(episode)):
        boost = 1.0 + 0.5 * sum(1 for w in term.key.split() if w in boost_keys) / term.words
        spread = len(term.passages) / max(1, term.count)
        term.score = term.keyness * (1.0 + math.log(term.count)) * (1.0 + 0.3 * (term.words - 1))
        term.score *= boost * (0.7 + 0.3 * spread)
        kept.append(term)
    texts = {s.id: s.text.lower() for p in episode.passages for s in p.sentences}
    keys = {t.key for t in kept}
    extended = []
    for term in kept:
        original = term.key
        term = _with_lead_word(term)
        if term.key != original and term.key in keys:
            continue  # "time compute" is only ever "test time compute", already a term
        extended.append(term)
    result = _drop_overlapping(_drop_subsumed(extended), texts)
    for term in result:
        _spell_as_written(term, boost_text)
    return result


# The terms of each episode object before scoring (see `_keyword_terms`): the concepts stage and
# the lessons' fill-in vocabulary both ask, with different boosts.
MAX_KEYWORD_EPISODES = 16
_KEYWORD_TERMS: IdentityCache[Episode, tuple[Term, ...]] = IdentityCache(MAX_KEYWORD_EPISODES)


def _keyword_terms(episode: Episode) -> tuple[Term, ...]:
    """The episode's candidate terms that pass every test but the boost-weighted score (which
    depends on the caller's `boost_text`), read once per episode object. Callers copy them."""
    cached = _KEYWORD_TERMS.get(episode)
    if cached is not None:
        return cached
    terms, total_words = _collect(episode, is_cased(episode))
    _fold_word_families(terms)
    names = _claim_names(episode)
    kept: list[Term] = []
    for term in terms.values():
        if term.count < MIN_COUNT or total_words == 0:
            continue
        if any(len(w) <= 4 and zipf(w) == 0 for w in term.key.split()):
            continue  # an unknown short word is a transcription error ("multi aent")
        if any(w in names for w in term.key.split()) or any(normal(w) in names for w in term.key.split()):
            term.inner_mentions = term.capitalized = max(2, term.count)  # a name, see is_name
        # wordfreq estimates a phrase about as common as its rarest word; a recurring
        # phrase is a collocation, far rarer than that, so each extra word lowers it.
        background = max(1.0, (zipf(term.surface.lower()) or 1.0) - 1.0 * (term.words - 1))
        if term.words == 1 and background > MAX_UNIGRAM_ZIPF:
            continue
        if term.words == 1 and not _looks_like_noun(term):
            continue
        if any(w in common_words() for w in (term.key.split()[0], term.key.split()[-1])) and term.words == 1:
            continue
        per_billion = term.count / total_words * 1e9
        term.keyness = math.log10(per_billion) - background
        if term.keyness < MIN_KEYNESS:
            continue
        kept.append(term)
    return _KEYWORD_TERMS.put(episode, tuple(kept))


def _copy(term: Term) -> Term:
    """A term that can be changed without changing the cached one."""
    return replace(
        term,
        forms=Counter(term.forms),
        sentence_ids=list(term.sentence_ids),
        passages=set(term.passages),
        before=Counter(term.before),
    )


def _family(gerund: str) -> list[str]:
    """The other forms of the verb behind an "-ing" noun: "scaling" -> "scale", "scaled", ..."""
    stem = gerund[:-3]
    bases = {stem, stem + "e"}
    if len(stem) > 2 and stem[-1] == stem[-2]:
        bases.add(stem[:-1])  # "running" -> "run"
    forms = set()
    for base in bases:
        forms.update({base, base + "d" if base.endswith("e") else base + "ed"})
    return sorted(forms - {gerund})


def _fold_word_families(terms: dict[str, Term]) -> None:
    """Count "scale", "scaled", "scales" as mentions of "scaling": speakers discuss one idea
    in every form of its word, and split apart no form is frequent enough to surface.

    Only a rare-enough "-ing" noun absorbs its family (its own frequency stays the background),
    and it keeps its own spelling as the concept's name.
    """
    for key in sorted(terms):
        term = terms[key]
        if " " in key or not key.endswith("ing") or len(key) < 7 or zipf(key) > MAX_UNIGRAM_ZIPF:
            continue
        # An everyday base word carries other senses ("reason" is not "reasoning", "figure" not
        # "figuring"); a rarer one ("scale", "distill") is the same idea in another form.
        members = [
            terms[f] for f in _family(key) if f in terms and f != key and zipf(f) <= MAX_FAMILY_BASE_ZIPF
        ]
        # "modeling" beside a hundred "model"s is another word; "scaling" beside "scale" is the idea.
        if not members or term.count < FAMILY_SHARE * sum(m.count for m in members):
            continue
        own = set(term.sentence_ids)
        for member in members:
            term.forms.update(member.forms)
            term.passages |= member.passages
            term.noun_cues += member.noun_cues
            term.inner_mentions += member.inner_mentions
            term.capitalized += member.capitalized
            own.update(member.sentence_ids)
        term.sentence_ids = sorted(own)
        term.display = key


def _spell_as_written(term: Term, written: str) -> None:
    """Use the hyphens of the episode's written title and summary ("test-time compute"),
    or of English compound modifiers led by a preposition ("in-context learning")."""
    if term.is_name:
        return
    words = term.surface.replace("-", " ").split()
    if len(words) < 2:
        return
    pattern = r"\b" + r"[- ]".join(re.escape(w) for w in words) + r"\b"
    for match in sorted(set(re.findall(pattern, written, re.IGNORECASE))):
        if "-" in match:
            term.display = lower_but_acronyms(match)
            return
    if "-" not in term.surface and words[0] in _HYPHENATED_LEADS and len(words) == 3:
        term.display = f"{words[0]}-{words[1]} {words[2]}"


# Prepositions that join the next word into a compound modifier: "in context learning" is
# learning in context, written "in-context learning".
_HYPHENATED_LEADS = frozenset(["in", "on", "off"])


# Words that may lead a term although the edge rules refuse them ("in-context learning").
_LEAD_BLOCKER_LIST = """
    the a an this that these those of our your their its his her my some any to and or but
"""
_LEAD_BLOCKERS = frozenset(_LEAD_BLOCKER_LIST.split())


def _with_lead_word(term: Term) -> Term:
    """Put back a word the edge rules cut off when nearly every mention has it ("in context learning")."""
    if not term.before:
        return term
    word, count = sorted(term.before.items(), key=lambda item: (-item[1], item[0]))[0]
    if not word or word in _LEAD_BLOCKERS or word in FILLER or count < 0.7 * term.count:
        return term
    if "'" in word or word.endswith("ly") or is_stop(word) and word != "in":
        return term
    term.key = f"{normal(word)} {term.key}"
    term.forms = Counter({f"{word} {form}": n for form, n in term.forms.items()})
    return term


def _drop_overlapping(terms: list[Term], texts: dict[str, str]) -> list[Term]:
    """Drop a term that is mostly the tail of a longer phrase led by a better term.

    "compute paradigm" is mostly "test time compute paradigm": a fragment, not a concept.
    """
    result = []
    for term in terms:
        first = term.key.split()[0]
        fragment = False
        for other in terms:
            if other is term or other.words < 2 or other.key.split()[-1] != first or other.score < term.score:
                continue
            lead = " ".join(other.surface.lower().split()[:-1])
            joined = sum(
                1 for sid in term.sentence_ids if f"{lead} {term.surface.lower()}" in texts.get(sid, "")
            )
            if joined >= 0.5 * term.count:
                fragment = True
                break
        if not fragment:
            result.append(term)
    return result


def _claim_names(episode: Episode) -> set[str]:
    """Words that the episode's summary claims (prose, unlike title-case titles) capitalize mid-sentence."""
    capitalized: set[str] = set()
    lowercase: set[str] = set()
    for claim in episode.claims:
        for sentence in re.split(r"(?<=[.!?:])\s+", claim.text):
            words = tokens(sentence)
            for i, w in enumerate(words):
                if w[:1].islower():
                    lowercase.add(w.lower())
                elif i and not w.isupper() and len(w) > 2:
                    capitalized.add(w.lower())
    return capitalized - lowercase


def _looks_like_noun(term: Term) -> bool:
    """A single word that reads as a noun: long enough, noun-like ending, used like a noun."""
    if len(term.key) < 4:
        return False  # short acronyms ("rl", "ai") are aliases, not concepts on their own
    if term.surface.lower().endswith(NON_NOUN_ENDINGS) or term.key.endswith(NON_NOUN_ENDINGS):
        return False  # "separates" is "separate" + s: a verb, not a topic
    return term.noun_cues >= 1 and term.noun_cues >= term.verb_cues


def _drop_subsumed(terms: list[Term]) -> list[Term]:
    """Drop a term whose mentions mostly sit inside a longer kept term, and vice versa."""
    by_key = {t.key: t for t in terms}
    dropped: set[str] = set()
    for term in sorted(terms, key=lambda t: (-t.words, t.key)):
        if term.key in dropped:
            continue
        parts = term.key.split()
        for n in range(1, term.words):
            for start in range(term.words - n + 1):
                inner = by_key.get(" ".join(parts[start : start + n]))
                if inner is None or inner.key in dropped:
                    continue
                share = 0.5 if inner.words == 1 else 0.3
                if term.count >= share * inner.count:
                    dropped.add(inner.key)  # "neural" lives inside "neural network"
    result = [t for t in terms if t.key not in dropped]
    return sorted(result, key=lambda t: (-t.score, t.key))


_ACRONYM_TOKEN = re.compile(r"\b([A-Z][A-Za-z]*[A-Z])s?\b")


def initials(form: str) -> str:
    """The acronym a phrase would have: "large language model" -> "llm", "mixture of experts" -> "moe"."""
    words = form.lower().split()
    if len(words) < 2:
        return ""
    return "".join(part[0] for word in words for part in word.split("-") if part)


def acronym_sentences(episode: Episode) -> dict[str, set[str]]:
    """Sentences of the episode that use each written acronym ("LLMs", "RL", "MoE"), by its lower case."""
    found: dict[str, set[str]] = {}
    for passage in episode.passages:
        for sentence in passage.sentences:
            for match in _ACRONYM_TOKEN.finditer(sentence.text):
                found.setdefault(match.group(1).lower(), set()).add(sentence.id)
    return found


def signal_sentences(terms: list[Term], episode: Episode) -> dict[str, tuple[set[str], re.Pattern[str]]]:
    """The sentences naming each term, spelled out or by its acronym ("LLM" for "large language
    model"), with a pattern finding it, keyed by term key; an acronym two terms of the episode
    could stand for counts for none. An acronym no term spells out ("LLM" in a talk that never
    says "large language model") is keyed by itself, lower case, when MIN_COUNT sentences use it."""
    acronyms = acronym_sentences(episode)
    owners: dict[str, set[str]] = {}
    for term in terms:
        for form in term.forms:
            letters = initials(form)
            if len(letters) >= 2 and letters in acronyms:
                owners.setdefault(letters, set()).add(term.key)
    result: dict[str, tuple[set[str], re.Pattern[str]]] = {}
    for term in terms:
        ids = set(term.sentence_ids)
        spellings = {re.escape(f) for f in term.forms}
        for form in term.forms:
            letters = initials(form)
            if len(owners.get(letters, ())) == 1:
                ids |= acronyms[letters]
                spellings.add(re.escape(letters) + "s?")
        alternatives = "|".join(sorted(spellings, key=len, reverse=True))
        result[term.key] = (ids, re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE))
    for letters, ids in acronyms.items():
        if letters not in owners and letters not in result and len(ids) >= MIN_COUNT:
            result[letters] = (ids, re.compile(rf"\b{re.escape(letters)}s?\b", re.IGNORECASE))
    return result
