"""The per-episode concepts stage: terms become concepts with ranked evidence and problems."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from coursegen.engines.extractive.assertions import FLAWS, GARBLED, REPORTED, AssertionIndex, episode_index
from coursegen.engines.extractive.defining import explains_idea
from coursegen.engines.extractive.merge import same_idea
from coursegen.engines.extractive.roles import appositions, owner_nouns, said_part_of
from coursegen.engines.extractive.speech import (
    BROKEN_SEGMENT,
    definition_score,
    explains_score,
    is_ad,
    statement_score,
)
from coursegen.engines.extractive.terms import Term, find_terms, is_cased, signal_sentences
from coursegen.engines.extractive.text import FILLER, content_words, tidy, tokens, zipf
from coursegen.engines.extractive.topical import TopicalityIndex
from coursegen.engines.sources import SourceIndex
from coursegen.engines.types import Cite, ConceptCandidate, EpisodeConcepts
from coursegen.fsutil import slugify
from coursegen.ir import Episode

MAX_EVIDENCE = 12
MIN_QUOTE_WORDS = 8
MAX_QUOTE_WORDS = 60
MIN_RELATIVE_SCORE = 0.25
UNIGRAM_RELATIVE_SCORE = 0.3
# Spare terms considered per episode, to replace concepts dropped for lack of explaining quotes.
SPARE_CONCEPTS = 8
# Terms past the chosen ones kept as the episode's other terms (wrong options for questions).
OTHER_TERMS = 40
# Terms past the chosen ones whose evidence is kept to support the same idea in other episodes.
SUPPORTING_TERMS = 30
# A concept is kept when one quote says what it is or does (explains_score >= MIN_EXPLAINS) and,
# counting quotes that say something substantive about it, it has MIN_EXPLAINING_QUOTES in all.
MIN_EXPLAINS = 1.5
MIN_STATEMENT = 3.0
MIN_EXPLAINING_QUOTES = 3
# A topic the talk is about keeps its concept even when no quote of it is free of flaws.
CENTRAL_IMPORTANCE = 0.75
# A concept keeps at least this many quotes (its lesson's core and questions come from them).
MIN_TAUGHT_QUOTES = 2
# Quotes with a transcription error are dropped from the evidence while this many others are left.
MIN_CLEAN_EVIDENCE = 8

_KIND_BY_LAST_WORD = {
    "technique": (
        "learning",
        "training",
        "descent",
        "distillation",
        "scaling",
        "compute",
        "search",
        "generation",
        "attention",
        "paradigm",
        "tuning",
        "inference",
        "quantization",
    ),
    "system": (
        "model",
        "network",
        "net",
        "transformer",
        "system",
        "chip",
        "hardware",
        "agent",
        "app",
        "tutor",
        "window",
        "base",
        "core",
        "center",
        "tpu",
        "gpu",
    ),
    "phenomenon": (
        "generalization",
        "explosion",
        "collapse",
        "law",
        "loop",
        "bottleneck",
        "capability",
        "hallucination",
        "entropy",
        "information",
        "growth",
        "control",
        "progress",
    ),
}


def concept_kind(name: str) -> str:
    """A coarse kind from the term's head word (distractors are drawn from the same kind)."""
    last = name.lower().split()[-1].rstrip("s")
    for kind, heads in _KIND_BY_LAST_WORD.items():
        if last in heads:
            return kind
    return "idea"


def concepts_per_episode(sentence_count: int) -> int:
    """How many concepts an episode of this length is worth (longer talks cover more)."""
    return max(4, min(14, sentence_count // 60))


def _mention_re(term: Term) -> re.Pattern[str]:
    forms = sorted({f.lower() for f in term.forms}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(f) for f in forms) + r")\b", re.IGNORECASE)


_OPENERS = frozenset(
    ["and", "but", "so", "because", "or", "like", "yeah", "um", "uh", "okay", "well", "then", "also", "just"]
)
# A sentence that opens with one of these is the tail of another ("for X versus Y", "of the model").
_FRAGMENT_LEADS = frozenset(["for", "of", "to", "with", "from", "by", "versus", "than", "into", "whereas"])
_CHATTY = frozenset(["i", "i'm", "i've", "you", "you're", "me", "my"])
_QUESTION_OPENERS = frozenset(
    [
        "shouldn't",
        "isn't",
        "aren't",
        "doesn't",
        "don't",
        "didn't",
        "wouldn't",
        "couldn't",
        "can't",
        "why",
        "how",
    ]
)
_AUXILIARIES = frozenset(["is", "are", "do", "does", "did", "can", "could", "would", "should", "will"])
_SUBJECTS = frozenset(["you", "we", "they", "it", "i", "he", "she", "there", "this", "that"])
_PERSON_PRONOUNS = frozenset(["he", "she", "he's", "she's"])
_BIO_VERBS = frozenset(["has", "had", "was", "is", "been", "co-founded", "founded", "led", "leads"])
# A period inside a sentence followed by a lower-case word: captions cut in the wrong place.


def _asks(lowered: list[str]) -> bool:
    """True when a sentence opens like a question ("Shouldn't then ...", "Do you think ...")."""
    first, second = lowered[0], lowered[1]
    return first in _QUESTION_OPENERS or (first in _AUXILIARIES and second in _SUBJECTS)


def _evidence_score(
    text: str,
    mention: re.Pattern[str],
    other_terms: re.Pattern[str] | None,
    cased: bool,
    technical: float = 0.0,
) -> float:
    """How well a sentence explains the term: definitional, complete, dense, technical (`technical`:
    the share of its words that are the episode's domain words), not chatter, anecdote or ads."""
    words = tokens(text)
    n = len(words)
    score = 1.0 * technical
    match = mention.search(text)
    if match:
        after = text[match.end() : match.end() + 20].lower()
        before = text[max(0, match.start() - 25) : match.start()].lower()
        if re.match(r"\s*(?:was|were)\s+not\b", after):
            score += 0.0  # "X was not around" is history, not an explanation
        elif re.match(r"\s*(?:is|are|means|refers to|was|basically is|works|lets|allows|gives)\s+\w", after):
            score += 3.0  # "X is ..." explains X
            if len(tokens(text[: match.start()])) <= 2:
                score += 1.5  # ... and best when X is what the sentence is about
        if re.search(r"(?:called|known as|idea of|concept of|notion of|think of)\s*$", before):
            score += 2.5
    if 12 <= n <= 35:
        score += 1.5
    elif n < MIN_QUOTE_WORDS or n > MAX_QUOTE_WORDS:
        score -= 2.0
    stripped = text.strip()
    if cased and stripped[:1].isupper() and stripped[-1:] in ".!":
        score += 1.5  # a whole sentence, not a caption fragment
    if words and words[0].lower() in _OPENERS:
        score -= 1.0
    if words and words[0].lower() in _FRAGMENT_LEADS:
        score -= 1.5  # "for test time compute versus ...": a caption cut mid-sentence
    lowered = [w.lower() for w in words]
    if len(words) > 1 and _asks(lowered):
        score -= 2.5  # a question the captions wrote without its "?" asks, it does not explain
    if len(words) > 1 and words[0].lower() in _PERSON_PRONOUNS and words[1].lower() in _BIO_VERBS:
        score -= 2.5  # "He's had an incredible career in deep learning": a host's introduction
    if BROKEN_SEGMENT.search(text):
        score -= 8.0  # "and. pre-training gives us knowledge they're. not": caption segmentation debris
    score -= 3.0 * sum(1 for w in lowered if w in FILLER) / max(1, n)
    score -= 2.0 * sum(1 for w in lowered if w in _CHATTY) / max(1, n)
    score += 2.0 * len(content_words(text)) / max(1, n)
    if stripped.endswith("?"):
        score -= 1.5
    # Disfluent speech ("I I think", "that's that's") explains badly.
    score -= 1.0 * sum(1 for a, b in zip(lowered, lowered[1:], strict=False) if a == b)
    if match and len(tokens(text[: match.start()])) <= 4:
        score += 0.5  # the sentence is about the term from its first words
    if is_ad(text):
        score -= 6.0
    if other_terms is not None:
        score += 0.5 * min(3, len(other_terms.findall(text)))
    # Explaining beats mentioning: the concept as the subject of an "is/lets/works" clause wins,
    # one item of a list or a guest's biography loses.
    score += explains_score(text, mention)
    return score


def _cite_for(sources: SourceIndex, sentence_id: str) -> Cite | None:
    """A readable citation around one sentence: short sentences take their neighbours."""
    ref = sources.get(sentence_id)
    if ref is None:
        return None
    sentences = ref.passage.sentences
    start = end = ref.index
    while sum(len(tokens(s.text)) for s in sentences[start : end + 1]) < MIN_QUOTE_WORDS:
        if end + 1 < len(sentences):
            end += 1
        elif start > 0:
            start -= 1
        else:
            break
    total = sum(len(tokens(s.text)) for s in sentences[start : end + 1])
    if total < 6 or total > 80:
        return None
    return Cite(episode=ref.episode.id, sentence_ids=[s.id for s in sentences[start : end + 1]])


def _problems(episode: Episode, term: Term, mention: re.Pattern[str], evidence: list[Cite]) -> list[Cite]:
    """Questions asked where the term is discussed (naming it, or just before its best evidence)."""
    mentioned = {c.sentence_ids[0].rsplit("/", 1)[0] for c in evidence[:3]}
    texts = {s.id: s.text for p in episode.passages for s in p.sentences}
    best_words = (
        set(content_words(" ".join(texts[sid] for sid in evidence[0].sentence_ids))) if evidence else set()
    )
    order = [p.id for p in episode.passages]
    nearby: set[str] = set()
    for index, pid in enumerate(order):
        if pid in mentioned:
            nearby.add(pid)
            if index > 0:
                nearby.add(order[index - 1])
    scored: list[tuple[float, str, Cite]] = []
    for passage in episode.passages:
        if passage.id not in nearby and passage.id not in term.passages:
            continue
        for sentence in passage.sentences:
            text = sentence.text.strip()
            words = tokens(text)
            if not text.endswith("?") or not 6 <= len(words) <= 40:
                continue
            names_it = bool(mention.search(text))
            shared = len(set(content_words(text)) & best_words)
            if not names_it and (passage.id not in nearby or shared < 2):
                continue
            score = 2.0 * names_it + len(content_words(text)) / len(words)
            score -= sum(1 for w in words if w.lower() in FILLER) / len(words)
            scored.append((-score, sentence.id, Cite(episode=episode.id, sentence_ids=[sentence.id])))
    scored.sort(key=lambda item: (item[0], item[1]))
    return [cite for _, _, cite in scored[:3]]


def extract_concepts(episode: Episode) -> EpisodeConcepts:
    """Find the concepts of one episode from its own text only."""
    sources = SourceIndex([episode])
    cased = is_cased(episode)
    boost = " ".join([episode.title] + [claim.text for claim in episode.claims])
    terms = [t for t in find_terms(episode, boost) if not t.is_name]
    sentence_count = sum(len(p.sentences) for p in episode.passages)
    # A concept is discussed, not mentioned in passing: several passages, a fair share of the top score.
    discussed = [t for t in terms if len(t.passages) >= 2]
    floor = MIN_RELATIVE_SCORE * discussed[0].score if discussed else 0.0
    # A single word must carry more of the episode to be a topic ("tasks", "curve" do not).
    strong = [
        t
        for t in discussed
        if t.score >= (floor if t.words > 1 else UNIGRAM_RELATIVE_SCORE * discussed[0].score)
    ]
    # A few spare terms stand in for chosen ones whose evidence turns out not to explain them.
    limit = concepts_per_episode(sentence_count)
    # Only the ideas read below need their spellings gathered: the chosen ones, and the terms
    # `spare_terms` reads (a kept idea's place is at most its place in `terms`). Bounding the
    # ideas keeps a talk with a thousand strong terms fast, with the same output.
    chosen = _one_per_idea(strong, limit + SPARE_CONCEPTS + OTHER_TERMS)[: limit + SPARE_CONCEPTS]
    if not chosen:
        return EpisodeConcepts(episode=episode.id, episode_sha256=episode.sha256)
    top_score = max(t.score for t in chosen)
    passage_count = max(1, len(episode.passages))
    all_forms = sorted({f.lower() for t in chosen for f in t.forms}, key=len, reverse=True)
    candidates: list[ConceptCandidate] = []
    topical = TopicalityIndex(episode)
    assertions = episode_index(episode)  # built once per build: assessment reads it too
    quotes = _Quotes(sources, cased, topical, assertions)
    for term in chosen:
        mention = _mention_re(term)
        evidence = _ranked_evidence(term, all_forms, quotes)
        if not evidence:
            continue
        spread = len(term.passages) / passage_count
        # wordfreq rates a phrase by its words, not as a phrase, so a phrase counts as general
        # as its rarest word, discounted for each extra word (a modifier narrows an idea).
        if term.words == 1:
            everyday = zipf(term.surface.lower())
        else:
            everyday = _rarest_word_zipf(term) - 0.8 * (term.words - 1)
        generality = 0.45 * min(1.0, max(0.0, everyday) / 6.0) + 0.35 * min(1.0, 4 * spread)
        generality += 0.2 / term.words
        candidates.append(
            ConceptCandidate(
                key=slugify(term.key),
                name=term.surface,
                aliases=sorted({f.lower() for f in term.forms} - {term.surface.lower()}),
                kind=concept_kind(term.key),
                definition=tidy(sources.text(evidence[0].sentence_ids)),
                evidence=evidence,
                problems=_problems(episode, term, mention, evidence),
                importance=round(term.score / top_score, 4),
                mentions=term.count,
                generality=round(generality, 4),
            )
        )
    candidates, small_talk = _topical_only(candidates, chosen, topical)
    topical_candidates = candidates
    candidates, unasserted = _asserted_only(candidates, chosen, quotes)
    explained, dropped = _explained_only(candidates, chosen, sources)
    dropped = sorted(small_talk + unasserted + dropped)
    # Past the limit, or not explained well enough here alone: still talk about a technical idea,
    # so its quotes can support the same idea where another episode makes it a concept.
    supporting = explained[limit:] + [c for c in topical_candidates if c not in explained]
    supporting += _supporting_terms(terms, chosen, all_forms, quotes, top_score)
    candidates = explained[:limit]
    for candidate in candidates:
        term = {slugify(t.key): t for t in chosen}[candidate.key]
        candidate.evidence = _asserted_evidence(candidate.evidence, quotes, term)
    _link_related(candidates, {t.key: t for t in chosen}, episode)
    _link_uses(candidates, {slugify(t.key): _mention_re(t) for t in chosen}, sources)
    # Supporting terms too: merge reads their roles and sentences when it merges synonyms.
    vocabulary = _co_mentions(candidates + supporting, terms, episode)
    chosen_keys = {c.key for c in candidates}
    # Terms left out as concepts (no quote explains them, or past the limit) stay real terms of
    # the episode: good wrong options, and long ones keep the mcq answer from being the longest.
    spare_terms = sorted(
        {t.surface for t in terms[: len(chosen) + OTHER_TERMS] if slugify(t.key) not in chosen_keys}
    )
    return EpisodeConcepts(
        episode=episode.id,
        episode_sha256=episode.sha256,
        concepts=candidates,
        terms=spare_terms,
        vocabulary=vocabulary,
        dropped=dropped,
        supporting=sorted(supporting, key=lambda c: c.key),
    )


@dataclass(frozen=True)
class _Quotes:
    """What judging an episode's quotes takes: its sentences and its indexes of them."""

    sources: SourceIndex
    cased: bool
    topical: TopicalityIndex
    assertions: AssertionIndex

    def text(self, cite: Cite) -> str:
        """The quote as the course shows it."""
        return tidy(self.sources.text(cite.sentence_ids))

    def flaw(self, cite: Cite, mention: re.Pattern[str], own_words: set[str]) -> str | None:
        """Why the quote is not something a speaker asserts as explanation, or None."""
        text = self.sources.text(cite.sentence_ids)
        flaw = self.assertions.flaw(cite.sentence_ids, text, mention)
        if flaw is None and self.topical.garbled(text, own_words):
            return GARBLED
        return flaw


def _ranked_evidence(term: Term, all_forms: list[str], quotes: _Quotes) -> list[Cite]:
    """A term's citable sentences, the ones that explain it best first (at most MAX_EVIDENCE)."""
    sources, cased, topical = quotes.sources, quotes.cased, quotes.topical
    mention = _mention_re(term)
    own_words = _own_words(term)
    own_forms = {x.lower() for x in term.forms}
    others = [f for f in all_forms if f not in own_forms]
    other_re = re.compile(r"\b(?:" + "|".join(map(re.escape, others)) + r")\b", re.I) if others else None
    texts = {sid: sources.text([sid]) for sid in term.sentence_ids}
    scores = {
        sid: _evidence_score(text, mention, other_re, cased, topical.share(text, own_words))
        for sid, text in texts.items()
    }
    ranked = sorted(term.sentence_ids, key=lambda sid: (-scores[sid], sid))
    # The best sentence of each passage first (variety), then second-best ones; no overlaps.
    first_pass: list[Cite] = []
    second_pass: list[Cite] = []
    used_passages: set[str] = set()
    used_sentences: set[str] = set()
    for sid in ranked:
        cite = _cite_for(sources, sid)
        if cite is None or used_sentences & set(cite.sentence_ids):
            continue
        used_sentences.update(cite.sentence_ids)
        passage_id = sid.rsplit("/", 1)[0]
        (second_pass if passage_id in used_passages else first_pass).append(cite)
        used_passages.add(passage_id)
    return _asserted_first(first_pass + second_pass, quotes, mention, own_words)[:MAX_EVIDENCE]


def _supporting_terms(
    terms: list[Term],
    chosen: list[Term],
    all_forms: list[str],
    quotes: _Quotes,
    top_score: float,
) -> list[ConceptCandidate]:
    """The episode's next technical terms after the chosen ones, named in two passages or more,
    with their evidence: quotes for the same idea where another episode makes it a concept."""
    taken = {slugify(t.key) for t in chosen}
    candidates: list[ConceptCandidate] = []
    for term in _one_per_idea([t for t in terms if len(t.passages) >= 2], len(chosen) + SUPPORTING_TERMS):
        key = slugify(term.key)
        if key in taken:
            continue
        topicality = quotes.topical.of(term.sentence_ids, _own_words(term))
        if topicality is not None and topicality.small_talk:
            continue
        ranked = _ranked_evidence(term, all_forms, quotes)
        evidence = _asserted_evidence(ranked, quotes, term, keep_first=False)
        if not evidence:
            continue
        candidates.append(
            ConceptCandidate(
                key=key,
                name=term.surface,
                aliases=sorted({f.lower() for f in term.forms} - {term.surface.lower()}),
                kind=concept_kind(term.key),
                definition=tidy(quotes.sources.text(evidence[0].sentence_ids)),
                evidence=evidence,
                importance=round(term.score / top_score, 4),
                mentions=term.count,
            )
        )
    return candidates


def _own_words(term: Term) -> set[str]:
    return {w.lower() for form in term.forms for w in tokens(form)}


def _asserted_first(
    evidence: list[Cite], quotes: _Quotes, mention: re.Pattern[str], own_words: set[str]
) -> list[Cite]:
    """The evidence led by the quote that best says what the term is or does among those the
    speakers assert (it becomes the definition); then the other asserted ones, reported views
    and guesses (fair nuance), then set-ups, trailer clips and garbles ("... is microat."):
    those are dropped while MIN_CLEAN_EVIDENCE others are left, else they go last. With no
    asserted quote at all, the least flawed leads (see assertions.FLAWS)."""
    if not evidence:
        return []
    flaws = [quotes.flaw(c, mention, own_words) for c in evidence]
    asserted = [c for c, f in zip(evidence, flaws, strict=True) if f is None]
    reported = [c for c, f in zip(evidence, flaws, strict=True) if f == REPORTED]
    rest = [c for c, f in zip(evidence, flaws, strict=True) if f not in (None, REPORTED)]
    kept = asserted + reported
    ordered = kept if len(kept) >= MIN_CLEAN_EVIDENCE else kept + rest
    severity = {id(c): -1 if f is None else FLAWS.index(f) for c, f in zip(evidence, flaws, strict=True)}

    def lead_rank(item: tuple[int, Cite]) -> tuple[int, float, int]:
        position, cite = item
        text = quotes.text(cite)
        # explains_idea: a definition or what the term does wins; a price, an aside or a
        # verdict that names it in passing loses.
        return severity[id(cite)], -(definition_score(text, mention) + explains_idea(text, mention)), position

    lead = min(enumerate(ordered), key=lead_rank)[1]
    return [lead] + [c for c in ordered if c is not lead]


def _asserted_evidence(
    evidence: list[Cite], quotes: _Quotes, term: Term, keep_first: bool = True
) -> list[Cite]:
    """A concept's evidence with only what the speakers assert while MIN_TAUGHT_QUOTES quotes are
    left, else with reported views too, else all of it: a lesson picks its core quote and its
    questions among all of its evidence, not only the first. A concept's first quote (its
    definition) stays; a supporting term's quotes are all judged."""
    mention, own_words = _mention_re(term), _own_words(term)
    flaws = [
        None if keep_first and i == 0 else quotes.flaw(c, mention, own_words) for i, c in enumerate(evidence)
    ]
    for allowed in ((None,), (None, REPORTED)):
        fair = [c for c, flaw in zip(evidence, flaws, strict=True) if flaw in allowed]
        if len(fair) >= MIN_TAUGHT_QUOTES:
            return fair
    return evidence


def _asserted_only(
    candidates: list[ConceptCandidate], chosen: list[Term], quotes: _Quotes
) -> tuple[list[ConceptCandidate], list[tuple[str, str]]]:
    """Drop the candidates no speaker asserts anything about: their best quote would be a host's
    set-up, a trailer clip, someone's reported view or a garble, and it would define the concept.
    A topic the talk is about (importance CENTRAL_IMPORTANCE) stays, led by its least flawed quote:
    a course on the talk without it would miss the point."""
    terms = {slugify(t.key): t for t in chosen}
    kept: list[ConceptCandidate] = []
    dropped: list[tuple[str, str]] = []
    for candidate in candidates:
        term = terms[candidate.key]
        flaw = quotes.flaw(candidate.evidence[0], _mention_re(term), _own_words(term))
        if flaw is None or candidate.importance >= CENTRAL_IMPORTANCE:
            kept.append(candidate)
            continue
        dropped.append(
            (candidate.key, f"concept '{candidate.name}': no speaker asserts it (its best quote is a {flaw})")
        )
    return kept, dropped


def _topical_only(
    candidates: list[ConceptCandidate], chosen: list[Term], index: TopicalityIndex
) -> tuple[list[ConceptCandidate], list[tuple[str, str]]]:
    """Drop the candidates whose talk is small talk: an office anecdote ("we have a micro-kitchen
    area in the building") is told in everyday words, a technical idea among the field's."""
    terms = {slugify(t.key): t for t in chosen}
    kept: list[ConceptCandidate] = []
    dropped: list[tuple[str, str]] = []
    for candidate in candidates:
        term = terms[candidate.key]
        topicality = index.of(term.sentence_ids, _own_words(term))
        if topicality is not None and topicality.small_talk:
            dropped.append(
                (
                    candidate.key,
                    f"concept '{candidate.name}': an anecdote or small talk, not a technical topic "
                    f"(the talk around it uses the episode's technical words at {topicality.rate:.2f} "
                    f"of the episode's rate, {topicality.variety:.1f} distinct ones per mention)",
                )
            )
            continue
        kept.append(candidate)
    return kept, dropped


def _explained_only(
    candidates: list[ConceptCandidate], chosen: list[Term], sources: SourceIndex
) -> tuple[list[ConceptCandidate], list[tuple[str, str]]]:
    """Keep the candidates whose evidence explains them; a lesson on a term the speakers only
    name in passing ("shot calling under very imperfect information") would be empty."""
    patterns = {slugify(t.key): _mention_re(t) for t in chosen}
    kept: list[ConceptCandidate] = []
    dropped: list[tuple[str, str]] = []
    counts: dict[str, tuple[int, int]] = {}
    for candidate in candidates:
        pattern = patterns[candidate.key]
        scores = [
            (explains_score(text, pattern), statement_score(text, pattern))
            for cite in candidate.evidence
            if (text := tidy(sources.text(cite.sentence_ids)))
        ]
        explaining = sum(1 for e, _ in scores if e >= MIN_EXPLAINS)
        substantive = sum(1 for e, s in scores if e >= 0 and s >= MIN_STATEMENT)
        counts[candidate.key] = (explaining, substantive)
    # A short talk says each thing once or twice: when no term passes the full test, keep the
    # terms some quote says something about rather than leave the episode with nothing to teach.
    full = any(explains and explains + rest >= MIN_EXPLAINING_QUOTES for explains, rest in counts.values())
    for candidate in candidates:
        explaining, substantive = counts[candidate.key]
        passes = explaining > 0 and explaining + substantive >= MIN_EXPLAINING_QUOTES
        if not (passes or (not full and explaining + substantive > 0)):
            dropped.append(
                (
                    candidate.key,
                    f"concept '{candidate.name}': no quote explains it ({explaining} say what it is "
                    f"or does, {substantive} say something about it); named in passing only",
                )
            )
            continue
        kept.append(candidate)
    return kept, dropped


def _rarest_word_zipf(term: Term) -> float:
    """General-English frequency of the least common word of a phrase (what makes it specific)."""
    return min(zipf(w) for w in term.surface.lower().replace("-", " ").split())


def _elided(a: str, b: str) -> bool:
    """True when one surface is a compound modifier said without its noun ("self-driving" for
    "self-driving car"): the speakers mean one idea by both."""
    short, long = sorted((a.lower(), b.lower()), key=len)
    return "-" in short and " " not in short and long.startswith(short + " ") and long.count(" ") == 1


def _one_per_idea(terms: list[Term], ideas: int | None = None) -> list[Term]:
    """Keep the best-scored spelling of each idea ("neural net" folds into "neural network",
    "large language model" into "language model") so one idea takes one concept slot; with
    `ideas`, the first that many ideas only, each still gathering its spellings from all terms."""
    kept: list[Term] = []
    # `Term.surface` re-sorts a term's forms on every read, and each term is compared with every
    # kept one: read it once per term, and again for a kept term only when a fold adds forms.
    kept_surfaces: list[str] = []
    for term in terms:
        surface = term.surface
        index = next(
            (i for i, k in enumerate(kept_surfaces) if same_idea(k, surface) or _elided(k, surface)),
            None,
        )
        if index is None:
            # Past `ideas` a new idea is left out: the kept ones come first in the search, so a later
            # spelling folds into the same kept idea with or without it.
            if ideas is None or len(kept) < ideas:
                kept.append(term)
                kept_surfaces.append(surface)
            continue
        same = kept[index]
        # The better-scored spelling names the concept (quizzes ask for the name, so it should be
        # the commoner wording); the other becomes an alias, with its mentions.
        same.forms.update(term.forms)
        same.passages |= term.passages
        same.sentence_ids = sorted(set(same.sentence_ids) | set(term.sentence_ids))
        kept_surfaces[index] = same.surface
    return kept


def _link_uses(
    candidates: list[ConceptCandidate], patterns: dict[str, re.Pattern[str]], sources: SourceIndex
) -> None:
    """Fill `uses` with the other candidates named in a candidate's best evidence (its definition)."""
    for candidate in candidates:
        text = " ".join(sources.text(cite.sentence_ids) for cite in candidate.evidence[:1])
        own = patterns[candidate.key]
        # Mentions of the candidate itself ("neural network" inside "neural network training") do not count.
        text = own.sub(" ", text)
        counts = [(-len(p.findall(text)), key) for key, p in patterns.items() if key != candidate.key]
        candidate.uses = [key for n, key in sorted(counts) if n < 0]


def _co_mentions(candidates: list[ConceptCandidate], terms: list[Term], episode: Episode) -> dict[str, int]:
    """Fill each candidate's `co_mentions` and `explained_with` (the episode's terms named in its
    sentences; after it) and return the episode's vocabulary: every term with the number of
    sentences naming it, acronyms included."""
    signals = {slugify(k): v for k, v in sorted(signal_sentences(terms, episode).items())}
    texts = {s.id: s.text for p in episode.passages for s in p.sentences}
    vocabulary = {key: len(ids) for key, (ids, _) in signals.items()}
    for candidate in candidates:
        if candidate.key not in signals:
            continue
        mine, own = signals[candidate.key]
        counts: dict[str, int] = {}
        after: dict[str, int] = {}
        part_of: dict[str, int] = {}
        names = [candidate.name, *candidate.aliases]
        for key, (ids, pattern) in signals.items():
            shared = sorted(mine & ids)
            if key == candidate.key or not shared:
                continue
            counts[key] = len(shared)
            part = said_part_of(names, pattern, [texts[sid] for sid in shared])
            if part:
                part_of[key] = part
            # "In-context learning is doing gradient descent": the idea named first is the topic,
            # the one named after it what the speaker explains it with.
            later = 0
            for sid in shared:
                first, other = own.search(texts[sid]), pattern.search(texts[sid])
                later += bool(first and other and other.start() > first.end())
            if later:
                after[key] = later
        candidate.co_mentions = counts
        candidate.explained_with = after
        candidate.part_of = part_of
        said = [texts[sid] for sid in sorted(mine)]
        candidate.owners = owner_nouns(names, said)
        candidate.also_called = appositions(names, said)
    return dict(sorted(vocabulary.items()))


def _link_related(candidates: list[ConceptCandidate], terms: dict[str, Term], episode: Episode) -> None:
    """Fill `related` with the candidates sharing the most passages (co-occurrence)."""
    by_key = {slugify(k): t for k, t in terms.items()}
    for candidate in candidates:
        mine = by_key[candidate.key].passages
        scores = []
        for other in candidates:
            if other.key == candidate.key:
                continue
            theirs = by_key[other.key].passages
            shared = len(mine & theirs)
            if shared:
                scores.append((-shared / math.sqrt(len(mine) * len(theirs)), other.key))
        candidate.related = [key for _, key in sorted(scores)[:5]]
