"""The assessment stage: questions (mcq, cloze, true/false, short) and cards built from cited speech.

Distractors come from other terms of the same kind that the learner has already met or that
are not course concepts at all, so options never name a concept taught later. Both come from
the lesson's own slice of the course (coursegen.lesson_scope: concepts the lesson touches, terms
of the episodes it cites), so a concept added elsewhere does not change a lesson's questions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from coursegen.engines.base import LessonContext
from coursegen.engines.extractive.agreement import (
    either_article,
    fitted_options,
    modifies_next_word,
    noun_like,
    slot_of,
    with_article,
    without_article,
)
from coursegen.engines.extractive.assertions import GARBLED, episode_index
from coursegen.engines.extractive.blanks import (
    LessonVocabulary,
    explains_opening,
    fair_distractor,
    gives_away,
    has_two_names,
    hints_at,
    names_another_first,
    open_slot,
    other_names,
    recallable,
    spoken_text,
    technical_vocabulary,
)
from coursegen.engines.extractive.fairness import (
    LOOSE_MAX_WORDS,
    MIN_CLAIM_EXPLAINS,
    garbled_words,
    inside_longer_name,
    is_assertion,
    key_points,
    leans_on_context,
    pinned,
    reads_cleanly,
    stands_alone,
    substantive,
    trim_fillers,
)
from coursegen.engines.extractive.mentions import MentionFinder, finder_for
from coursegen.engines.extractive.speech import (
    chatter,
    clean_lead,
    explains_score,
    is_complete,
    reported_view,
    statement_score,
)
from coursegen.engines.extractive.statements import (
    known_words,
    more_mentions,
    self_contained,
    usable_evidence,
    with_previous,
)
from coursegen.engines.extractive.text import content_words, normal, tidy, tokens, zipf
from coursegen.engines.extractive.wordclass import names_a_thing
from coursegen.engines.types import (
    CardDraft,
    Cite,
    GraphConcept,
    LessonAssessment,
    LessonDraft,
    LessonPlan,
    QuestionDraft,
)
from coursegen.fsutil import sha256_text
from coursegen.textnorm import content_words as checked_words

BLANK = "_____"
MAX_STEM_WORDS = 45
MAX_CARD_WORDS = 25
MAX_CARDS_PER_CONCEPT = 8
MAX_MODEL_ANSWER_WORDS = 60
# The statement score (speech.statement_score) a sentence needs to be judged true or false.
MIN_CLAIM_SCORE = 2.0
# Content words a swapped-in concept's definition must share with the statement to be a
# plausible (and therefore instructive) false claim rather than nonsense.
MIN_SWAP_OVERLAP = 1
# How far a true/false claim must be about the concept (speech.explains_score; 0 = a plain mention).
MIN_TF_EXPLAINS = 0.0
# Words the concept's evidence repeats that a model answer's second sentence must hold: with
# fewer it is about something else ("gradient accumulation across metro areas").
MIN_EXTRA_CONTEXT = 2
# Content words a true/false claim needs, and (the explanation quotes it to show why) a false one.
MIN_CLAIM_CONTENT = 5
# Content words a claim needs to be turned false: the explanation quotes it to show why.
MIN_FALSE_CONTENT = 6
# A claim turned false with a wrong option says at least this much (see _turned_by_options).
MIN_TURNED_CONTENT = 4
# Content words a blanked sentence must keep besides the blank: with fewer ("The quote that
# you've just mentioned, it's the _____.") the answer cannot be inferred from the stem.
MIN_BLANK_CONTEXT = 4
# Content words a model answer needs to explain anything ("It's literally just a lookup table."
# has three); and it must read as a statement about the concept.
MIN_ANSWER_CONTENT = 8
# A sentence naming the concept as one item of a list, or in a guest's biography, tests nothing.
MIN_BLANK_EXPLAINS = -2.5
# True claims per concept and judgement: a checkable statement the lesson quotes is a fair item
# (judge.claim is never loosened), and it tests the idea rather than a word of the sentence.
MAX_TRUE_CLAIMS = 3
# Choices on the concept's name per concept (each on its own sentence, options never a second
# right answer): they stand in for the fill-ins on common words the vocabulary rules refuse, and
# (9, not 5, since ex-33) for the items the grammar and caption rules drop: a good sentence left
# over carries one (_spare_mcqs); with 5 the seed course fell short of its 120 questions.
MAX_NAME_MCQS = 9
# Clozes on a fact about the concept (a term, a number) per concept.
MAX_FACT_CLOZES = 6
# A repeated word a fact cloze blanks must be rarer than this in general English (Zipf scale).
MAX_FACT_ZIPF = 4.6
# A word the speakers use once is a fact worth recalling when it is this rare (a technical word).
MAX_DISTINCTIVE_ZIPF = 4.6
# How far a fact cloze's sentence must be about the concept (speech.explains_score; 0 = a plain mention).
MIN_FACT_EXPLAINS = 0.0
# How strictly a sentence is judged: in full, loosely (a longer, chattier sentence), or last resort
# (the rules before the fairness judgements) for a concept that would otherwise lose its lesson.
FAIR, LOOSE, LAST_RESORT = 2, 1, 0
MIN_LESSON_QUESTIONS = 2
# The start of a loosely judged question's `fact`.
LOOSE_FACT = "loose:"
# A lesson needs two check-yourself questions (RAMP009) and the course several per concept: below
# this a concept's fair items are topped up with loosely judged ones. 14, not 9: one concept for
# two names (weights/parameter), dropping questions that repeat an earlier lesson's (QST005) and
# the blanks rules (no fill-in on a common word, no blank two names fit, no short answer without
# an explaining sentence) cost the seed course about 30 questions of its 120; the top-ups come
# last in a lesson's list. It makes rich lessons long (31 questions in one on the seeds). 18, not
# 14, since ex-33: the grammar, caption and host-talk rules drop about 8 more items (the seeds
# keep 120 with 18, 2 fewer with 14 or 16), and only concepts with fair material left reach it.
MIN_QUESTIONS_PER_CONCEPT = 18
# Clozes on the concept's name per concept besides its mcq: the name is predictable from the
# lesson's title, so facts about the concept fill the rest; a concept that would lose its lesson's
# two questions may take more as a last resort.
MAX_NAME_CLOZES = 1
LAST_RESORT_NAME_CLOZES = 5
# Fill-ins on the concept's name by then when topping up from fairly judged unshown sentences
# (loose ones included: until ex-31 the top-ups did not count the loose ones, so a concept could
# take more; counted right, 4 keeps the seed course at 120 questions with 20 such fill-ins, 22
# before).
FAIR_NAME_CLOZES = 4
# Fact clozes from which a concept gets no cloze on its name besides the mcq.
FACTS_FOR_NO_NAME_CLOZE = 3
# Distractors beyond the best `count` that may be taken instead to spread the answer's length rank.
DISTRACTOR_SLACK = 8
# Choices on the name from the sentences the lesson shows, besides the first, once its facts and
# fill-ins are made (more come with the top-ups, up to MAX_NAME_MCQS).
SHOWN_EXTRA_MCQS = 2


_COUNT_WORDS = {1: "one word", 2: "two words", 3: "three words"}


def cloze_stem(lead: str, sentence: str, answer: str) -> str:
    """A fact fill-in's stem with a hint to the missing words: how many, and the first letter
    ("Fill in the blank about X (one word, first letter A): ..."). Readers found a bare blank on a
    word other than the lesson's idea fits other words as well ("strategies" where the talk says
    "algorithms", "model" for "data centers"): the hint singles the talk's word out and still asks
    the learner to recall it. A blank on the lesson's own idea gets none: its title and a first
    letter together give it away (a reader, 2026-12-04)."""
    count = len(answer.split())
    words = _COUNT_WORDS.get(count, f"{count} words")
    return f'{lead} ({words}, first letter {answer[:1].upper()}): "{sentence}"'


def _digest(*parts: str) -> str:
    return sha256_text("|".join(parts))[:8]


def _blank_out(text: str, pattern: re.Pattern[str]) -> str | None:
    """The text with every mention blanked, or None when there is no mention."""
    blanked, count = pattern.subn(BLANK, text)
    return blanked if count else None


def _phrase(text: str) -> str:
    return " ".join(normal(w) for w in tokens(text.replace("-", " ")))


def named_as_itself(text: str, concept: GraphConcept, pattern: re.Pattern[str]) -> bool:
    """True when every mention is the concept's name or a several-word alias, singular or plural.

    A one-word alias that is another form of the word ("scale" for "scaling") often means
    something else in the sentence ("a large scale model", "Scale's research team"): a blank
    there has "scale" for answer, which is not the idea the lesson taught.
    """
    stems = {w.lower()[:4] for w in tokens(concept.name)}
    names = {_phrase(concept.name)} | {
        _phrase(a)
        for a in concept.aliases
        # An instructor's rename ("compute" → "Experiments (the research loop)") keeps the spoken
        # name as an alias: a one-word alias that is no form of a word of the name still counts.
        if len(tokens(a)) > 1 or a.isupper() or a.lower()[:4] not in stems
    }
    return all(_phrase(m.group(0)) in names for m in pattern.finditer(text))


def _distractor_pool(
    concept: GraphConcept, context: LessonContext, finder: MentionFinder, allowed: set[str]
) -> list[str]:
    """Every usable distractor, best first: same-kind names the learner has met, then other taught
    names, then terms that are not course concepts; within each, closest in length first."""
    by_id = {c.id: c for c in context.graph.concepts}
    taught = [by_id[cid] for cid in sorted(allowed) if cid in by_id and cid != concept.id]
    same_kind = [c.name for c in taught if c.kind == concept.kind]
    other_kind = [c.name for c in taught if c.kind != concept.kind]
    # Terms that are not concepts; a lone verb form ("deploying", "chatting") is no idea's name.
    outside = [
        t for t in context.graph.terms if not finder.concepts_in(t) and not re.fullmatch(r"[a-z]+ing", t)
    ]
    target = len(concept.name)
    answer_words = {normal(w) for n in (concept.name, *concept.aliases) for w in tokens(n)}
    pool: list[str] = []
    for group in (same_kind, other_kind, outside):
        # Closest in length first, so the answer is not the odd one out by length.
        for name in sorted(group, key=lambda n: (abs(len(n) - target), n)):
            lowered = {p.lower() for p in pool} | {concept.name.lower()}
            # No shared word with the answer: "capability" would also fit where "model
            # capabilities" belongs, making a second correct option.
            shares = {normal(w) for w in tokens(name)} & answer_words
            # Nor a near-twin of the answer or of another option ("chatbot" and "chatting"):
            # two options alike in form tell the learner both are wrong.
            twin = any(_alike(name, other) for other in [concept.name, *pool])
            if name.lower() not in lowered and not shares and not twin:
                pool.append(name)
    return pool


def _alike(one: str, other: str) -> bool:
    """True when two names start with the same five letters, or one word's first four letters
    open a word of the other ("compute", "computation"; "chatbot", "chatting")."""
    a, b = one.lower(), other.lower()
    if a[:5] == b[:5]:
        return True
    return any(x[:4] == y[:4] for x in tokens(a) for y in tokens(b) if len(x) > 4 and len(y) > 4)


def _distractors(pool: list[str], answer: str, count: int, seed: str) -> list[str]:
    """`count` distractors from the pool (best first) with the answer's length rank spread by `seed`.

    Closest-in-length picks alone left the answer among the two longest options in 29 of 34 seed
    items (concept names are long): a learner could pick by length. So the number of distractors
    longer than the answer is chosen from the item's hash (0..count), then filled best first.
    """
    # Only among the best few: a plausible taught concept beats a length-balanced stranger.
    best = pool[: count + DISTRACTOR_SLACK]
    longer = [name for name in best if len(name) > len(answer)]
    others = [name for name in best if len(name) <= len(answer)]
    wanted = int(seed, 16) % (count + 1)
    if len(longer) < wanted:
        # Short concept names ("scaling") rarely have longer neighbours among the best few; reach
        # further down the pool rather than leave the answer the longest option again.
        longer += [name for name in pool[len(best) :] if len(name) > len(answer)][: wanted - len(longer)]
    # When one side runs short, the other fills in (still best first).
    take_longer = min(len(longer), max(wanted, count - len(others)))
    picked = set(longer[:take_longer]) | set(others[: count - take_longer])
    return [name for name in pool if name in picked]


def _link_question(
    concept: GraphConcept,
    statements: list[tuple[Cite, str]],
    judge: _Judge,
    context: LessonContext,
    finder: MentionFinder,
    allowed: set[str],
) -> QuestionDraft | None:
    """Explain back how the concept connects to an idea it builds on, when a speaker links them.

    Ramps are about connections: a statement that names both the concept and one of its
    prerequisites (already taught) is the model answer to "how does X relate to Y?".
    """
    by_id = {c.id: c for c in context.graph.concepts}
    own = {normal(w) for w in tokens(concept.name)}
    # A prerequisite inside the name ("compute" in "test time compute") is no link to explain.
    # Its prerequisites first, then related ideas an earlier lesson taught (co-occurring ones).
    earlier = [r for r in concept.related if r in context.taught_before]
    needs = [
        p
        for p in dict.fromkeys([*concept.prerequisites, *earlier])
        if p in allowed
        and p in by_id
        and p != concept.id
        and not {normal(w) for w in tokens(by_id[p].name)} <= own
    ]
    if not needs:
        return None
    for cite, text in statements:
        # A sentence naming two ideas runs long: the looser length and chatter limits apply.
        if not _is_claim(text, judge.pattern, MIN_CLAIM_SCORE + 1) or not reads_cleanly(
            text, judge.known, loose=True
        ):
            continue
        if not substantive(text, judge.known, strict=True):
            continue  # the link must be a statement, not a remark or an opinion
        named = finder.concepts_in(text)
        # Named as written, not only by stem ("computed" is not "compute").
        other = next((p for p in needs if p in named and finder.pattern(p).search(text)), None)
        if other is None or not finder.only_uses(text, allowed):
            continue
        return QuestionDraft(
            id=f"{concept.id}-link-{_digest(other, *cite.sentence_ids)}",
            concept=concept.id,
            kind="short",
            stem=(
                f"How does {concept.name} connect to {by_id[other].name}, "
                f"{'which it builds on' if other in concept.prerequisites else 'from an earlier lesson'}? "
                f"Explain the link in a sentence or two."
            ),
            answer=trim_fillers(clean_lead(text)),
            explanation=(
                f"A good answer says how {concept.name} and {by_id[other].name} meet in the quoted passage, "
                f"in plain words."
            ),
            cites=[cite],
            bloom="analyze",
            difficulty=3,
            fact=f"link:{other}:{','.join(cite.sentence_ids)}",
        )
    return None


def _longer_names(
    concept: GraphConcept, context: LessonContext, finder: MentionFinder
) -> list[re.Pattern[str]]:
    """Patterns of concepts whose name holds this one's ("large language model" for "language
    model"): a sentence naming those is about them, and blanking the inner name leaves "large ___"."""
    own = {normal(w) for w in tokens(concept.name)}
    return [
        finder.pattern(other.id)
        for other in context.graph.concepts
        if other.id != concept.id and own < {normal(w) for w in tokens(other.name)}
    ]


def _is_claim(text: str, pattern: re.Pattern[str], threshold: float | None = None) -> bool:
    """True for a sentence that names the concept and reads as a clear statement."""
    needed = MIN_CLAIM_SCORE if threshold is None else threshold
    return bool(pattern.search(text)) and statement_score(text, pattern) >= needed


def _as_written(text: str, pattern: re.Pattern[str], name: str) -> str:
    """The concept's name as the sentence writes it ("neural net" for "neural network")."""
    match = pattern.search(text)
    return match.group(0).lower() if match and match.group(0).lower() != name.lower() else name


# A lesson's true/false items may lean true by at most this many: seven "true" of seven (a
# learner's own transcript, where few claims could be turned false) is a pattern to answer by.
MAX_TRUE_LEAD = 2


def _balanced_true_false(questions: list[QuestionDraft]) -> list[QuestionDraft]:
    """The lesson's questions without the true/false items that would make "true" a safe guess:
    at most MAX_TRUE_LEAD more true items than false ones (the later true ones go)."""
    falses = sum(1 for q in questions if q.kind == "true_false" and q.answer is False)
    room = falses + MAX_TRUE_LEAD
    kept: list[QuestionDraft] = []
    for question in questions:
        if question.kind == "true_false" and question.answer is True:
            if room == 0:
                continue
            room -= 1
        kept.append(question)
    return kept


def _answer_rota(lesson_id: str, questions: list[QuestionDraft]) -> list[QuestionDraft]:
    """The lesson's multiple-choice items with their right options placed in turn, from a start
    hashed from the lesson's id: every lesson spreads its answers over the positions, so neither a
    lesson nor the course leans on one (a hash per item left the seed course's answers bunched by
    chance, 26 of 66 first)."""
    turn = int(_digest(lesson_id), 16)
    placed: list[QuestionDraft] = []
    for question in questions:
        if question.kind != "mcq" or not isinstance(question.answer, int) or not question.options:
            placed.append(question)
            continue
        right = question.options[question.answer]
        others = [o for i, o in enumerate(question.options) if i != question.answer]
        position = turn % len(question.options)
        turn += 1
        options = others[:position] + [right] + others[position:]
        placed.append(question.model_copy(update={"options": options, "answer": position}))
    return placed


# Word endings of adverbs, adjectives and verb forms: a poor thing to ask a learner to recall.
_WEAK_ENDINGS = (
    "ly",
    "ing",
    "ed",
    "ent",
    "ant",
    "ive",
    "ous",
    "ful",
    "able",
    "ible",
    "est",
    "'s",
    "ate",
    "ize",
    "ise",
    "ent",
)


# Words that pass the rarity test but are not facts to recall: connectives, evaluations,
# common verbs and vague nouns ("notion", "demand", "seeks" tested nothing a learner needs).
_WEAK_WORD_LIST = """
    whereas versus toward towards somehow sheer sudden sweet notion demand seek seeks sought
    option options inward outward interact explore evolve consider analyze analyse bounce arise
    arises arising distinct discreet concrete explicit implicit proven dream dumber smarter
    funky loopy squishy wiggle holiday entrance ability aspect aspects idea ideas concept
    stuff kind sort rather perhaps indeed whatnot folks regard regards within without beyond
    upon thus hence therefore anyway somewhat fairly quite truly simply merely nearly
    solution solutions improvement improvements thousands hundreds millions dozens progress
    problem problems approach approaches number numbers amount amounts
    equals slash implication implications angle angles
"""
_WEAK_WORDS = frozenset(_WEAK_WORD_LIST.split())
# More adjective and adverb endings (neural, algorithmic, loopy, dumber, inward).
_ADJECTIVE_ENDINGS = ("al", "ic", "ical", "y", "er", "ward", "wards", "less")
# A word the speakers use once must be at least this rare (Zipf scale) to be worth recalling.
MAX_ONE_OFF_ZIPF = 5.0
_NUMBER_FACT = re.compile(r"\b\d[\d,.]*(?:x|%)?(?=\W|$)")


def _other_word(
    text: str,
    concept: GraphConcept,
    terms: list[str],
    avoid: frozenset[str] = frozenset(),
    topical: frozenset[str] = frozenset(),
) -> str | None:
    """What a cloze card on this sentence deletes, other than the concept's own name.

    A technical term of the course is best ("{{c1::gradient descent}}"), then a number (a fact:
    "{{c1::320}} kilobytes"), then a rare noun-like word the speakers repeat around the concept
    (`topical`), then any rare noun-like word; never a word the rest of the sentence repeats.
    """
    words = deletable_words(text, concept, terms, avoid, topical)
    return words[0] if words else None


def deletable_words(
    text: str,
    concept: GraphConcept,
    terms: list[str],
    avoid: frozenset[str] = frozenset(),
    topical: frozenset[str] = frozenset(),
) -> list[str]:
    """Every word a cloze card on this sentence may delete, the best first (see _other_word)."""
    # Words of any concept's name: deleting half of "gradient descent" tests nothing.
    name_words = {w.lower() for n in (concept.name, *concept.aliases) for w in tokens(n)} | avoid
    lowered = text.lower()
    chosen: list[str] = []
    for term in terms:
        if set(term.lower().split()) & name_words or term.lower() in name_words:
            continue
        once = len(re.findall(rf"\b{re.escape(term.lower())}\b", lowered)) == 1
        if once and _names_a_thing_here(term, text):
            chosen.append(term)
    found: list[str] = [m.group(0) for m in _NUMBER_FACT.finditer(text)]
    numbers = [n for n in dict.fromkeys(found) if len(n.strip(".,")) >= 2 and text.count(n) == 1]
    chosen += [n for n in numbers if n.lower() not in name_words]
    words = [
        w
        for w in dict.fromkeys(content_words(text))
        if w not in name_words
        and w not in _WEAK_WORDS
        and len(w) > 4
        and "'" not in w
        and not w.endswith(_WEAK_ENDINGS)
        and zipf(w) <= 5.0
    ]
    words = [w for w in words if len(re.findall(rf"\b{re.escape(w)}\b", text, re.I)) == 1]
    words = [w for w in words if _names_a_thing_here(w, text)]
    chosen += sorted((w for w in words if normal(w) in topical), key=lambda w: (zipf(w), w))
    # A one-off word must be rare and not look like an adjective or adverb.
    one_offs = [
        w
        for w in words
        if normal(w) not in topical and zipf(w) <= MAX_ONE_OFF_ZIPF and not w.endswith(_ADJECTIVE_ENDINGS)
    ]
    chosen += sorted(one_offs, key=lambda w: (zipf(w), w))
    return list(dict.fromkeys(chosen))


def _names_a_thing_here(word: str, text: str) -> bool:
    """wordclass.names_a_thing for the word where the sentence has it; a phrase of several words
    is left to the term finder that found it."""
    if " " in word.strip():
        return True
    found = re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.I)
    return names_a_thing(word, text[: found.start()] if found else "")


def _topical_words(statements: list[tuple[Cite, str]], least: int = 2) -> frozenset[str]:
    """Content words (normal form) that occur in at least `least` of a concept's statements."""
    seen: dict[str, int] = {}
    for _, text in statements:
        for word in {normal(w) for w in content_words(text)}:
            seen[word] = seen.get(word, 0) + 1
    return frozenset(w for w, n in seen.items() if n >= least)


def _core_quote(draft: LessonDraft, statements: list[tuple[Cite, str]]) -> frozenset[str]:
    """Sentence ids of the lesson's first block quoting one of the concept's statements (a block
    may quote it with a sentence around it)."""
    own = [frozenset(c.sentence_ids) for c, _ in statements]
    quoted = (frozenset(c.sentence_ids) for block in draft.blocks for c in block.cites)
    return next((ids for ids in quoted if any(o <= ids for o in own)), frozenset())


def _lesson_sentences(draft: LessonDraft) -> frozenset[str]:
    """Sentence ids the lesson's blocks quote: what a learner has read before the questions."""
    return frozenset(sid for block in draft.blocks for cite in block.cites for sid in cite.sentence_ids)


def concept_statements(
    concept: GraphConcept, context: LessonContext, finder: MentionFinder, allowed: set[str]
) -> list[tuple[Cite, str]]:
    """What the speakers say about the concept that an item may test: its evidence, then the other
    sentences of its episodes that name it; statements only (a question the host asked is not a
    fact to recall or judge), none about a longer concept holding its name, and each one leaning
    on earlier talk widened with the sentence before it (statements.self_contained)."""
    pattern = finder.pattern(concept.id)
    longer = _longer_names(concept, context, finder)
    longer_names = [n for c in context.graph.concepts if c.id != concept.id for n in (c.name, *c.aliases)]
    longer_names = [n for n in longer_names if _holds(n, concept)]
    statements = [
        (c, t)
        for c, t in [*usable_evidence(concept, context, finder, allowed), *more_mentions(concept, context)]
        if not t.rstrip().endswith("?")
        and not any(p.search(t) for p in longer)
        and not inside_longer_name(t, pattern, longer_names)
    ]
    return self_contained(statements, context)


def _judge_for(
    concept: GraphConcept,
    context: LessonContext,
    allowed: set[str],
    heard: list[tuple[Cite, str]],
    read: frozenset[str],
    core: frozenset[str],
) -> _Judge:
    """The fair judgement of one concept's sentences, its context words taken from all it heard."""
    avoid = frozenset(
        w.lower() for c in context.graph.concepts for n in (c.name, *c.aliases) for w in tokens(n)
    )
    fragments = frozenset(
        trim_fillers(clean_lead(t)) for c, t in heard if context.sources.text(c.sentence_ids)[:1].islower()
    )
    return _Judge(
        finder_for(context.graph).pattern(concept.id),
        known_words(context),
        _topical_words(heard),
        read,
        tuple(_cloze_terms(context, allowed, concept)),
        avoid,
        fragments,
        frozenset(w + e for w in _topical_words(heard, max(3, len(heard) // 3)) for e in ("", "s")),
        core,
    )


@dataclass(frozen=True)
class Askable:
    """A statement an item can test, as the item would quote it, and how fairly it is judged."""

    cite: Cite
    text: str
    level: int  # FAIR or LOOSE


def askable_statements(
    concept: GraphConcept, context: LessonContext, allowed: set[str], heard: list[tuple[Cite, str]]
) -> list[Askable]:
    """The statements the concept's items may draw on (concept_statements) that could carry an
    item, in their order, each at the strictest level that allows one (FAIR, else LOOSE). A
    statement that carries none alone may still carry a fact with the sentence after or before it
    (as _fact_cloze grows one): then the two are the statement. The lesson stage shows these, so
    its questions test what it shows."""
    finder = finder_for(context.graph)
    base = _judge_for(concept, context, allowed, heard, frozenset(), frozenset())
    judges = [replace(base, level=level) for level in (FAIR, LOOSE)]
    found: list[Askable] = []
    for cite, text in heard:
        carries = (j for j in judges if _carries_item(concept, cite, text, j, context, finder, allowed))
        alone = next(carries, None)
        if alone is not None:
            found.append(Askable(cite, text, alone.level))
            continue
        grown = [g for g in (_with_next(cite, text, context), with_previous(cite, text, context)) if g]
        fact = next(
            (
                Askable(g[0], g[1], j.level)
                for j in judges
                for g in grown
                if _fact_blank(trim_fillers(clean_lead(g[1])), concept, j, finder, allowed) is not None
            ),
            None,
        )
        if fact is not None:
            found.append(fact)
    seen: set[tuple[str, ...]] = set()
    unique = []
    for item in found:
        key = tuple(item.cite.sentence_ids)
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique


def _carries_item(
    concept: GraphConcept,
    cite: Cite,
    text: str,
    judge: _Judge,
    context: LessonContext,
    finder: MentionFinder,
    allowed: set[str],
) -> bool:
    """True when the statement, as the course words it, could be a fill-in on the concept's name,
    a fill-in on a fact about it, or (fairly judged only) a true/false claim."""
    if len(tokens(text)) > MAX_STEM_WORDS:
        return False
    pattern = judge.pattern
    shown = trim_fillers(clean_lead(text))
    blanked = _blank_out(shown, pattern)
    if blanked and judge.blankable(shown, blanked) and named_as_itself(shown, concept, pattern):
        return True
    if _fact_blank(shown, concept, judge, finder, allowed) is not None:
        return True
    return (
        judge.strict
        and judge.claim(shown)
        and named_as_itself(shown, concept, pattern)
        and _asserted((cite, shown), pattern, context)
    )


@dataclass
class _ConceptItems:
    """One concept's material and the items made from it so far."""

    concept: GraphConcept
    judge: _Judge
    statements: list[tuple[Cite, str]]  # what the lesson shows, clearest first
    others: list[tuple[Cite, str]]  # what else its episodes say, clearest first
    answerable: list[tuple[Cite, str]]
    own: list[QuestionDraft]


def assess_lesson(plan: LessonPlan, draft: LessonDraft, context: LessonContext) -> LessonAssessment:
    """Questions and cards for every concept of a lesson, each citing the sentences it tests.

    Questions test what the lesson's blocks quote (a learner checking themselves should find the
    fact in the lesson): every concept's items on those first. Only a concept left with fewer than
    MIN_QUESTIONS_PER_CONCEPT is then topped up from what else its episodes say, those items last
    and marked loose. Cards take what the lesson shows first, then the rest. Every item's sentence
    must pass coursegen.engines.extractive.fairness.
    """
    by_id = {c.id: c for c in context.graph.concepts}
    finder = finder_for(context.graph)
    allowed = set(context.taught_before) | set(plan.concepts)
    read = _lesson_sentences(draft)
    known = known_words(context)
    asked_here: set[str] = set()
    items: list[_ConceptItems] = []
    # Every concept's items on what the lesson shows before any other, so a top-up for one concept
    # never takes a shown sentence another concept of the lesson would ask about.
    for concept in (by_id[cid] for cid in plan.concepts):
        state = _shown_items(concept, draft, context, finder, allowed, read, asked_here)
        asked_here |= {sid for q in state.own for c in q.cites for sid in c.sentence_ids}
        items.append(state)
    elsewhere: set[str] = set()
    for state in items:
        added = _top_up(state, _stems(state.others, asked_here), context, finder, allowed, _UNSHOWN_TIERS)
        asked_here |= {sid for q in added for c in q.cites for sid in c.sentence_ids}
        elsewhere |= {q.id for q in added}
    # The lesson's check-yourself list asks about what it shows first, the top-ups last.
    # A concept with another name keeps its mcq: a fill-in on its name has two right answers.
    spread = [
        q
        for state in items
        for q in (state.own if state.concept.id in state.judge.two_names else _spread_difficulty(state.own))
    ]
    questions = [q for q in spread if q.id not in elsewhere] + [q for q in spread if q.id in elsewhere]
    questions = _answer_rota(plan.id, _balanced_true_false(_turned_by_options(questions)))
    cards: list[CardDraft] = []
    deleted: set[str] = set()
    for state in items:
        # Cards on what the lesson shows first, then on the rest (a card is reviewed days later,
        # on its own). Course wording: no "Yeah, so" openers; only substantive sentences.
        pool = [(c, clean_lead(t)) for c, t in [*state.statements, *state.others] if substantive(t, known)]
        judge = state.judge
        made = _cards(
            state.concept, pool, judge.pattern, list(judge.terms), judge.avoid, deleted, context.kept_cards
        )
        cards.extend(made)
    return LessonAssessment(lesson=plan.id, questions=questions, cards=cards)


# Each tier of a top-up: the judgement's level, how many items the concept should reach, and how
# many fill-ins on its own name it may have by then. Too little fair material: the course wants a
# few questions per concept, so a looser judgement (still no conversation talk, garble or debris)
# tops them up. On a sentence the lesson shows, a blank on the concept's name is easy (the title
# gives a hint) but answerable, so a few more of those come next; a concept that would still miss
# the lesson's two check-yourself questions gets the last-resort ones. The same, fairly judged
# first, for what else the concept's episodes say.
_SHOWN_TIERS = (
    (LOOSE, MIN_QUESTIONS_PER_CONCEPT, MAX_NAME_CLOZES),
    (LOOSE, MIN_QUESTIONS_PER_CONCEPT, LAST_RESORT_NAME_CLOZES),
    (LAST_RESORT, MIN_LESSON_QUESTIONS, LAST_RESORT_NAME_CLOZES),
)
_UNSHOWN_TIERS = (
    # A fairly judged sentence (its blank pinned by the concept's context words) may carry a
    # second fill-in on the name: in place of the fill-ins on common words the vocabulary refuses.
    (FAIR, MIN_QUESTIONS_PER_CONCEPT, FAIR_NAME_CLOZES),
    (LOOSE, MIN_QUESTIONS_PER_CONCEPT, MAX_NAME_CLOZES),
    (LAST_RESORT, MIN_LESSON_QUESTIONS, LAST_RESORT_NAME_CLOZES),
)


def _shown_items(
    concept: GraphConcept,
    draft: LessonDraft,
    context: LessonContext,
    finder: MentionFinder,
    allowed: set[str],
    read: frozenset[str],
    asked_here: set[str],
) -> _ConceptItems:
    """The concept's items on the sentences the lesson shows, fairly judged, then topped up."""
    pattern = finder.pattern(concept.id)
    # Everything the speakers say about it sets the context words a blank must be pinned by.
    heard = concept_statements(concept, context, finder, allowed)
    statements = _shown(heard, read, pattern)
    others = _clearest([s for s in heard if s not in statements], pattern)
    judge = _lesson_judge(
        _judge_for(concept, context, allowed, heard, read, _core_quote(draft, statements)),
        context,
        allowed,
        read,
    )
    # A sentence another concept of the lesson asks about already would show twice.
    evidence = _stems(statements, asked_here)
    # A model answer may quote a longer statement than a question stem can (up to the answer limit).
    # What the lesson shows first; then what else its episodes say, for a concept whose shown
    # quotes only name it: an "explain it back" is answerable from the idea the lesson teaches,
    # and its model answer must explain (see _explain_back).
    answerable = [
        (c, clean_lead(t)) for c, t in [*statements, *others] if len(tokens(t)) <= MAX_MODEL_ANSWER_WORDS + 15
    ]
    own = _questions(
        concept,
        evidence,
        judge,
        context,
        finder,
        allowed,
        answerable,
        MAX_NAME_CLOZES,
        extra_mcqs=SHOWN_EXTRA_MCQS,
    )
    link = _link_question(concept, statements, judge, context, finder, allowed)
    own += [link] if link is not None else []
    state = _ConceptItems(concept, judge, statements, others, answerable, own)
    _top_up(state, evidence, context, finder, allowed, _SHOWN_TIERS)
    return state


def _lesson_judge(judge: _Judge, context: LessonContext, allowed: set[str], read: frozenset[str]) -> _Judge:
    """The judge of a written lesson's items: it knows what the lesson quotes and which names the
    learner has met (see _Judge.vocabulary)."""
    known = [c for c in context.graph.concepts if c.id in allowed]
    quoted = [context.sources.text([sid]) for sid in sorted(read)]
    # Only the episodes the lesson's concepts cite: they, not the whole course, are in the lesson's
    # cache key (coursegen.lesson_scope), so another episode can never change a cached lesson.
    own = [c for c in known if c.id not in context.taught_before]
    cited = sorted({cite.episode for c in own for cite in [*c.evidence, *c.problems]})
    episodes = [context.sources.episodes[e] for e in cited if e in context.sources.episodes]
    spoken = spoken_text(episodes)
    return replace(
        judge,
        # The course's technical words a fill-in may blank besides the graph's spare terms.
        technical=tuple(dict.fromkeys([*judge.terms, *technical_vocabulary(episodes)])),
        vocabulary=LessonVocabulary.of(quoted),
        taught_names=tuple(n for c in known for n in (c.name, *c.aliases)),
        two_names=frozenset(
            c.id for c in context.graph.concepts if other_names(c) and has_two_names(c, spoken)
        ),
        spoken=spoken,
        same_lesson=tuple(c for c in known if c.id not in context.taught_before),
    )


def _top_up(
    state: _ConceptItems,
    pool: list[tuple[Cite, str]],
    context: LessonContext,
    finder: MentionFinder,
    allowed: set[str],
    tiers: tuple[tuple[int, int, int], ...],
) -> list[QuestionDraft]:
    """Items from `pool` judged at each tier's level until the concept has that tier's number of
    items; they join state.own (marked loose) and are returned."""
    added: list[QuestionDraft] = []
    concept, own = state.concept, state.own
    for level, wanted, name_clozes in tiers:
        if len(own) >= wanted:
            continue
        # Only sentences no question asks about yet.
        asked = {sid for q in own for c in q.cites for sid in c.sentence_ids}
        rest = [(c, t) for c, t in pool if not set(c.sentence_ids) & asked]
        names_left = name_clozes - sum(q.fact.removeprefix(LOOSE_FACT).startswith("cloze:") for q in own)
        # Choices on its name so far, loosely judged ones too.
        name_mcqs = sum(q.fact.removeprefix(LOOSE_FACT).startswith("term:") for q in own)
        # A concept with several facts to ask about is tested on its name by the mcq alone.
        if name_clozes == MAX_NAME_CLOZES and sum("-fact-" in q.id for q in own) >= FACTS_FOR_NO_NAME_CLOZE:
            names_left = 0
        extra = _questions(
            concept,
            rest,
            replace(state.judge, level=level),
            context,
            finder,
            allowed,
            state.answerable,
            name_clozes=max(0, names_left),
            # A second choice on its name, on another sentence the lesson shows: a fair item in
            # place of the fill-ins on common words the vocabulary rules refuse.
            name_mcq=name_mcqs < MAX_NAME_MCQS,
            second_mcq=name_mcqs > 0,
            # More choices on sentences left over, not on last-resort ones (the least fair).
            extra_mcqs=0 if level == LAST_RESORT else max(0, MAX_NAME_MCQS - name_mcqs - 1),
        )
        # A loosely judged model answer is a ramble to learn from: short questions only as a
        # last resort, and one per concept at most.
        extra = [
            q
            for q in extra
            if q.kind != "short" or (level == LAST_RESORT and all(o.kind != "short" for o in own))
        ]
        # A difficulty the concept's questions lack first (a lesson's questions should span two).
        levels = {q.difficulty for q in own}
        extra.sort(key=lambda q: q.difficulty in levels)
        # Marked, so the placement quiz can prefer fairly judged items the lesson shows.
        taken = [q.model_copy(update={"fact": f"{LOOSE_FACT}{q.fact}"}) for q in extra[: wanted - len(own)]]
        own += taken
        added += taken
    return added


def _stems(statements: list[tuple[Cite, str]], asked: set[str]) -> list[tuple[Cite, str]]:
    """The statements short enough for a stem that no item of the lesson asks about yet."""
    return [
        (c, t) for c, t in statements if len(tokens(t)) <= MAX_STEM_WORDS and not set(c.sentence_ids) & asked
    ]


def _shown(
    statements: list[tuple[Cite, str]], read: frozenset[str], pattern: re.Pattern[str]
) -> list[tuple[Cite, str]]:
    """The statements the lesson quotes (all their sentences are in its blocks), clearest first."""
    return _clearest([s for s in statements if set(s[0].sentence_ids) <= read], pattern)


def _clearest(statements: list[tuple[Cite, str]], pattern: re.Pattern[str]) -> list[tuple[Cite, str]]:
    """The statements clearest first (whole, explaining, not chatty: speech.statement_score); their
    order among the concept's statements breaks ties."""
    ranked = sorted(enumerate(statements), key=lambda item: (-statement_score(item[1][1], pattern), item[0]))
    return [statement for _, statement in ranked]


def _spread_difficulty(items: list[QuestionDraft]) -> list[QuestionDraft]:
    """A concept's questions with a second mcq turned into a cloze when they all share one
    difficulty (a lesson's questions should span two; recalling the term is harder than picking it),
    or, when they share a harder one, its mcqs made the easy items."""
    mcqs = [i for i, q in enumerate(items) if q.kind == "mcq"]
    if len({q.difficulty for q in items}) > 1 or not mcqs or len(items) < 2:
        return items
    if len(mcqs) < len(items) and items[0].difficulty > 1:
        # The choices are the easier items: picking the term is easier than recalling one (all of
        # them, so one dropped at assembly as a repeat, QST005, leaves the spread).
        return [q.model_copy(update={"difficulty": 1}) if q.kind == "mcq" else q for q in items]
    last = items[mcqs[-1]]
    sentence = last.stem.split('"', 1)[1].rsplit('"', 1)[0]
    assert isinstance(last.answer, int)
    answer = last.options[last.answer]
    article, _, bare = answer.partition(" ")
    if bare and all(o.split(" ", 1)[0] in ("a", "an") for o in last.options):
        # The options took the article before the blank (agreement.Slot): the stem gets it back.
        sentence, answer = sentence.replace(BLANK, f"{article} {BLANK}", 1), bare
    cloze = last.model_copy(
        update={
            "id": last.id.replace("-mcq-", "-cloze-"),
            "kind": "cloze",
            "stem": f'Fill in the blank: "{sentence}"',
            "options": [],
            "answer": answer,
            "difficulty": 2,
            "fact": last.fact.replace("term:", "cloze:"),
        }
    )
    return [cloze if i == mcqs[-1] else q for i, q in enumerate(items)]


def _with_next(cite: Cite, text: str, context: LessonContext) -> tuple[Cite, str] | None:
    """(cite, text) grown by the next sentence of the same passage, or None (no next sentence,
    another speaker's, a question, or too long together)."""
    ref = context.sources.get(cite.sentence_ids[-1])
    if ref is None or ref.index + 1 >= len(ref.passage.sentences):
        return None
    following = ref.passage.sentences[ref.index + 1]
    if context.sources.opens_turn(following.id):
        return None  # another speaker's: the two would read as one speaker's claim
    after = trim_fillers(clean_lead(tidy(following.text).replace('"', "'")))
    if not after or after.rstrip().endswith("?") or len(tokens(text)) + len(tokens(after)) > LOOSE_MAX_WORDS:
        return None
    return Cite(episode=cite.episode, sentence_ids=[*cite.sentence_ids, following.id]), f"{text} {after}"


def _holds(name: str, concept: GraphConcept) -> bool:
    """True when `name` holds the concept's name and more words ("test time compute", "compute")."""
    own = {normal(w) for w in tokens(concept.name)}
    return own < {normal(w) for w in tokens(name)}


@dataclass(frozen=True)
class _Judge:
    """What judging one concept's candidate sentences needs."""

    pattern: re.Pattern[str]
    known: frozenset[str]
    # Words the concept's evidence repeats: a context a learner recognises.
    topical: frozenset[str]
    # Sentence ids the lesson quotes.
    read: frozenset[str]
    # Terms a fact cloze may blank, and words it may not (any concept's name).
    terms: tuple[str, ...] = ()
    avoid: frozenset[str] = frozenset()
    # Course wording of sentences whose source starts lower-case: a caption cut mid-sentence.
    fragments: frozenset[str] = frozenset()
    # Words in a third or more of the concept's statements ("model"): too general to blank.
    generic: frozenset[str] = frozenset()
    # Sentence ids of the lesson's first quote about the concept (its core idea).
    core: frozenset[str] = frozenset()
    # What the lesson quotes, for the lesson's own items (None: the lesson is not written yet, as
    # when the lesson stage asks which statements could carry an item): a fill-in then blanks
    # only a word the learner can recall (blanks.recallable), never a name with a second right
    # answer, and an option is never a second right answer.
    vocabulary: LessonVocabulary | None = None
    # Names and aliases of the concepts taught so far, and ids of concepts with another name.
    taught_names: tuple[str, ...] = ()
    # The course's technical terms (the graph's spare terms and the episodes' vocabulary).
    technical: tuple[str, ...] = ()
    two_names: frozenset[str] = frozenset()
    # The concepts the lesson teaches together.
    same_lesson: tuple[GraphConcept, ...] = ()
    # The talks' text in lower case (the episodes the lesson's concepts cite): how they use a word.
    spoken: str = ""

    def in_lesson(self, cite: Cite) -> bool:
        """True when the lesson quotes this passage."""
        return set(cite.sentence_ids) <= self.read

    # FAIR, or LOOSE / LAST_RESORT for a concept whose evidence gives too few fair items.
    level: int = 2

    @property
    def strict(self) -> bool:
        """True when judging fairness in full."""
        return self.level == FAIR

    def blankable(self, text: str, blanked: str) -> bool:
        """A clean sentence that explains and whose blank the rest of the sentence pins down."""
        loose = explains_score(text, self.pattern) > MIN_BLANK_EXPLAINS and _enough_context(
            blanked, self.pattern
        )
        if self.level == LAST_RESORT:
            # The rules before the fairness judgements: it explains and keeps some context.
            return loose and not garbled_words(text, self.known) and not leans_on_context(text)
        if not self.strict:
            # Longer and chattier, and pinned or at least about the concept.
            about = (
                pinned(blanked, BLANK, self.topical)
                or explains_score(text, self.pattern) >= MIN_CLAIM_EXPLAINS
            )
            return loose and reads_cleanly(text, self.known, loose=True) and about
        fair = reads_cleanly(text, self.known) and pinned(blanked, BLANK, self.topical)
        return loose and fair and text not in self.fragments

    def claim(self, text: str) -> bool:
        """A checkable statement about the concept (fit for true/false)."""
        # Never loosened: a remark judged "true" is the least fair item of all. No hedge or tic
        # at all, and not a caption that starts mid-sentence.
        # A clause about the concept is enough (a plain mention is not a list item or a
        # biography at 0); the statement rules are the same as for its subject.
        fair = is_assertion(text, self.pattern, self.known, MIN_TF_EXPLAINS)
        # A whole sentence with a few facts in it, not a caption cut short ("The algorithms and
        # the data flow and everything else.") nor a remark ("Sometimes people will say about X.").
        whole = is_complete(text) and "?" not in text and len(content_words(text)) >= MIN_CLAIM_CONTENT
        return fair and whole and not chatter(text) and text not in self.fragments and stands_alone(text)


def _questions(
    concept: GraphConcept,
    evidence: list[tuple[Cite, str]],
    judge: _Judge,
    context: LessonContext,
    finder: MentionFinder,
    allowed: set[str],
    answerable: list[tuple[Cite, str]],
    name_clozes: int = 1,
    name_mcq: bool = True,
    second_mcq: bool = False,
    extra_mcqs: int = 0,
) -> list[QuestionDraft]:
    """A concept's items from its evidence: a name mcq (`name_mcq`), fact clozes, at most
    `name_clozes` clozes on its name, up to `extra_mcqs` more name mcqs on the sentences left, a
    true and a false claim, and an "explain it back"."""
    items: list[QuestionDraft] = []
    pattern = judge.pattern
    # Course text shows the sentence without the speaker's opening "Yeah, so, I mean" and
    # inline fillers ("you know", "kind of", stutters); the citation keeps every word.
    evidence = [(cite, trim_fillers(clean_lead(text))) for cite, text in evidence]
    blanked = [
        (cite, text, b)
        for cite, text in evidence
        if (b := _blank_out(text, pattern))
        and judge.blankable(text, b)
        and named_as_itself(text, concept, pattern)
        and (judge.vocabulary is None or not gives_away(b, concept.name))
    ]
    pool = _fair_pool(concept, judge, context, finder, allowed)
    cid = concept.id
    used: list[Cite] = []
    # Checkable statements about the concept; the false twin takes its sentence before the other
    # items do (it must be a sentence no other item shows, and turnable claims are few).
    # Only what a speaker asserts: a host's set-up or a trailer clip judged "true" teaches a
    # view as fact, and its negation would be "false" about what nobody claimed.
    # Shown alone, a claim names no idea the learner meets only later ("Evolution can't bake your
    # algorithms into your weights" in the lesson before algorithms).
    claims = [
        e
        for e in evidence
        if judge.claim(e[1])
        and named_as_itself(e[1], concept, pattern)
        and _asserted(e, pattern, context)
        and finder.concepts_in(e[1]) <= allowed
    ]
    twin = _false_statement(concept, claims, judge, context, allowed)
    if twin is not None:
        used.append(twin[0])
        blanked = [b for b in blanked if not _overlaps(b[0], used)]
    # The mcq's options are canonical names, so it takes a sentence that writes the name in full
    # (one the lesson quotes first); the clozes take the rest in order.
    canonical = re.compile(rf"\b{re.escape(concept.name)}\b", re.IGNORECASE)
    # A second choice on the name only on a sentence about this concept alone: one naming another
    # idea is that idea's lesson's to ask about (QST005 drops the repeat, and that lesson's item).
    mcq_blanks = [i for i, b in enumerate(blanked) if not second_mcq or finder.concepts_in(b[1]) <= {cid}]
    ranked = sorted(
        mcq_blanks if name_mcq and len(pool) >= 2 else [],
        key=lambda i: (not canonical.search(blanked[i][1]), not judge.in_lesson(blanked[i][0]), i),
    )
    # The best sentence whose blank options can agree with (agreement.Slot).
    named = ((i, _name_mcq(concept, *blanked[i], pool, "term", judge.spoken, pattern)) for i in ranked)
    pick, mcq = next(((i, q) for i, q in named if q is not None), (None, None))
    if pick is not None and mcq is not None:
        used.append(blanked.pop(pick)[0])
        # Not the lesson's first quote on it: recognising the idea there is harder (and a
        # lesson's questions should span two difficulties).
        items.append(mcq.model_copy(update={"difficulty": 2}) if second_mcq else mcq)
    # Facts about the concept before its name again: a blank on the name of the lesson's own
    # concept is predictable from the lesson's title, so those stay a minority.
    for _ in range(MAX_FACT_CLOZES):
        fact = _fact_cloze(concept, evidence, judge, used, finder, allowed, context)
        if fact is None:
            break
        items.append(fact)
    fresh_blanks = [b for b in blanked if not _overlaps(b[0], used)]
    # A concept with several facts to ask about is tested on its name by the mcq alone.
    facts = sum("-fact-" in q.id for q in items)
    # A concept with another name ("weights" for "parameters") is asked about its name by mcqs
    # only: a fill-in on its name would accept one of its two right answers.
    two_names = judge.vocabulary is not None and concept.id in judge.two_names
    for cite, text, stem_text in fresh_blanks[: 0 if facts >= FACTS_FOR_NO_NAME_CLOZE else name_clozes]:
        used.append(cite)
        if two_names:
            # Its name with options, so the learner picks the idea rather than one of its names.
            choice = _name_mcq(concept, cite, text, stem_text, pool, "cloze", judge.spoken, pattern)
            items += [choice] if choice is not None else []
            continue
        # A blank after a bare preposition ("demand for _____") takes other nouns as well: options
        # single the answer out where the pool allows (a small course's may not; the lesson's own
        # name then stays the likeliest fill).
        if judge.vocabulary is not None and open_slot(stem_text, BLANK):
            choice = _name_mcq(concept, cite, text, stem_text, pool, "cloze", judge.spoken, pattern)
            if choice is not None:
                items.append(choice)
                continue
        items.append(
            QuestionDraft(
                id=f"{cid}-cloze-{_digest(*cite.sentence_ids)}",
                concept=cid,
                kind="cloze",
                stem=f'Fill in the blank: "{stem_text}"',
                answer=_as_written(text, pattern, concept.name),
                explanation=f'The source says: "{text}"',
                cites=[cite],
                bloom="remember",
                difficulty=2,
                fact=f"cloze:{','.join(cite.sentence_ids)}",
            )
        )
    items += _spare_mcqs(concept, blanked, used, pool, judge, finder, extra_mcqs, set(context.taught_before))
    items += _true_false(concept, claims, twin, used)
    short = _explain_back(concept, answerable, judge)
    if short is not None:
        items.append(short)
    # Items on sentences the lesson quotes first: they test what the learner has just read.
    return sorted(items, key=lambda q: not judge.in_lesson(q.cites[0]))


def _spare_mcqs(
    concept: GraphConcept,
    blanked: list[tuple[Cite, str, str]],
    used: list[Cite],
    pool: list[str],
    judge: _Judge,
    finder: MentionFinder,
    count: int,
    earlier: set[str],
) -> list[QuestionDraft]:
    """Up to `count` more choices on the concept's name, one per blankable sentence no item took,
    each naming no other idea but those taught in `earlier` lessons (an idea taught alongside or
    later is its own lesson's to ask about): a good sentence left over once the facts and
    fill-ins are made still carries a fair item."""
    items: list[QuestionDraft] = []
    for cite, text, stem_text in blanked:
        if len(items) >= count or len(pool) < 2:
            break
        if _overlaps(cite, used) or not finder.concepts_in(text) <= earlier | {concept.id}:
            continue
        choice = _name_mcq(concept, cite, text, stem_text, pool, "term", judge.spoken, judge.pattern)
        if choice is not None:
            used.append(cite)
            items.append(choice.model_copy(update={"difficulty": 2}))
    return items


def _fair_pool(
    concept: GraphConcept, judge: _Judge, context: LessonContext, finder: MentionFinder, allowed: set[str]
) -> list[str]:
    """The distractor pool of a written lesson's item on `concept`: never a second right answer (a
    name of an idea taught alongside, or one the talks name with it: "machine learning" fits
    "useful in _____ to focus on things" as well as "neural networks" does), and only nouns."""
    pool = _distractor_pool(concept, context, finder, allowed)
    if judge.vocabulary is None:
        return pool
    by_id = {c.id: c for c in context.graph.concepts}
    # Its prerequisites and the ideas said in the same breath fit the same sentences.
    near = [by_id[i] for i in [*concept.prerequisites, *concept.related] if i in by_id]
    return [
        name
        for name in pool
        if fair_distractor(name, concept, (*judge.same_lesson, *near))
        # A term that is no concept's name may be a verb or an adjective ("induce", "sparse").
        and (finder.concepts_in(name) or noun_like(name, judge.spoken))
    ]


def _name_mcq(
    concept: GraphConcept,
    cite: Cite,
    text: str,
    stem_text: str,
    pool: list[str],
    fact: str,
    spoken: str,
    pattern: re.Pattern[str],
) -> QuestionDraft | None:
    """Which of four names completes the statement, the right one as the sentence writes it
    ("neural nets": an option must be in the quote); `fact` is "term" for the concept's first
    one and "cloze" for one standing in for a fill-in on its name (so top-ups count it as one)."""
    qid = f"{concept.id}-mcq-{_digest(*cite.sentence_ids)}"
    return _completion_mcq(
        qid,
        concept,
        cite,
        f'Which term completes the statement? "{stem_text}"',
        _as_written(text, pattern, concept.name),
        pool,
        text,
        difficulty=1 if fact == "term" else 2,
        fact=f"{fact}:{','.join(cite.sentence_ids)}",
        spoken=spoken,
    )


def _completion_mcq(
    qid: str,
    concept: GraphConcept,
    cite: Cite,
    stem: str,
    answer: str,
    pool: list[str],
    text: str,
    difficulty: int,
    fact: str,
    spoken: str = "",
) -> QuestionDraft | None:
    """A "which term completes the statement" item: `answer` among three of `pool`, its length rank
    spread by the item's id and its position by the lesson's rota (neither gives it away), every
    option in the blank's grammar (agreement.Slot): the answer's number, and the article before
    the blank taken into the options ("mostly _____ problem": "an inference", "a token"). None when
    fewer than three distractors agree, the stem has an article before one of several blanks, or
    it spells the answer's start (blanks.hints_at). `spoken` is the talks' text (an inflected
    form they say is a word)."""
    slot = slot_of(stem, answer)
    # The quoted statement only: "Which term completes ..." is the same for every answer.
    quoted = stem.split('"', 1)[-1].replace(BLANK, " ")
    if slot is None or hints_at(quoted, answer):
        return None
    fitted = [name for name in fitted_options(pool, slot, spoken) if name.lower() != answer.lower()]
    if len(fitted) < 3:
        return None
    distractors = _distractors(fitted, answer, 3, _digest(qid, "length"))
    # The answer first here; its lesson's rota places it (_answer_rota).
    options, index = [answer, *distractors], 0
    if slot.article and modifies_next_word(stem):
        stem = either_article(stem)
    elif slot.article:
        stem = without_article(stem)
        options = [with_article(option) for option in options]
    return QuestionDraft(
        id=qid,
        concept=concept.id,
        kind="mcq",
        stem=stem,
        options=options,
        answer=index,
        explanation=f'The source says: "{text}"',
        cites=[cite],
        bloom="remember",
        difficulty=difficulty,
        fact=fact,
    )


def _true_false(
    concept: GraphConcept,
    claims: list[tuple[Cite, str]],
    twin: tuple[Cite, str, str] | None,
    used: list[Cite],
) -> list[QuestionDraft]:
    """A true claim and the false twin of another (see _false_statement). A concept whose only
    claim can be turned gets the false item: most claims cannot be turned (a chain of clauses, a
    word like "only"), so this keeps a course's true and false items roughly balanced."""
    trues = [e for e in claims if twin is None or not _overlaps(e[0], [twin[0]])]
    # One not already asked about first; a claim another item blanked is still worth judging.
    trues = [e for e in trues if not _overlaps(e[0], used)] + [e for e in trues if _overlaps(e[0], used)]
    items: list[QuestionDraft] = []
    for cite, text in _distinct(trues)[:MAX_TRUE_CLAIMS]:
        used.append(cite)
        items.append(
            QuestionDraft(
                id=f"{concept.id}-tf-{_digest(*cite.sentence_ids)}",
                concept=concept.id,
                kind="true_false",
                stem=text,
                answer=True,
                explanation=f"True: this is what the source says about {concept.name}.",
                cites=[cite],
                bloom="understand",
                difficulty=2,
                fact=f"tf-true:{','.join(cite.sentence_ids)}",
            )
        )
    if twin is not None:
        cite, text, wrong = twin
        items.append(
            QuestionDraft(
                id=f"{concept.id}-tff-{_digest(*cite.sentence_ids)}",
                concept=concept.id,
                kind="true_false",
                stem=wrong,
                answer=False,
                # Why it is false, in the source's words (the validators check the true form here).
                explanation=f'False. What was said: "{text}"',
                cites=[cite],
                bloom="understand",
                difficulty=3,
                fact=f"tf-false:{','.join(cite.sentence_ids)}",
            )
        )
    return items


def _turned_by_options(items: list[QuestionDraft]) -> list[QuestionDraft]:
    """The items with true claims turned false where a choice on the same sentence offers a wrong
    option (a choice on any of the lesson's ideas), until the lesson's false items are as many as
    its true ones (a lesson's lone true claim turns or not by its hash, so the course's come out
    about even).

    Most claims cannot be negated (a chain of clauses, "only", no verb to turn), so true items
    outnumbered false ones 20 to 2 on the seed course and answering "true" always scored 91%. A
    choice's wrong options are checked not to fit its sentence (MCQ009), so the sentence with one
    of them in the answer's place is a claim the source does not make.
    """
    choices = {
        cited_sentences(q): q for q in items if q.kind == "mcq" and isinstance(q.answer, int) and q.options
    }
    trues = sum(q.kind == "true_false" and q.answer is True for q in items)
    falses = sum(q.kind == "true_false" and q.answer is False for q in items)
    turned: list[QuestionDraft] = []
    for question in items:
        choice = choices.get(cited_sentences(question))
        lone = trues == 1 and falses == 0 and int(_digest(question.id), 16) % 2 == 1
        if question.kind != "true_false" or question.answer is not True or choice is None:
            turned.append(question)
            continue
        wrong = _with_wrong_option(question.stem, choice) if falses < trues - 1 or lone else None
        if wrong is None:
            turned.append(question)
            continue
        trues, falses = trues - 1, falses + 1
        turned.append(
            question.model_copy(
                update={
                    "id": question.id.replace("-tf-", "-tff-", 1),
                    "stem": wrong,
                    "answer": False,
                    # Why it is false, in the source's words (the validators check the true form).
                    "explanation": f'False. Actually: "{question.stem}"',
                    "difficulty": 3,
                    "fact": question.fact.replace("tf-true:", "tf-false:", 1),
                }
            )
        )
    return turned


def cited_sentences(question: QuestionDraft) -> tuple[str, ...]:
    """Every sentence id the question cites, in order: what it quotes."""
    return tuple(sid for cite in question.cites for sid in cite.sentence_ids)


def _with_wrong_option(text: str, choice: QuestionDraft) -> str | None:
    """The statement with the choice's right option replaced, wherever it is written, by one of
    its wrong ones (picked by the choice's id), or None when the statement does not write the
    right option or says too little to judge (fewer than MIN_TURNED_CONTENT content words)."""
    assert isinstance(choice.answer, int)
    # Counted as the support check counts them (CIT009 reads the explanation's "False" as one more
    # word the quote lacks, allowed from four words on).
    if len(set(checked_words(text))) < MIN_TURNED_CONTENT:
        return None
    right = choice.options[choice.answer]
    wrong = [option for i, option in enumerate(choice.options) if i != choice.answer]
    pattern = re.compile(rf"\b{re.escape(right)}\b", re.IGNORECASE)
    if not pattern.search(text) or not wrong:
        return None
    option = wrong[int(_digest(choice.id, "false"), 16) % len(wrong)]
    return pattern.sub(lambda m: option[:1].upper() + option[1:] if m.start() == 0 else option, text)


def _distinct(statements: list[tuple[Cite, str]]) -> list[tuple[Cite, str]]:
    """The statements that share no sentence with an earlier one (a widened statement holds the
    sentence before it)."""
    kept: list[tuple[Cite, str]] = []
    for statement in statements:
        if not _overlaps(statement[0], [c for c, _ in kept]):
            kept.append(statement)
    return kept


def _asserted(statement: tuple[Cite, str], pattern: re.Pattern[str], context: LessonContext) -> bool:
    """True when a speaker asserts the statement (see assertions.AssertionIndex.flaw)."""
    cite, text = statement
    episode = context.sources.episodes.get(cite.episode)
    if episode is None:
        return not reported_view(text, pattern)
    # A garble is judged by the claim rules (judge.claim reads the course wording, fillers cut).
    return episode_index(episode).flaw(cite.sentence_ids, text, pattern) in (None, GARBLED)


def _overlaps(cite: Cite, used: list[Cite]) -> bool:
    """True when a cite shares a sentence with one already asked about (a widened statement holds
    the sentence before it, which may be a statement of its own)."""
    taken = {sid for c in used for sid in c.sentence_ids}
    return bool(taken & set(cite.sentence_ids))


def _fact_cloze(
    concept: GraphConcept,
    evidence: list[tuple[Cite, str]],
    judge: _Judge,
    used: list[Cite],
    finder: MentionFinder,
    allowed: set[str],
    context: LessonContext,
) -> QuestionDraft | None:
    """A cloze on a fact about the concept rather than its name: a sentence about it (one the
    lesson quotes first) with an idea taught here or earlier, a term, a number or a word its
    evidence repeats blanked out. A sentence with no such word may take the one after it, which
    often says what the first one claims ("They don't have X. You can't just tell them ..."), or
    the one before it, which often sets the scene."""
    grown = (
        (e[0], c) for e in evidence for c in (e, _with_next(*e, context), with_previous(*e, context)) if c
    )
    for base, (cite, text) in grown:
        # A sentence the lesson shows grows only into one it shows too: the learner read the fact.
        if _overlaps(cite, used) or (judge.in_lesson(base) and not judge.in_lesson(cite)):
            continue
        found = _fact_blank(text, concept, judge, finder, allowed)
        if found is None:
            continue
        word, stem_text = found
        # A blank after a bare preposition ("a level of demand for _____") takes other words as
        # well: a taught idea there is picked from options, anything else is no fair fill-in.
        open_ = judge.vocabulary is not None and open_slot(stem_text, BLANK)
        named = sorted(finder.concepts_in(word) & (allowed if open_ else judge.two_names) - {concept.id})
        if open_ and not named:
            continue
        if named:
            # Another idea with two names ("weights", "parameters"): the learner picks it from
            # options rather than recalling one of its names.
            fact_mcq = _fact_mcq(
                concept, named[0], word, cite, text, stem_text, judge, context, finder, allowed
            )
            if fact_mcq is None:
                continue
            used.append(cite)
            return fact_mcq
        used.append(cite)
        return QuestionDraft(
            id=f"{concept.id}-fact-{_digest(*cite.sentence_ids, word)}",
            concept=concept.id,
            kind="cloze",
            stem=cloze_stem(f"Fill in the blank about {concept.name}", stem_text, word),
            answer=word,
            explanation=f'The source says: "{text}"',
            cites=[cite],
            bloom="remember",
            difficulty=2,
            fact=f"fact:{word.lower()}:{','.join(cite.sentence_ids)}",
        )
    return None


def _fact_mcq(
    concept: GraphConcept,
    other_id: str,
    written: str,
    cite: Cite,
    text: str,
    stem_text: str,
    judge: _Judge,
    context: LessonContext,
    finder: MentionFinder,
    allowed: set[str],
) -> QuestionDraft | None:
    """Which of four ideas completes a statement about the concept, the blank naming `other_id`
    (taught here or earlier); options are fair ones for that idea (blanks.fair_distractor)."""
    other = next(c for c in context.graph.concepts if c.id == other_id)
    pool = [
        name
        for name in _fair_pool(other, judge, context, finder, allowed)
        if name.lower() != concept.name.lower()
    ]
    if len(pool) < 3:
        return None
    qid = f"{concept.id}-fact-{_digest(*cite.sentence_ids, other.name)}"
    # The idea as the sentence writes it ("weights"): an option must be in the quote.
    return _completion_mcq(
        qid,
        concept,
        cite,
        f'Which term completes the statement about {concept.name}? "{stem_text}"',
        written,
        pool,
        text,
        # Picking the idea among four, as a choice on the name is (a fill-in is the harder item).
        difficulty=1,
        fact=f"fact:{other.name.lower()}:{','.join(cite.sentence_ids)}",
        spoken=judge.spoken,
    )


def _fact_blank(
    text: str, concept: GraphConcept, judge: _Judge, finder: MentionFinder, allowed: set[str]
) -> tuple[str, str] | None:
    """(word, stem) of a fill-in on a fact about the concept in this sentence, or None: it reads
    cleanly, is about the concept, and a word fit to recall is pinned down by the rest."""
    if not reads_cleanly(text, judge.known, loose=not judge.strict) or text in judge.fragments:
        return None
    if explains_score(text, judge.pattern) < MIN_FACT_EXPLAINS:
        return None  # the sentence must be about the concept, so the fact is one of its facts
    if judge.vocabulary is not None:
        word = _lesson_word(text, concept, judge, finder, allowed)
    else:
        word = _taught_mention(text, concept, finder, allowed) or _recallable_word(text, concept, judge)
    if word is None:
        return None
    target = re.compile(rf"\b{re.escape(word)}\b", re.I)
    if re.search(rf"\b{re.escape(word)}\s+(?:up|down|out|off|over|around)\b", text, re.I):
        return None  # a phrasal verb ("crank up"): an idiom, not a fact
    stem_text = target.sub(BLANK, text, count=1)
    if not _enough_context(stem_text, judge.pattern) or _VERB_SLOT.search(stem_text.split(BLANK)[0]):
        return None
    if judge.vocabulary is not None and _VERB_SLOT_AFTER_ADVERB.search(stem_text.split(BLANK)[0]):
        return None
    if judge.strict and not pinned(stem_text, BLANK, judge.topical):
        return None
    return word, stem_text


# A blank right after a modal, "to" or a subject pronoun holds a verb ("can we _____", "will
# _____ spontaneously"): an action word is no fact to recall, and many verbs fit.
_BEFORE_A_VERB = (
    r"\b(?:can|could|will|would|should|must|may|might|to|i|you|we|they|he|she|it|don't|doesn't|didn't)"
)
_VERB_SLOT = re.compile(_BEFORE_A_VERB + r"\s*$", re.I)
# The same with an adverb between ("it just _____ patterns"): the slot is still a verb's.
_VERB_SLOT_AFTER_ADVERB = re.compile(
    _BEFORE_A_VERB + r"\s+(?:just|also|only|really|actually|still|even|never|always|then)\s*$", re.I
)


def _recallable_word(text: str, concept: GraphConcept, judge: _Judge) -> str | None:
    """A term of the course, a number, a word the concept's evidence repeats (rarer than everyday
    English: "models", "things" are not facts) or a distinctive technical word; never a name
    written with a capital ("OpenAI"): who said or built what is trivia, not the idea."""
    word = _other_word(text, concept, list(judge.terms), judge.avoid | judge.generic, judge.topical)
    if word is None:
        return None
    written = re.search(rf"\b{re.escape(word)}\b", text, re.I)
    if word not in judge.terms and written and not written.group(0).islower():
        return None
    repeated = normal(word) in judge.topical and zipf(word) < MAX_FACT_ZIPF
    distinctive = zipf(word) <= MAX_DISTINCTIVE_ZIPF
    return word if word in judge.terms or repeated or distinctive or _NUMBER_FACT.fullmatch(word) else None


def _lesson_word(
    text: str, concept: GraphConcept, judge: _Judge, finder: MentionFinder, allowed: set[str]
) -> str | None:
    """What a fill-in on a written lesson's sentence blanks: another taught idea (_taught_mention;
    one with two names becomes an mcq, see _fact_cloze), else a term or word the learner can
    recall (blanks.recallable) that the sentence writes once in lower case and that is no word of
    any concept's name."""
    assert judge.vocabulary is not None
    taught = _taught_mention(text, concept, finder, allowed)
    if taught is not None and not _inside_term(text, taught, judge.technical):
        return taught
    lowered = text.lower()
    # A cheap substring test first: the course's vocabulary is long, a sentence short.
    candidates = [t for t in judge.technical if t in lowered and not set(t.split()) & judge.avoid]
    # A lone word as for cards (_other_word): no adverb, verb form or vague noun ("naively").
    candidates += sorted(
        {
            w
            for w in content_words(text)
            if w not in judge.avoid
            and w not in judge.generic
            and w not in _WEAK_WORDS
            and len(w) > 4
            and "'" not in w
            and not w.endswith(_WEAK_ENDINGS)
        },
        key=lambda w: (zipf(w), w),
    )
    for word in candidates:
        written = re.findall(rf"\b{re.escape(word)}\b", text, re.I)
        if len(written) != 1 or not written[0].islower() or word.lower() not in lowered:
            continue
        if recallable(word, judge.technical, judge.taught_names, judge.vocabulary):
            return str(written[0])
    return None


def _inside_term(text: str, word: str, terms: tuple[str, ...]) -> bool:
    """True when the word is part of a longer technical term the sentence writes ("compute" in
    "test time compute"): the blank would ask for a piece of another idea's name."""
    longer = [t for t in terms if len(t) > len(word) and re.search(rf"\b{re.escape(word)}\b", t, re.I)]
    return any(re.search(rf"\b{re.escape(t)}\b", text, re.I) for t in longer)


def _taught_mention(text: str, concept: GraphConcept, finder: MentionFinder, allowed: set[str]) -> str | None:
    """Another idea taught in this lesson or earlier, as the sentence names it once: a blank on it
    tests how the two ideas meet. Never a name sharing a word with the concept's, nor a mention
    inside a longer name or overlapping the concept's own."""
    own_words = {normal(w) for n in (concept.name, *concept.aliases) for w in tokens(n)}
    spans = [m.span() for m in finder.pattern(concept.id).finditer(text)]
    named = finder.concepts_in(text)
    for other in sorted(named & allowed - {concept.id}):
        hits = list(finder.pattern(other).finditer(text))
        if len(hits) != 1 or {normal(w) for w in tokens(hits[0].group(0))} & own_words:
            continue
        start, end = hits[0].span()
        if any(a < end and start < b for a, b in spans):
            continue
        # A longer concept named around it ("test time compute" around "compute") is that concept.
        longer = [
            p
            for p in named - {other}
            if any(
                m.start() <= start and end <= m.end() and (m.end() - m.start()) > end - start
                for m in finder.pattern(p).finditer(text)
            )
        ]
        if not longer and len(tokens(hits[0].group(0))) <= 4:
            return hits[0].group(0)
    return None


def _explain_back(
    concept: GraphConcept, answerable: list[tuple[Cite, str]], judge: _Judge
) -> QuestionDraft | None:
    """ "Explain it back": the model answer opens on the lesson's core quote about the concept (what
    the learner read first) and adds its best explaining statement, trimmed of fillers; the
    explanation names the words that explain the concept; a concept without an explaining
    statement gets no short question."""
    pattern = judge.pattern
    # Whole statements with enough content that say what the concept is or does, no talk about
    # the conversation; the lesson's own quotes, then those about the concept's context, first.
    answers = [
        e
        for e in answerable
        if _explains_enough(e[1], pattern) and substantive(e[1], judge.known, strict=True)
    ]
    if judge.vocabulary is not None:
        # A model answer opens on a sentence saying what the idea is or does; a second one that
        # only names it ("there's always trade-offs") explains nothing either.
        answers = [e for e in answers if _opens_on_concept(e[1], concept, judge)]
    answers.sort(
        key=lambda e: (
            # What the learner read first, when the lesson is written.
            judge.vocabulary is not None and not judge.in_lesson(e[0]),
            -(explains_score(e[1], pattern) + statement_score(e[1], pattern) + _context_share(e[1], judge)),
            not judge.in_lesson(e[0]),
        )
    )
    core = next(
        (
            e
            for e in answerable
            if set(e[0].sentence_ids) <= judge.core
            and _fit_core(e[1], judge)
            # A wish or a scene ("If you had to release ...") says what the idea would be, not is.
            and (
                judge.vocabulary is None
                or (_opens_on_concept(e[1], concept, judge) and substantive(e[1], judge.known, strict=True))
            )
        ),
        None,
    )
    # It opens on a sentence about the concept (it is or does something), else there is none.
    opening = MIN_CLAIM_EXPLAINS if judge.strict else 0.0
    if core is None and (not answers or explains_score(answers[0][1], pattern) < opening):
        return None
    first = core or answers[0]
    picked = [first]
    extra = next(
        (
            e
            for e in answers
            if e[0] != first[0]
            and not set(e[0].sentence_ids) & set(first[0].sentence_ids)
            and _is_claim(e[1], pattern, MIN_CLAIM_SCORE + 1)
            and "?" not in e[1]
            and _continues(first[1], e[1], judge)
        ),
        None,
    )
    length = len(tokens(first[1])) + (len(tokens(extra[1])) if extra else 0)
    if extra is not None and length <= MAX_MODEL_ANSWER_WORDS:
        picked.append(extra)
    cite = picked[0][0]
    sentences = [trim_fillers(t) for _, t in picked]
    model_answer = " ".join(t if t.rstrip().endswith((".", "!", "?")) else t + "." for t in sentences)
    points = key_points(model_answer, concept.name, topical=judge.topical - judge.generic)
    covers = f", touching on {_listed(points)}" if points else ""
    return QuestionDraft(
        id=f"{concept.id}-short-{_digest(*cite.sentence_ids)}",
        concept=concept.id,
        kind="short",
        stem=(
            f"Explain {concept.name} in your own words, as if to a friend new to the field: "
            f"what is it about, and why does it matter?"
        ),
        answer=model_answer,
        explanation=f"A good answer says what {concept.name} is or does{covers}, in plain words.",
        cites=[c for c, _ in picked],
        bloom="understand",
        difficulty=3,
        fact=f"explain:{','.join(cite.sentence_ids)}",
    )


def _opens_on_concept(text: str, concept: GraphConcept, judge: _Judge) -> bool:
    """True when a model answer's first sentence explains the concept (blanks.explains_opening)
    and names no other technical idea before it: "when you run linear regression you have a small
    gradient descent optimizer that ..." explains linear regression's optimizer, and a good answer
    about gradient descent would be graded on that idea's words."""
    own = {normal(w) for n in (concept.name, *concept.aliases) for w in tokens(n)}
    others = [n for n in (*judge.technical, *judge.taught_names) if not {normal(w) for w in tokens(n)} & own]
    return explains_opening(text, judge.pattern) and not names_another_first(text, judge.pattern, others)


def _fit_core(text: str, judge: _Judge) -> bool:
    """True when the lesson's core quote can open a model answer: a statement naming the concept
    with some content, no talk about the conversation, nothing pointing back at earlier talk."""
    return (
        _is_claim(text, judge.pattern)
        and "?" not in text
        and substantive(text, judge.known)
        and not leans_on_context(trim_fillers(text))
        and len(content_words(text)) >= MIN_ANSWER_CONTENT
    )


def _continues(first: str, extra: str, judge: _Judge) -> bool:
    """True when a second model-answer sentence stays on the first one's subject: it shares a word
    with it besides the concept's name, and holds words the concept's evidence repeats."""
    name = {normal(w) for w in content_words(judge.pattern.sub(" ", first))}
    shared = name & {normal(w) for w in content_words(judge.pattern.sub(" ", extra))}
    return bool(shared) and _context_share(extra, judge) >= MIN_EXTRA_CONTEXT


def _context_share(text: str, judge: _Judge) -> float:
    """How many words the concept's evidence repeats (not the generic ones) a sentence holds, up to
    three: a sentence full of one-off words ("metro areas") is about something else."""
    words = {normal(w) for w in content_words(text)}
    return float(min(3, len(words & (judge.topical - judge.generic))))


def _listed(words: list[str]) -> str:
    """ "a, b and c"."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _enough_context(blanked: str, pattern: re.Pattern[str]) -> bool:
    """True when a blanked stem keeps enough content words to point at its answer."""
    rest = pattern.sub(" ", blanked.replace(BLANK, " "))
    return len(content_words(rest)) >= MIN_BLANK_CONTEXT


def _explains_enough(text: str, pattern: re.Pattern[str]) -> bool:
    """True for a sentence fit to be a model answer: a clear claim with enough content that says
    something about the concept (not a list item, not a biography)."""
    return (
        _is_claim(text, pattern)
        and len(content_words(text)) >= MIN_ANSWER_CONTENT
        and explains_score(text, pattern) >= 0.0
    )


# The verbs a claim's main clause may turn on, positive and negated.
_AUX = re.compile(
    r"\b(?:is|are|was|were|can|will|should)\b(?!\s+not\b)|"
    r"\b(?:isn't|aren't|wasn't|weren't|can't|cannot|won't|shouldn't|don't|doesn't|didn't)\b|"
    r"\b(?:is|are|was|were|will|should|do|does|did)\s+not\b|"
    # "have" as the main verb ("They have a ..."), not an auxiliary ("have been", "have to").
    r"\b(?:have|has)\b(?=\s+(?:a|an|the|this|these|that|those|more|much|\d)\b)",
    re.IGNORECASE,
)
_NEGATED = re.compile(r"\b(?:not|never|no|none|nothing|nobody|neither|nor|cannot|without)\b|n't\b", re.I)
_NEGATIONS = {
    "can": "cannot",
    "will": "will not",
    "should": "should not",
    "have": "do not have",
    "has": "does not have",
}
_AFFIRMED = {"can't": "can", "cannot": "can", "won't": "will", "shouldn't": "should", "don't": "do"}
# Words whose scope a negation changes rather than reverses: "X is not only Y" may still be true.
_SCOPED = re.compile(
    r"\b(?:only|just|always|all|every|everything|necessarily|merely|simply|entirely|fully|completely|"
    r"exactly|mostly|most|many|some|often|sometimes|usually|too|either|both)\b",
    re.I,
)
# Softeners next to the verb that a negated twin drops: "X can also do Y" → "X cannot do Y" is
# as false as the original is true; "X cannot also do Y" reads as if something else were denied.
_SOFTENER = re.compile(r"\b(?:just|really|also|even|actually)\s+", re.I)
# Before the main verb: a subject, no clause of its own ("If ...", "..., which ...").
_SUBORDINATE = re.compile(
    r",|\b(?:if|when|whether|because|since|while|although|though|that|which|who|whom|whose|where|"
    r"what|why|how|as)\b",
    re.I,
)


def _negate(text: str) -> str | None:
    """The claim with its one main verb turned ("X is" → "X is not", "can" → "cannot", and the
    reverse: "don't" → "do", "isn't" → "is"), without softeners ("just", "also").

    Only the verb of the main clause after a plain subject (others only in clauses hanging off
    it), and no word whose scope a negation would change ("only", "always", "some"): then the
    twin says the opposite.
    """
    text = re.sub(r"\s{2,}", " ", _SOFTENER.sub("", text))
    verbs = list(_AUX.finditer(text))
    if not verbs or _SCOPED.search(text):
        return None
    verb = verbs[0]
    # Other verbs only inside a clause that hangs off the main one ("... will emerge if the model
    # is ..."): a second main clause ("X is ... and Y is ...") may keep the whole claim true.
    if any(not _SUBORDINATE.search(text[verb.end() : other.start()]) for other in verbs[1:]):
        return None
    subject = text[: verb.start()]
    if not tokens(subject) or _SUBORDINATE.search(subject):
        return None
    if re.match(r"\s*(?:[,.;:!?]|$)", text[verb.end() :]):
        return None  # "... how big a step is, ...": the verb closes a clause inside the sentence
    word = verb.group(0)
    lowered = word.lower()
    if lowered.endswith("n't") or lowered == "cannot" or lowered.endswith(" not"):
        if len(_NEGATED.findall(text)) != 1:
            return None  # another negation: the reversed claim would still deny something
        turned = _AFFIRMED.get(lowered) or (lowered[:-3] if lowered.endswith("n't") else lowered.split()[0])
    elif _NEGATED.search(text):
        return None
    else:
        turned = _NEGATIONS.get(lowered, f"{lowered} not")
    if word[:1].isupper():
        turned = turned[:1].upper() + turned[1:]
    return text[: verb.start()] + turned + text[verb.end() :]


_FIGURE = re.compile(r"(?<![\w.,])(\d{1,3})(?=\s*(?:x\b|%|times\b|percent\b|million\b|billion\b|trillion\b))")


def _wrong_figure(text: str) -> str | None:
    """The statement with its one quantity off by a factor of ten ("10 times" → "100 times")."""
    figures = list(_FIGURE.finditer(text))
    if len(figures) != 1:
        return None
    figure = figures[0]
    return text[: figure.start()] + str(int(figure.group(1)) * 10) + text[figure.end() :]


def _swap_candidate(
    concept: GraphConcept, text: str, context: LessonContext, allowed: set[str]
) -> str | None:
    """A concept of the same kind the learner has met whose own definition shares the most
    content words with the statement: swapping it in gives a plausible, false claim."""
    words = set(content_words(text)) - {w.lower() for w in tokens(concept.name)}
    named = finder_for(context.graph).concepts_in(text)
    own = {normal(w) for n in (concept.name, *concept.aliases) for w in tokens(n)}
    best: tuple[int, int, str] | None = None
    for other in context.graph.concepts:
        if other.id == concept.id or other.id not in allowed:
            continue
        if {normal(w) for w in tokens(other.name)} & own or other.id in named:
            continue
        overlap = len(words & set(content_words(other.definition + " " + other.name)))
        same_kind = int(other.kind == concept.kind)
        # Another kind of idea must share more context to make a plausible twin.
        if overlap >= MIN_SWAP_OVERLAP + 1 - same_kind:
            key = (same_kind, overlap, other.name)
            if best is None or key[:2] > best[:2]:
                best = key
    return best[2] if best else None


def _false_statement(
    concept: GraphConcept,
    claims: list[tuple[Cite, str]],
    judge: _Judge,
    context: LessonContext,
    allowed: set[str],
) -> tuple[Cite, str, str] | None:
    """(cite, true statement, false twin): a negated claim, else a quantity off by ten, else the
    concept swapped for a related concept of the same kind. Only checkable claims are turned: a
    negated remark is no clearer than the remark."""
    pattern = judge.pattern
    # Naming the concept once (a swap or negation of a fragment is noise), with enough words that
    # the explanation's quote shows why.
    candidates = [
        b for b in claims if len(pattern.findall(b[1])) == 1 and len(content_words(b[1])) >= MIN_FALSE_CONTENT
    ]
    for cite, text in candidates:
        negated = _negate(text)
        if negated is not None:
            return cite, text, negated
    for cite, text in candidates:
        changed = _wrong_figure(text)
        if changed is not None:
            return cite, text, changed
    for cite, text in candidates:
        # A swap only where the sentence is about this concept alone (its subject).
        if explains_score(text, pattern) < MIN_CLAIM_EXPLAINS:
            continue
        other = _swap_candidate(concept, text, context, allowed)
        if other is not None:
            return cite, text, pattern.sub(other, text)
    return None


def window(text: str, target: re.Pattern[str], max_words: int = MAX_CARD_WORDS) -> str | None:
    """The clause(s) of a sentence around a match, at most `max_words` words (… marks a cut)."""
    match = target.search(text)
    if match is None:
        return None
    if len(text.split()) <= max_words:
        return text
    # Clauses end at , ; : or a dash; grow outwards from the clause holding the match.
    bounds = [0] + [m.end() for m in re.finditer(r"[,;:]\s+|\s+[-–—]\s+", text)] + [len(text)]
    index = max(i for i in range(len(bounds) - 1) if bounds[i] <= match.start())
    lo, hi = index, index + 1
    while True:
        grown = False
        for new_lo, new_hi in ((lo, hi + 1), (lo - 1, hi)):
            if (
                new_lo >= 0
                and new_hi < len(bounds)
                and len(text[bounds[new_lo] : bounds[new_hi]].split()) <= max_words
            ):
                lo, hi, grown = new_lo, new_hi, True
                break
        if not grown:
            break
    piece = text[bounds[lo] : bounds[hi]].strip(" ,;:-–—")
    words = piece.split()
    if len(words) > max_words:
        # One long clause: a word window centred on the match.
        before = len(text[bounds[lo] : match.start()].split())
        start = max(0, min(before - max_words // 2, len(words) - max_words))
        piece = " ".join(words[start : start + max_words])
        if not target.search(piece):
            return None
        lo_cut, hi_cut = start > 0, start + max_words < len(words)
    else:
        lo_cut, hi_cut = lo > 0, hi < len(bounds) - 1
    return ("… " if lo_cut else "") + piece + (" …" if hi_cut else "")


def _window_with_both(text: str, target: re.Pattern[str], concept: re.Pattern[str]) -> str | None:
    """A clause window holding the deletion and the concept's name, so the card is about the concept."""
    piece = window(text, target)
    if piece is not None and concept.search(piece):
        return piece
    hit, name = target.search(text), concept.search(text)
    if hit is None or name is None:
        return None
    start, end = min(hit.start(), name.start()), max(hit.end(), name.end())
    words_before = text[:start].split()
    span = text[start:end].split()
    if len(span) > MAX_CARD_WORDS:
        return None
    # Grow evenly around the span up to the word budget.
    room = MAX_CARD_WORDS - len(span)
    before = words_before[-(room // 2) :] if room // 2 else []
    after = text[end:].split()[: room - len(before)]
    cut_lo = len(before) < len(words_before)
    cut_hi = len(after) < len(text[end:].split())
    body = " ".join([*before, text[start:end], *after])
    return ("… " if cut_lo else "") + body + (" …" if cut_hi else "")


def _cloze_terms(context: LessonContext, allowed: set[str], concept: GraphConcept) -> list[str]:
    """Technical terms a cloze may delete: the episodes' terms that are not course concepts.

    Concept names are left out: they are the answers of the concepts' own term cards, and two
    cards with the same answer interfere.
    """
    del allowed, concept
    finder = finder_for(context.graph)
    return sorted((t for t in context.graph.terms if not finder.concepts_in(t)), key=lambda n: (-len(n), n))


def _cards(
    concept: GraphConcept,
    evidence: list[tuple[Cite, str]],
    pattern: re.Pattern[str],
    terms: list[str],
    avoid: frozenset[str],
    deleted: set[str],
    kept: frozenset[tuple[str, str, str]] = frozenset(),
) -> list[CardDraft]:
    """A term card and cloze cards for one concept; `deleted` collects the lesson's cloze answers
    (two cards with the same answer interfere, so each word is deleted once per lesson).

    The previous course's cards of the lesson (`kept`: concept id, card id less that concept id,
    sentence key; see LessonContext.kept_cards) come first and are made again where their
    sentence still qualifies, and a sentence another concept of the lesson carded stays that
    concept's: a rebuild that adds an episode must not displace the cards a learner has reviewed
    with the new episode's sentences (they take the slots left).
    """
    cards: list[CardDraft] = []
    cid = concept.id
    own = {(card_id, key) for owner, card_id, key in kept if owner == cid}
    kept_ids = {card_id for card_id, _ in own}
    kept_keys = {key for _, key in own}
    others = {key for owner, _, key in kept if owner != cid} - kept_keys
    candidates = [item for item in evidence if ",".join(item[0].sentence_ids) not in others]
    ordered = sorted(candidates, key=lambda item: ",".join(item[0].sentence_ids) not in kept_keys)
    term_key = _term_sentence(cid, ordered, pattern, own)
    term_done = False
    topical = _topical_words(evidence)
    for cite, text in ordered:
        key = ",".join(cite.sentence_ids)
        # The cap bounds new cards only: a learner's card that still qualifies stays (a merge
        # may bring two concepts' cards together), and the term card is made even past it.
        over = len(cards) > MAX_CARDS_PER_CONCEPT and key not in kept_keys
        if over and (term_done or term_key is None):
            break
        if not term_done and key == term_key:
            piece = window(text, pattern, MAX_CARD_WORDS - 5)
            if piece is not None:
                # Test the term: which idea does this statement describe?
                term_done = True
                cards.append(
                    CardDraft(
                        id=_term_card_id(cid, key),
                        concept=cid,
                        kind="basic",
                        front=f'Which term fills the blank? "{pattern.sub(BLANK, piece)}"',
                        back=_named_as(piece, pattern, concept.name),
                        cites=[cite],
                        fact="term",
                    )
                )
                continue
        if over:
            continue  # past the cap, only the term card is still to come
        if "{{" in text or "}}" in text:
            continue  # a speaker's braces would be read as deletions (CARD014)
        free = avoid | deleted
        word = next(
            (
                w
                for w in deletable_words(text, concept, terms, free, topical)
                if _cloze_card_id("", key, w) in kept_ids
            ),
            None,
        ) or _other_word(text, concept, terms, free, topical)
        if word is None:
            continue
        deleted.add(word.lower())
        target = re.compile(rf"\b{re.escape(word)}\b", re.I)
        piece = _window_with_both(text, target, pattern)
        if piece is None:
            continue
        # Test a fact about the concept, not its name (varies what cards ask).
        cloze = target.sub(lambda m: "{{c1::" + m.group(0) + "}}", piece, count=1)
        cards.append(
            CardDraft(
                id=_cloze_card_id(cid, key, word),
                concept=cid,
                kind="cloze",
                front=cloze,
                back="",
                cites=[cite],
                fact=f"cloze:{word.lower()}",
            )
        )
    return cards


def _named_as(text: str, pattern: re.Pattern[str], name: str) -> str:
    """The name the sentence gives the concept, as written: a term card answers with the word
    its quote has ("neural nets" where the concept is now "neural network"), never a name the
    learner could not have read there (CIT009 dropped those cards)."""
    match = pattern.search(text)
    # The name itself, or a form of it ("algorithms"), as the validator stems words.
    if match is None or set(checked_words(name)) <= set(checked_words(text)):
        return name
    return match.group(0)


def _term_card_id(concept_id: str, sentence_key: str) -> str:
    """The card's id; with concept_id "" the id less its concept, as kept_cards holds it."""
    return f"{concept_id}-card-term-{_digest(sentence_key)}"


def _cloze_card_id(concept_id: str, sentence_key: str, word: str) -> str:
    return f"{concept_id}-card-cloze-{_digest(sentence_key, word)}"


def _term_sentence(
    concept_id: str, ordered: list[tuple[Cite, str]], pattern: re.Pattern[str], kept: set[tuple[str, str]]
) -> str | None:
    """The sentence (key) of the concept's term card: the previous term card's while it still
    fits a card, else the first that fits and no previous cloze card holds, else the first that
    fits (with no previous course: the first that fits, as ever)."""
    fits = [
        ",".join(cite.sentence_ids)
        for cite, text in ordered
        if window(text, pattern, MAX_CARD_WORDS - 5) is not None
    ]
    previous_term = [key for key in fits if (_term_card_id("", key), key) in kept]
    held = {key for _, key in kept}
    fresh = [key for key in fits if key not in held]
    return next(iter(previous_term or fresh or fits), None)
