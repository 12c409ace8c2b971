"""The lesson stage: problem → prediction (+ reveal) → core idea → nuance, all from cited speech."""

from __future__ import annotations

import re
from dataclasses import dataclass

from coursegen.engines.base import LessonContext
from coursegen.engines.extractive.assertions import GARBLED, REPORTED, TRAILER, episode_index
from coursegen.engines.extractive.assessment import (
    FAIR,
    Askable,
    askable_statements,
    concept_statements,
    named_as_itself,
)
from coursegen.engines.extractive.blanks import other_names, word_forms
from coursegen.engines.extractive.defining import asks_what, explains_idea
from coursegen.engines.extractive.fairness import is_assertion, reads_cleanly, trim_fillers
from coursegen.engines.extractive.framing import Job, answer_part, job_of
from coursegen.engines.extractive.mentions import MentionFinder, finder_for
from coursegen.engines.extractive.speech import (
    _STUTTER,
    BROKEN_SEGMENT,
    asks_listener,
    chatter,
    clean_lead,
    explains_score,
    frame,
    garbled_speech,
    pain_at,
    pain_spots,
    pain_strength,
    reported_view,
    statement_score,
)
from coursegen.engines.extractive.statements import known_words, more_mentions, usable_evidence
from coursegen.engines.extractive.text import content_words, is_stop, known_word, normal, tidy, tokens
from coursegen.engines.types import BlockDraft, Cite, GraphConcept, LessonDraft, LessonPlan

# The first block states the core idea and stays short (principle 6 of the ramp).
CORE_BLOCK_MAX_WORDS = 60
EXPLAINING_CORE_EXTRA_WORDS = 15
NUANCE_BLOCKS_PER_CONCEPT = 2
# How many of a concept's ranked evidence sentences compete for the core-idea slot (all it has).
CORE_CANDIDATES = 16
# A core passage may add a neighbouring sentence that carries the thought on, up to this length.
PASSAGE_MAX_WORDS = 65
CORE_SHORT_WORDS = 35
# What _says_what gives a sentence that reads as a definition ("X is this entity that ...").
DEFINES_BONUS = 1.5
# A further point must say this many content words besides the concept's name.
MIN_NUANCE_CONTENT = 6
# Below this statement score a further quote adds chatter, not understanding.
MIN_NUANCE_SCORE = 3.0
MIN_NUANCE_EXPLAINS = -2.5
MIN_NUANCE_SAYS = -1.0
# At most this many blocks (the cores and their points) in a lesson. Not yet a real cap: at 6 the
# seeds' long lessons (neural network, compute: 14 and 15 blocks) read evenly, but the questions
# then test sentences the lesson no longer shows (48% of seed questions cite a shown sentence,
# 35% at 6, 43% at 10), because the assessment stage does not cap its questions per lesson. Lower
# it together with a per-lesson question cap that still keeps 120 questions on the seeds.
MAX_LESSON_BLOCKS = 100
# A lesson that would show only its core takes a second point from the concept's evidence by a
# lower bar: fewer content words and a plainer statement, still no opinion, garble, aside,
# caption seam or passing mention (MIN_FURTHER_IDEA holds).
MIN_SECOND_POINT_CONTENT = 3
MIN_SECOND_POINT_SAYS = -3.0
# A further quote is about the concept, not a passing mention of it (defining.explains_idea): one
# count or aside is fine ("taking 15 trillion tokens and compressing it ..."), a price, a
# biography, an artifact named in passing, a view cut off before its answer or a garbled
# fragment is not ("pay like $1 a token", "one of the co-inventors of the Transformer", "there's
# this misconception running around with X that ...").
MIN_FURTHER_IDEA = -2.0
# A bare demonstrative among a further quote's first words points back at talk the lesson does not
# show ("You can also view this as something happening at the module level"): "this" with no noun.
_POINTS_AT_EARLIER = re.compile(
    r"^(?:[\w']+[\s,]+){0,5}?(?:this|these|those)\s+(?:as|is|was|are|were|into|to|for|with|from|in|on|at)\b"
    r"|^(?:[\w']+[\s,]+){0,5}?(?:this|that|these|those)\s*[,.;]"
    # "So we have a little bit of that and X models": a demonstrative closing its noun phrase.
    r"|^(?:[\w']+[\s,]+){0,5}?(?:of|like) (?:this|that|these|those)\s+(?:and|but|or)\b",
    re.I,
)
# A question from the conversation makes a good opening only when it is not mostly filler.
MAX_PROBLEM_CHATTER = 0.12
MAX_PLAIN_CHATTER = 0.2
# Longer questions ramble; the opening should state the difficulty briefly.
MAX_PROBLEM_WORDS = 28
MIN_PROBLEM_CONTENT = 3
# A difficulty a speaker names opens the lesson only when it reads as a clear statement.
MIN_PAIN_SCORE = 3.0
# A difficulty this clear opens the lesson even when the conversation also asks a question.
STRONG_PAIN_SCORE = 4.0
# A sentence naming a difficulty only by a pain word ("a challenge") opens the lesson when short.
WEAK_PAIN_MAX_WORDS = 25
# The difficulty must be about the concept: named within this many words of it.
PAIN_REACH_WORDS = 12
# A statement that opens a lesson as a puzzle must say something about the concept: not a list
# item or a passing aside (explains_score below 0), and readable as a quote (_rank_score).
MIN_USE_EXPLAINS = 0.0
MIN_USE_RANK = 1.0
# The concept is a sentence's subject when at most this many words come before its name.
SUBJECT_LEAD_WORDS = 3
# An opening quote is read before anything else: it stays short.
MAX_OPENING_QUOTE_WORDS = 40


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


# A statement a speaker ends with a tag ("..., right?") asks for agreement, not an answer: as a
# quote it reads as the statement it is.
_TAG_END = re.compile(r",?\s+(?:right|no|yeah|correct|huh)\?\s*$", re.I)


def _lesson_evidence(
    concept: GraphConcept, context: LessonContext, finder: MentionFinder, allowed: set[str]
) -> list[tuple[Cite, str]]:
    """usable_evidence with tag questions read as statements (the course text only; the
    citation still quotes the sentence as said)."""
    return [
        (cite, _TAG_END.sub(".", text) if len(tokens(text)) > MIN_PROBLEM_CONTENT + 4 else text)
        for cite, text in usable_evidence(concept, context, finder, allowed)
    ]


def _phrases(*alternatives: str) -> re.Pattern[str]:
    """A case-blind pattern matching any of these phrases (regex syntax allowed) as whole words."""
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.I)


# A real question asks something: it opens with a question word, or one follows a comma
# ("If you have something like this, how would you ...?").
_ASKS = re.compile(
    r"(?:^|,\s+|\bso\s+)(?:what|what's|why|how|when|where|which|who|does|do|did|is|are|can|could|"
    r"would|will|should|has|have)\b",
    re.I,
)
# A contrast a speaker draws makes a good opening: what the idea does that something else does not.
_OPENING_CONTRAST = _phrases(
    "instead of", "rather than", "unlike", "as opposed to", "compared to", "versus", "without"
)


@dataclass(frozen=True)
class Opening:
    """The lesson's opening problem and what kind of opening it is (the prediction follows it)."""

    text: str
    # "question", "open question" (one the core does not answer), "difficulty", "contrast" (a
    # speaker's words), "task" (the core quote's job),
    # "use" (a speaker's statement posed as a puzzle) or "prompt"
    kind: str
    quoted: frozenset[str] = frozenset()  # the evidence sentences it quotes (not shown again)
    about: str = ""  # the id of the concept it is about, when it is about one of several


def _question_candidates(concept: GraphConcept, context: LessonContext) -> list[list[str]]:
    """Questions that could open the lesson: those the concepts stage found, then questions among
    the concept's evidence and right next to it (a host asking before or after a speaker explains).

    The neighbours are in the lesson's inputs: the cited episodes' content is part of its cache
    key, and the concepts named next to its evidence are in its scope (coursegen.lesson_scope).
    """
    found: list[list[str]] = [list(cite.sentence_ids) for cite in concept.problems]
    for cite in concept.evidence:
        around = [
            _neighbour(context, cite.sentence_ids[0], -1),
            _neighbour(context, cite.sentence_ids[-1], 1),
        ]
        if context.sources.text(cite.sentence_ids).rstrip().endswith("?"):
            found.append(list(cite.sentence_ids))
        found.extend([n[0]] for n in around if n is not None and n[1].rstrip().endswith("?"))
    return list({tuple(ids): ids for ids in found}.values())


def _asks_about(question: str, names_it: re.Pattern[str]) -> bool:
    """A real question that names the concept: not a tag question ("..., right?"), not a
    statement with a question mark, not a question about something else."""
    return bool(names_it.search(question)) and not _tag_question(question) and bool(_ASKS.search(question))


def _questions(
    concepts: list[GraphConcept], context: LessonContext, finder: MentionFinder, allowed: set[str]
) -> list[tuple[GraphConcept, str]]:
    """Questions from the conversation that really ask about one of the lesson's concepts, best
    first: short clear ones, then chattier ones that still ask about the concept."""
    questions: list[tuple[GraphConcept, str]] = []
    for concept in concepts:
        for sentence_ids in _question_candidates(concept, context):
            question = clean_lead(tidy(context.sources.text(sentence_ids)))
            if (
                question
                and finder.only_uses(question, allowed)
                and _asks_about(question, finder.pattern(concept.id))
            ):
                questions.append((concept, question))
    # A long, rambling question ("I'm curious, does that feel like a fair characterization of of
    # what's happening today or and and yeah, ...") is a poor opening; a short clear one is good.
    clear = [
        q
        for q in questions
        if chatter(q[1]) <= MAX_PROBLEM_CHATTER
        and len(tokens(q[1])) <= MAX_PROBLEM_WORDS
        and not _STUTTER.search(q[1])
        and len(content_words(q[1])) >= MIN_PROBLEM_CONTENT
    ]
    plain = [
        q
        for q in questions
        if q not in clear
        and len(tokens(q[1])) <= MAX_PROBLEM_WORDS
        and chatter(q[1]) <= MAX_PLAIN_CHATTER
        and len(content_words(q[1])) >= MIN_PROBLEM_CONTENT
    ]
    return clear + plain


# A caption without a question mark can still ask ("Shouldn't then the fraction be higher ...").
_ASKS_NEGATIVELY = re.compile(
    r"^(?:shouldn't|isn't|aren't|doesn't|don't|wouldn't|couldn't|can't|won't)\b", re.I
)


@dataclass(frozen=True)
class _Pain:
    """A sentence in which a speaker names a difficulty with one of the lesson's concepts, or one
    said right next to its evidence without naming it (`step`)."""

    score: float
    order: int  # the concept's place in the lesson (the first concept wins a tie)
    concept: GraphConcept
    sentence_id: str
    body: str
    step: int = 0  # 0: it names the concept; -1: said just before its evidence, 1: just after


def _pain_about(body: str, names_it: re.Pattern[str]) -> float | None:
    """How far from a mention of the concept (in words) the sentence names a difficulty, at the
    closest pair, or None when it names none, or names it about something else further off."""
    if pain_strength(body) == 0.0:
        return None
    gaps = [
        len(tokens(body[min(at, mention.start()) : max(at, mention.start())]))
        for at in pain_spots(body)
        for mention in names_it.finditer(body)
    ]
    return float(min(gaps)) if gaps and min(gaps) <= PAIN_REACH_WORDS else None


def _pains(
    concepts: list[GraphConcept],
    context: LessonContext,
    finder: MentionFinder,
    allowed: set[str],
    avoid: set[str],
) -> list[_Pain]:
    """Statements near the concept that name a difficulty with it, clearest first.

    Any sentence of a cited episode that names the concept may serve, not only its evidence: the
    cited episodes are in the lesson's cache key, and a speaker often states the difficulty in
    passing, before or after explaining the idea.
    """
    found: list[_Pain] = []
    for order, concept in enumerate(concepts):
        names_it = finder.pattern(concept.id)
        for episode_id in sorted({cite.episode for cite in concept.evidence}):
            episode = context.sources.episodes.get(episode_id)
            for passage in episode.passages if episode is not None else []:
                for sentence in passage.sentences:
                    pain = _pain_sentence(sentence.id, sentence.text, names_it, finder, allowed, avoid)
                    if pain is not None:
                        found.append(_Pain(pain[0], order, concept, sentence.id, pain[1]))
    return sorted(found, key=lambda p: (-p.score, p.order))


def _pains_nearby(
    concepts: list[GraphConcept],
    context: LessonContext,
    finder: MentionFinder,
    allowed: set[str],
    avoid: set[str],
) -> list[_Pain]:
    """Difficulties a speaker states right next to the concept's evidence without naming it
    ("The naive way can't keep up. A replay buffer ..."), clearest first.

    A speaker often states the pain just before naming the idea that answers it. The sentence
    must stand alone (no "That ..." pointing back) and state the difficulty outright.
    """
    found: dict[str, _Pain] = {}
    for order, concept in enumerate(concepts):
        names_it = finder.pattern(concept.id)
        for cite in concept.evidence:
            for step, edge in ((-1, cite.sentence_ids[0]), (1, cite.sentence_ids[-1])):
                near = _neighbour(context, edge, step)
                if near is None or near[0] in avoid or near[0] in cite.sentence_ids or near[0] in found:
                    continue
                shown = _nearby_pain(near[1], names_it, finder, allowed)
                if shown is not None:
                    found[near[0]] = _Pain(shown[0], order, concept, near[0], shown[1], step)
    return sorted(found.values(), key=lambda p: (-p.score, p.order, p.sentence_id))


# "It's hard to ...", "It is impossible to ...": "it" stands for nothing said before.
_DUMMY_IT = re.compile(
    r"^it(?:'s| is)\s+(?:\w+\s+){0,2}?(?:hard|harder|difficult|impossible|expensive|costly)\s+to\b", re.I
)
# "The problem with that is ...": the difficulty is with something said before, not shown.
_POINTS_BACK = re.compile(
    r"\b(?:problem|issue|trouble|difficulty|challenge|catch) (?:with|about|of|in) "
    r"(?:that|this|it|them|those)\b",
    re.I,
)
MIN_NEARBY_PAIN_SCORE = 1.5
MIN_NEARBY_CONTENT = 4


def _nearby_pain(
    raw: str, names_it: re.Pattern[str], finder: MentionFinder, allowed: set[str]
) -> tuple[float, str] | None:
    """(score, shown text) of a sentence next to the evidence that states a difficulty outright
    and reads alone, else None."""
    if "?" in raw or names_it.search(raw):
        return None  # one that names the concept is found by _pains
    text = tidy(raw).replace('"', "'")
    body = clean_lead(text)
    if (
        pain_strength(body) <= 1.0
        or (_CONTINUES.match(body) and not _DUMMY_IT.match(body))
        or len(tokens(body)) > MAX_OPENING_QUOTE_WORDS
        or len(content_words(body)) < MIN_NEARBY_CONTENT
        or chatter(body) > MAX_PLAIN_CHATTER
        or _STUTTER.search(body)
        or _garbles(body, names_it)
        or _OPENS_LIKE_QUESTION.match(body)
        or _POINTS_BACK.search(body)
        or reported_view(text, names_it)
        or garbled_speech(text, names_it, cased=False)
        or not finder.only_uses(text, allowed)
    ):
        return None
    score = statement_score(text, names_it) + pain_strength(body)
    return (score, body) if score >= MIN_NEARBY_PAIN_SCORE else None


def _nearby_pain_opening(pain: _Pain, context: LessonContext) -> Opening:
    """The opening built on a difficulty stated right before (or after) the speaker turns to the
    concept, cited to its moment."""
    when = "Just before" if pain.step < 0 else "Right after"
    name = pain.concept.name
    text = (
        f"Start with the difficulty. {when} talking about {name}, a speaker says"
        f'{_moment(context, pain.sentence_id)}: "{pain.body}" What makes this hard, and how might '
        f"{name} come into it?"
    )
    return Opening(text, "difficulty", frozenset([pain.sentence_id]), pain.concept.id)


def _pain_sentence(
    sentence_id: str,
    raw: str,
    names_it: re.Pattern[str],
    finder: MentionFinder,
    allowed: set[str],
    avoid: set[str],
) -> tuple[float, str] | None:
    """(score, shown text) of a sentence that states a difficulty with the concept, else None."""
    # A statement ending in a tag ("..., right?") states the difficulty; read it without the tag.
    raw = _TAG_END.sub(".", raw) if _tag_question(raw) else raw
    if sentence_id in avoid or "?" in raw or not names_it.search(raw):
        return None
    text = _unstutter(tidy(raw).replace('"', "'"))
    body = clean_lead(text)
    if (
        not names_it.search(body)
        or len(tokens(body)) > MAX_OPENING_QUOTE_WORDS
        or _OPENS_LIKE_QUESTION.match(body)
        or _ASKS_NEGATIVELY.match(body)
        # A stutter left ("I I think ...", "it's it's") reads as a restart, not a clear statement.
        or _STUTTER.search(body)
        or not finder.only_uses(text, allowed)
    ):
        return None
    gap = _pain_about(body, names_it)
    # A pain word in passing ("points of great difficulty like ...") in a long sentence is a
    # ramble, not a statement of the difficulty; one said outright may take more words.
    weak = pain_strength(body) <= 1.0
    if gap is None or (weak and len(tokens(body)) > WEAK_PAIN_MAX_WORDS):
        return None
    score = (
        statement_score(text, names_it)
        + min(0.0, _says_what(text, names_it))
        + pain_strength(body)
        - gap / 6
    )
    return (score, body) if score >= MIN_PAIN_SCORE else None


# A doubled short word inside a sentence ("where the the cost") is a slip a reader skips.
_SLIP = re.compile(r"(?<=\w )([a-z]{1,4})\s+\1\b")


def _unstutter(text: str) -> str:
    """The sentence without doubled short lower-case words after its first word ("the the" →
    "the"); a doubled opening ("I I think") or a doubled phrase is a restart and stays."""
    return _SLIP.sub(r"\1", text)


def _moment(context: LessonContext, sentence_id: str) -> str:
    """Where a quoted sentence was said, for the reader to find it: ' (at 1:02:05 in "Title")'."""
    ref = context.sources.get(sentence_id)
    if ref is None:
        return ""
    title = ref.episode.title.strip()
    # A title that is only a file name ("000_293b...") says nothing to a learner.
    where = f' in "{title}"' if " " in title else ""
    start = ref.sentence.start
    if start is None:
        return f" ({where.strip()})" if where else ""
    minutes, seconds = divmod(int(start), 60)
    hours, minutes = divmod(minutes, 60)
    stamp = f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"
    return f" (at {stamp}{where})"


# What kind of difficulty a quote names decides how the opening frames it.
_LACKS = re.compile(
    r"\b(?:can't|cannot|couldn't|unable|impossible|lacking|missing|limited|limitation)\b", re.I
)
_BLOCKS = re.compile(r"\b(?:problem|bottleneck\w*|issue|fails?|failure|breaks? down)\b", re.I)


def _pain_opening(pain: _Pain, context: LessonContext, finder: MentionFinder) -> Opening:
    """The opening built on a speaker's own statement of a difficulty, cited to its moment; a
    "shortfall" when the concept itself is what falls short."""
    names_it = finder.pattern(pain.concept.id)
    said = f'A speaker says{_moment(context, pain.sentence_id)}: "{pain.body}"'
    name = pain.concept.name
    if _LACKS.search(pain.body):
        text = (
            f"Start with what is missing. {said} What would it take to get past this limit, and "
            f"what does {name} have to do with it?"
        )
    elif _BLOCKS.search(pain.body):
        text = f"Start with the problem. {said} Why is this hard, and where does {name} come in?"
    else:
        text = (
            f"Start with the difficulty. {said} What is going on here, and what would you need to "
            f"understand about {name} to deal with it?"
        )
    kind = "shortfall" if _falls_short(pain.body, names_it) else "difficulty"
    return Opening(text, kind, frozenset([pain.sentence_id]), pain.concept.id)


def _falls_short(body: str, names_it: re.Pattern[str]) -> bool:
    """True when the concept itself is what falls short ("X is terrible", "X can't ..."): its name
    opens the sentence and the difficulty comes after it."""
    mention, at = names_it.search(body), pain_at(body)
    return (
        mention is not None
        and at is not None
        and mention.start() < at
        and len(tokens(body[: mention.start()])) <= SUBJECT_LEAD_WORDS
    )


def _contrast_opening(
    concepts: list[GraphConcept],
    context: LessonContext,
    finder: MentionFinder,
    allowed: set[str],
    avoid: set[str],
) -> Opening | None:
    """An opening built on a contrast a speaker draws with the concept, if one reads clearly."""
    contrasts: list[tuple[float, int, GraphConcept, str, Cite]] = []
    for order, concept in enumerate(concepts):
        names_it = finder.pattern(concept.id)
        for cite, text in usable_evidence(concept, context, finder, allowed):
            if avoid & set(cite.sentence_ids) or "?" in text or not finder.only_uses(text, allowed):
                continue
            body = clean_lead(text)
            if not names_it.search(body) or len(tokens(body)) > MAX_OPENING_QUOTE_WORDS:
                continue
            score = statement_score(text, names_it) + min(0.0, _says_what(text, names_it))
            if score >= MIN_PAIN_SCORE and _OPENING_CONTRAST.search(body):
                contrasts.append((-score, order, concept, body, cite))
    if not contrasts:
        return None
    _, _, concept, body, cite = min(contrasts, key=lambda p: (p[0], p[1]))
    text = (
        f'Start with a contrast a speaker draws{_moment(context, cite.sentence_ids[0])}: "{body}" '
        f"What does {concept.name} change here, compared with the alternative?"
    )
    return Opening(text, "contrast", frozenset(cite.sentence_ids), concept.id)


def _known_names(concepts: list[GraphConcept], context: LessonContext) -> list[str]:
    """Names of the earlier lessons' ideas this lesson's concepts build on (at most three)."""
    by_id = {c.id: c for c in context.graph.concepts}
    needed = [p for c in concepts for p in c.prerequisites if p in context.taught_before]
    return [by_id[p].name for p in dict.fromkeys(needed) if p in by_id][:3]


def _joined(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


# The question a last-resort opening asks depends on what kind of thing the concept is.
_KIND_QUESTIONS = {
    "technique": "what would be hard, or impossible, to do without {name}?",
    "system": "what does {name} do, and what would go wrong without it?",
}
_IDEA_QUESTION = "which question or puzzle does {name} help answer?"


def _task_opening(name: str, job: Job) -> Opening:
    """No speaker states the difficulty: pose the job the core quote gives the concept as a
    problem to think about first (the core quote then shows how the concept takes it on)."""
    text = (
        f"Suppose you needed {job.needed}. How would you go about it, and what would make it hard? "
        f"Keep your answer in mind: the speakers' answer is {name}."
    )
    return Opening(text, "task")


def _use_opening(
    concept: GraphConcept,
    context: LessonContext,
    finder: MentionFinder,
    allowed: set[str],
    avoid: set[str],
) -> Opening | None:
    """A speaker's clear statement using the concept, posed as a puzzle: what job does it do there?
    A real moment of the conversation, for when nothing states a difficulty or the core's job."""
    names_it = finder.pattern(concept.id)
    uses: list[tuple[float, int, str, Cite]] = []
    for position, (cite, text) in enumerate(usable_evidence(concept, context, finder, allowed)):
        if avoid & set(cite.sentence_ids) or "?" in text or not finder.only_uses(text, allowed):
            continue
        body = clean_lead(text)
        # A statement about the concept (not a list item, an aside or a story about a person) shows
        # it at work; a passing mention shows nothing to puzzle over.
        if (
            not names_it.search(body)
            or len(tokens(body)) > MAX_OPENING_QUOTE_WORDS
            or not _substantive(text, names_it)
            or explains_score(text, names_it) < MIN_USE_EXPLAINS
            or _about_another(text, concept.id, finder)
            or _rank_score(text, names_it) < MIN_USE_RANK
        ):
            continue
        uses.append((-_rank_score(text, names_it), position, body, cite))
    if not uses:
        return None
    _, _, body, cite = min(uses, key=lambda u: (u[0], u[1]))
    text = (
        f'Meet {concept.name} in use first. A speaker says{_moment(context, cite.sentence_ids[0])}: "{body}" '
        f"What job does {concept.name} seem to do there, and what would be missing without it?"
    )
    return Opening(text, "use", frozenset(cite.sentence_ids), concept.id)


def _prompt_opening(first: GraphConcept) -> Opening:
    """The last resort: a question about the concept's use, asked before the speakers' words."""
    question = _KIND_QUESTIONS.get(first.kind, _IDEA_QUESTION).format(name=first.name)
    return Opening(f"Before the speakers' words, think about {first.name}: {question}", "prompt")


def _problem(
    concepts: list[GraphConcept],
    context: LessonContext,
    finder: MentionFinder,
    allowed: set[str],
    avoid: set[str],
    job: tuple[str, Job] | None = None,
    cores: dict[str, str] | None = None,
) -> Opening:
    """The pain before the idea: a speaker's clear statement of a difficulty with the concept,
    else a question from the conversation that names it (posed as one the core quote answers only
    when it speaks to it: `cores`, by concept id), else a weaker difficulty, else one
    stated right next to its evidence, else a contrast a speaker draws, else the job the core
    quote gives the concept (`job`) unless it is the whole quote, else a speaker's statement
    using it posed as a puzzle, else a question about its use."""
    pains = _pains(concepts, context, finder, allowed, avoid)
    if pains and pains[0].score >= STRONG_PAIN_SCORE:
        return _pain_opening(pains[0], context, finder)
    questions = _questions(concepts, context, finder, allowed)
    if questions:
        concept, question = questions[0]
        if _speaks_to(concept, question, (cores or {}).get(concept.id), finder):
            return Opening(_question_opening(concept, question), "question", about=concept.id)
        return Opening(_open_question_opening(concept, question), "open question", about=concept.id)
    if pains:
        return _pain_opening(pains[0], context, finder)
    nearby = _pains_nearby(concepts, context, finder, allowed, avoid)
    if nearby:
        return _nearby_pain_opening(nearby[0], context)
    contrast = _contrast_opening(concepts, context, finder, allowed, avoid)
    if contrast is not None:
        return contrast
    # A job that is the whole core quote, posed first, leaves the guess nothing to find out
    # (newcomers: "the problem copies the definition word for word"): the learner guesses what
    # the idea is from its name instead, and the core quote then tells them.
    if job is not None and not job[1].gives_away:
        return _task_opening(*job)
    use = _use_opening(concepts[0], context, finder, allowed, avoid)
    if use is not None:
        return use
    return _prompt_opening(concepts[0])


def _tag_question(text: str) -> bool:
    """'..., right?' asks for agreement, not for an explanation."""
    return bool(re.search(r"\b(?:right|no|yeah|correct|huh)\?\s*$", text, re.IGNORECASE))


def _builds_on(concepts: list[GraphConcept], context: LessonContext) -> str:
    """A pointer back along the ramp: the earlier ideas this lesson's concepts need."""
    names = _known_names(concepts, context)
    return f" It builds on {_joined(names)}, from earlier lessons." if names else ""


# Ways a sentence says what a concept is or does, beyond "X is ...": "X, which ...", "called X",
# "the idea of X", and the mechanism words of an explanation ("instead of", "so that", "by ...ing").
_DEFINES_AFTER = re.compile(
    r"^\s*(?:,\s*)?(?:[\w-]+\s+){0,2}?(?:which|where|that is|that's|that means|that lets|means|refers to)\b",
    re.I,
)
_DEFINES_BEFORE = re.compile(
    r"\b(?:called|known as|(?:the )?(?:idea|concept|notion|point|definition) of|what we call|"
    r"thing about(?:\s+[\w-]+)?)\s+(?:(?:a|an|the)\s+)?$",
    re.I,
)
_MECHANISM = _phrases(
    "instead of",
    "so that",
    "in order to",
    "which means",
    "the way",
    r"by \w+ing",
    "rather than",
    "the reason",
)
# Hedged opinion, speculation and asides say how a speaker feels, not what the concept is.
_OPINION = _phrases(
    "let's say",
    "the odds",
    "i'm (?:actually |really |kind of )?surprised",
    "i'm not sure",
    "who knows",
    "i don't know",
    "i wonder",
    "would be (?:really )?nice",
    "thank god",
    "i love",
    "i (?:really )?like",
    "i (?:almost |kind of )?feel like",
    "i would agree",
    "such a good",
    "we're discussing",
    "we were discussing",
    "i'm curious",
    "you suggest",
    "that's interesting",
    "it's interesting",
    "interesting to think",
    # Praise says how a speaker feels about the idea, not what it does.
    "the magic in (?:that|this|it)",
    "(?:extremely|really|super|so) cool",
    r"the best \w+ in the world",
)
# "X is a/the/this/when/where ...": the sentence says what X is.
_COPULA_DEFINITION = re.compile(
    r"^\s+(?:is|are|means)\s+(?:(?:basically|just|really|like|kind of|sort of|essentially)\s+)*"
    r"(?:a|an|the|this|that|when|where|how|about|something|one|what|any|all)\b",
    re.I,
)
# The concept only as the object of a preposition ("a breakthrough on the scale of a transformer").
_IN_PASSING = re.compile(
    r"\b(?:of|on|at|about|like|than|for|around|between|among|with|from|into)\s+"
    r"(?:(?:a|an|the|this|that|some|these|those)\s+)?(?:[\w-]+\s+)?$",
    re.I,
)
# An anecdote or a report of what someone did or said ("He tried X ...", "Reaction to Ilia
# saying that X ...") tells a story about a person, not what the concept is.
_REPORTS_DOING = re.compile(
    r"^(?:he|she|they|i|we)\s+(?:\w+\s+){0,2}?(?:tried|said|told|asked|wrote|was using|were using|"
    r"collaborated|decided|went)\b",
    re.I,
)
# Case matters here: a capitalised name before "saying" ("Ilia saying that ...").
_REPORTS_SAYING = re.compile(r"\b[A-Z][a-z]+\s+saying\b|\b(?:[Rr]eaction|[Rr]esponse) to\b")
# ASR glues two sentences together: "the compute is used to serve we train small models".
_RUN_ON = re.compile(
    r"\bto\s+(?!(?:say|think|know|ensure|show|mean|believe|realize|feel|hope|where|what|how|when|why|"
    r"which|whom|that|if|whether|see|make|prove|find|assume|imagine|guess)\b)[a-z]+\s+"
    r"(?:we|i|they|he|she)\s+[a-z]+",
    re.I,
)
REPORT_PENALTY = 2.5
RUN_ON_PENALTY = 5.5  # as costly as an unknown word: the quote cannot be read aloud
# An unpunctuated caption that opens like a question asks; it does not explain.
_OPENS_LIKE_QUESTION = re.compile(
    r"(?:how|what(?!\s+(?:i|we|you|they|people)\s+call)|why|when|where|who|do|does|did|can|could|should)\b",
    re.I,
)
# A sentence opening that carries the previous one on ("It ...", "That's why ...", "So ...").
_CONTINUES = re.compile(
    r"^(?:it|it's|its|that|that's|this|this is|so|because|which|they|they're|these|then|and that|and it)\b",
    re.I,
)


def _garbles(text: str, names_it: re.Pattern[str]) -> int:
    """Lower-case words general English does not know, besides the concept's name: usually a
    transcription error ("... neural network training is microat.")."""
    rest = names_it.sub(" ", text)
    return sum(1 for w in tokens(rest) if w.islower() and w.isalpha() and len(w) > 2 and not known_word(w))


def _says_what(text: str, names_it: re.Pattern[str]) -> float:
    """How far a sentence says what the concept is or does, on top of explains_score: definitional
    turns of phrase and mechanism words count for it; opinion, garbles and a passing mention against."""
    body = clean_lead(text)
    score = 0.0
    match = names_it.search(body)
    if match is not None:
        before, after = body[: match.start()], body[match.end() :]
        if _DEFINES_AFTER.match(after) or _DEFINES_BEFORE.search(before):
            score += 1.5
        if _IN_PASSING.search(before) and explains_score(text, names_it) < 3.0:
            score -= 1.0
        if _COPULA_DEFINITION.match(after):
            score += 2.0  # "X is this intelligent entity that ...", "X is when ..."
    if _MECHANISM.search(body):
        score += 1.0
    if _OPENS_LIKE_QUESTION.match(body):
        score -= 2.0  # "How do in 2017 you released the transformer paper on which ...": a question
    if _OPINION.search(body):
        score -= 2.5
    if _REPORTS_DOING.search(body) or _REPORTS_SAYING.search(body):
        score -= REPORT_PENALTY
    if _RUN_ON.search(body):
        score -= RUN_ON_PENALTY
    score -= 4.0 * _garbles(body, names_it)
    if len(content_words(names_it.sub(" ", body))) < MIN_NUANCE_CONTENT:
        score -= 2.0  # "He tried X obviously with a few short examples.": says little about it
    if BROKEN_SEGMENT.search(body):
        score -= 3.0  # "Pre-training gives us knowledge they're. not that ...": a caption cut wrong
    score -= 1.5 * len(_STUTTER.findall(body))  # on top of statement_score's: "I I", "billion billion"
    return score


def _rank_score(text: str, names_it: re.Pattern[str]) -> float:
    """The core-idea ranking: a readable statement that explains the concept and says what it is,
    short enough to take in at once."""
    says = _says_what(text, names_it)
    # explains_idea: a definition or what the idea does counts for it, a passing mention (a
    # price, an aside, a verdict, a garbled caption) against it.
    score = statement_score(text, names_it) + explains_score(text, names_it) + says
    score += explains_idea(text, names_it)
    # statement_score already prefers 10-32 words; a core idea past CORE_SHORT_WORDS reads as a
    # ramble, though a definition may take a few more words.
    per_word = 16 if says >= DEFINES_BONUS else 8
    return score - max(0, len(tokens(text)) - CORE_SHORT_WORDS) / per_word


# A core that uses another form of the name ("to help scale" for scaling) is chosen again from
# the quotes that use the name itself: the evidence's, and the best this many of the concept's
# other mentions in its episodes (statements.more_mentions) a speaker asserts.
OWN_NAME_MENTIONS = 8


def _fit_core(
    concept: GraphConcept, cite: Cite, text: str, context: LessonContext, names_it: re.Pattern[str]
) -> bool:
    """A core must present the idea itself, said as the speaker's own: under the concept's own
    name (assessment.named_as_itself: a one-word form of it often means something else,
    "asynchronous training to help scale"), not an argument the next speaker disputes or one made
    of the listener's words (_answered), and not an opinion or praise ("there's both the magic in
    that ... the best problem in the world") that never says what the idea is or does."""
    return (
        named_as_itself(text, concept, names_it)
        and not _answered(cite, context)
        and not _OPINION.search(clean_lead(text))
        and not _POINTS_AT_EARLIER.search(clean_lead(text))
        and not _caption_seam(text)
    )


def _caption_seam(text: str) -> bool:
    """True when a full stop inside the quote is followed by a lower-case word: rolling captions
    end every cue with a period, so "and. pre-training gives us knowledge they're. not that ..."
    is cue ends stitched together, not a sentence a learner can take for the idea."""
    return bool(BROKEN_SEGMENT.search(text))


def _wider_core_pool(
    concept: GraphConcept,
    candidates: list[tuple[Cite, str]],
    context: LessonContext,
    names_it: re.Pattern[str],
    shown: set[str],
) -> list[tuple[Cite, str]]:
    """Core candidates for a concept whose best quote is unfit (_fit_core): its evidence and the
    best OWN_NAME_MENTIONS of its other asserted mentions in its episodes. The concept stage keeps
    a dozen quotes, counting other forms of the name and arguments it cannot see disputed, so the
    concept's other mentions are searched too (the answer to a disputed argument among them).
    Every candidate comes as the lesson would show it (_shown_core; `candidates` already are)."""
    have = {sid for cite, _ in candidates for sid in cite.sentence_ids} | shown
    others = [
        _caption_run(cite, text, context, names_it, shown)
        for cite, text in more_mentions(concept, context)
        if not have & set(cite.sentence_ids) and _flaw(cite, text, context, names_it) is None
    ]
    others.sort(key=lambda e: -_rank_score(e[1], names_it))
    return candidates[:CORE_CANDIDATES] + [_shown_core(e, names_it) for e in others[:OWN_NAME_MENTIONS]]


def _starts_mid_phrase(text: str, names_it: re.Pattern[str]) -> bool:
    """True when the quote opens on a bare noun and its relative clause ("Problem that can be much
    more distributed than … pre-training"): captions cut the sentence after "mostly an inference
    problem an inference", so the quote starts inside a phrase about something else. A name of the
    concept opening the quote is its subject, not such a cut."""
    body = clean_lead(text)
    words = tokens(body)
    if len(words) < 2 or is_stop(words[0]) or names_it.match(body):
        return False
    return words[1].lower() in ("that", "which")


def _core_word_limit(text: str, names_it: re.Pattern[str]) -> int:
    """The most words a core quote may show: a quote that says what the concept is may run a
    little longer than one that does not."""
    explains = explains_score(text, names_it)
    return CORE_BLOCK_MAX_WORDS + (EXPLAINING_CORE_EXTRA_WORDS if explains >= 3.0 else 0)


def _core(
    evidence: list[tuple[Cite, str]],
    names_it: re.Pattern[str],
    context_bonus: dict[str, float] | None = None,
    names_later: frozenset[str] = frozenset(),
) -> tuple[Cite, str]:
    """The core-idea quote: names the concept, a whole explaining statement, short; earlier wins ties.

    `context_bonus` (by the quote's first sentence id) credits what the sentences around a quote
    add: a question just before that asks what the concept is, or a next sentence that goes on
    to explain it ("It lets you ..."), which the core passage then includes.

    Some quotes are taken only when nothing else is left: a caption seam (_caption_seam), a
    run-on or a cut inside a phrase (_starts_mid_phrase), then one naming an idea the ramp
    teaches later (`names_later`, by first sentence id): the learner has not met that idea, so
    the core would explain one unknown by another.
    """
    bonus = context_bonus or {}

    def rank(item: tuple[int, tuple[Cite, str]]) -> tuple[bool, bool, bool, bool, float, int]:
        position, (cite, text) = item
        too_long = len(tokens(text)) > _core_word_limit(text, names_it)
        ahead = cite.sentence_ids[0] in names_later
        # Explaining beats mentioning: "X is/lets/works by ..." over one item of a list.
        score = _rank_score(text, names_it) + bonus.get(cite.sentence_ids[0], 0.0)
        # A run-on ("the compute is used to serve we train small models") or a quote cut inside a
        # phrase cannot be read aloud however well it scores: only when nothing else is left.
        unreadable = bool(_RUN_ON.search(clean_lead(text))) or _starts_mid_phrase(text, names_it)
        return (_caption_seam(text), unreadable, too_long, ahead, -score, position)

    return min(enumerate(evidence[:CORE_CANDIDATES]), key=rank)[1]


# A sentence that goes on about the concept under a pronoun ("It lets you ...", "They're ...").
_PRONOUN_SUBJECT = re.compile(r"^(?:it|they|this|these)(?=\b|')", re.I)
# A question just before a quote that asks what the concept is counts this much for the quote.
ANSWERS_WHAT_BONUS = 2.0
# A quote whose subject is another idea of the course is about that idea ("That X process is
# developed by Y on Z" is about X, not Z): its first words are read as its subject.
SUBJECT_WORDS = 6
ABOUT_ANOTHER_COST = 1.5


def _context_bonus(
    concept: GraphConcept,
    evidence: list[tuple[Cite, str]],
    context: LessonContext,
    finder: MentionFinder,
    allowed: set[str],
    avoid: set[str],
) -> dict[str, float]:
    """What each candidate core gains from its neighbours, or loses when its subject is another
    idea (see _core), by first sentence id."""
    names_it = finder.pattern(concept.id)
    bonus: dict[str, float] = {}
    for cite, text in evidence[:CORE_CANDIDATES]:
        first = cite.sentence_ids[0]
        gain = -ABOUT_ANOTHER_COST if _about_another(text, concept.id, finder) else 0.0
        before = _neighbour(context, first, -1)
        if before is not None and asks_what(tidy(before[1]), names_it):
            gain += ANSWERS_WHAT_BONUS
        passage_cite, _ = _passage(concept, cite, text, context, finder, allowed, names_it, avoid)
        added = [sid for sid in passage_cite.sentence_ids if sid not in cite.sentence_ids]
        after = _neighbour(context, cite.sentence_ids[-1], 1)
        if after is not None and after[0] in added:
            gain += max(0.0, _carried_on(after[1], text, names_it))
        if gain:
            bonus[first] = gain
    return bonus


def _about_another(text: str, concept_id: str, finder: MentionFinder) -> bool:
    """True when the quote's first words name another idea and not this one (its subject)."""
    subject = " ".join(tokens(clean_lead(text))[:SUBJECT_WORDS])
    named = finder.concepts_in(subject)
    return bool(named - {concept_id}) and concept_id not in named


def _carried_on(following: str, quote: str, names_it: re.Pattern[str]) -> float:
    """How far the next sentence explains the concept when its pronoun subject stands for it
    ("Replay buffers came up. They store old transitions ...": read as "Replay buffers store ...")."""
    mention = names_it.search(quote)
    body = clean_lead(tidy(following))
    if mention is None or names_it.search(body) or not _PRONOUN_SUBJECT.match(body):
        return 0.0
    return explains_idea(_PRONOUN_SUBJECT.sub(mention.group(0), body, count=1), names_it)


def _neighbour(
    context: LessonContext, sentence_id: str, step: int, same_turn: bool = False
) -> tuple[str, str] | None:
    """The id and text of the sentence `step` away in the same passage, if there is one
    (`same_turn`: and the same speaker's, for a quote that grows by it)."""
    ref = context.sources.get(sentence_id)
    if ref is None:
        return None
    index = ref.index + step
    if not 0 <= index < len(ref.passage.sentences):
        return None
    sentence = ref.passage.sentences[index]
    in_order = [sentence_id, sentence.id] if step > 0 else [sentence.id, sentence_id]
    if same_turn and context.sources.crosses_turn(in_order):
        return None
    return sentence.id, sentence.text


# Unpunctuated auto-captions split one spoken sentence into caption lines: a line with no closing
# punctuation followed by one that opens in lower case ("and then eventually arrive at ...") is
# the same sentence going on.
_CAPTION_END = re.compile(r"[.!?]['\"]?\s*$")
# A caption line opening on one of these starts a new clause: the run before it is a whole thought.
_CLAUSE_OPENS = re.compile(r"^(?:and|but|so|then|because|or)\b", re.I)


def _caption_run(
    cite: Cite, text: str, context: LessonContext, names_it: re.Pattern[str], avoid: set[str]
) -> tuple[Cite, str]:
    """A core candidate cut off by caption splitting, with the caption lines that finish its
    thought (up to PASSAGE_MAX_WORDS), so a core can say what a speaker said in one breath rather
    than the first line of it ("I don't want test time compute to just ... think longer" goes on
    "and then eventually arrive at solution but we also want it to think very deeply ...").

    The joined lines are the course's wording, so they read as a stem does (no fillers or
    stutters), closed with a full stop when the run ends where a new clause or sentence begins;
    the citation keeps every word.
    """
    ids, quote = list(cite.sentence_ids), text
    after = _neighbour(context, ids[-1], 1, same_turn=True)
    while not _CAPTION_END.search(context.sources.text(ids[-1:])):
        if after is None or after[0] in avoid or not after[1][:1].islower():
            break
        line = tidy(after[1]).replace('"', "'")
        joined = f"{quote} {line[:1].lower()}{line[1:]}"
        if len(tokens(joined)) > PASSAGE_MAX_WORDS or "?" in line or _garbles(line, names_it):
            break
        ids.append(after[0])
        quote = joined
        after = _neighbour(context, ids[-1], 1, same_turn=True)
    # A run that turns out to ask something ("how high do you guys think the ceiling is") is not
    # offered as a statement: a question's lines stay a fragment.
    if len(ids) == len(cite.sentence_ids) or asks_listener(quote):
        return cite, text
    ends_thought = after is None or not after[1][:1].islower() or bool(_CLAUSE_OPENS.match(after[1]))
    run = trim_fillers(quote) + ("." if ends_thought else "")
    # The lines that follow are offered only when they read better than the line alone (a run
    # that rambles on "... I think that means that we can be ..." leaves the line as it was).
    if _rank_score(run, names_it) < _rank_score(text, names_it):
        return cite, text
    return Cite(episode=cite.episode, sentence_ids=ids), run


# Where a spoken sentence starts a new thought: a long core is shown up to there (_first_thought).
_NEW_THOUGHT = re.compile(
    r"(?:,\s*|\s+)(?=(?:and then|and so(?! on| forth)|but|because|'cause|whereas|so that's|and that's|"
    r"and i think|but i think|which means)\b)",
    re.I,
)
# The shown part keeps at least this many words, this many of them content words besides the name.
MIN_THOUGHT_WORDS = 12
MIN_THOUGHT_CONTENT = 5
ELLIPSIS = " …"


def _first_thought(text: str, names_it: re.Pattern[str]) -> str:
    """A core quote too long to take in (past _core_word_limit) shown up to where the speaker
    starts a new thought, with an ellipsis: "The world model itself is acting as a renderer of
    the world that you can really just change by a language …" rather than the 60 words that
    ramble on about products. The citation keeps the whole sentence; the shown words are its
    first ones, verbatim (fillers trimmed as everywhere), so a long sentence that explains at its
    start can be the core."""
    limit = _core_word_limit(text, names_it)
    if len(tokens(text)) <= limit:
        return text
    mention = names_it.search(text)
    if mention is None:
        return text
    # The latest new thought that leaves the core short enough: the more of the explanation the better.
    best = text
    for boundary in _NEW_THOUGHT.finditer(text, mention.end()):
        shown = text[: boundary.start()].rstrip(" ,;")
        if len(tokens(shown)) > limit:
            break
        says_enough = len(content_words(names_it.sub(" ", shown))) >= MIN_THOUGHT_CONTENT
        if len(tokens(shown)) >= MIN_THOUGHT_WORDS and says_enough:
            best = shown + ELLIPSIS
    return best


def _shown_core(candidate: tuple[Cite, str], names_it: re.Pattern[str]) -> tuple[Cite, str]:
    """A core candidate with its text as the lesson would show it (_first_thought)."""
    cite, text = candidate
    return cite, _first_thought(text, names_it)


# A sentence about the speaker ("that's why this enforces my timelines") adds nothing to the idea.
_ABOUT_THE_SPEAKER = re.compile(r"\b(?:my|myself)\b", re.I)
# A core passage carries on with at most this many sentences after the quote.
CARRIED_SENTENCES = 2
# Doubles that English grammar makes ("a piece of it it will ...", "what it is is"), not restarts.
_GRAMMATICAL_DOUBLES = frozenset({"it", "that", "is", "had"})


def _restarts(body: str) -> bool:
    """True when the sentence stutters or restarts ("of of", "I I"), beyond a grammatical double."""
    return any(m.group(1).lower() not in _GRAMMATICAL_DOUBLES for m in _STUTTER.finditer(body))


# A one-word name this long may be a compound a caption splits ("auto complete").
MIN_COMPOUND_LETTERS = 6
_NEVER = re.compile(r"(?!)")


def _spellings(concept: GraphConcept) -> re.Pattern[str]:
    """The concept's one-word names also written as two words or hyphenated ("auto complete",
    "auto-complete" for "autocomplete"): a caption often splits a compound."""
    words = sorted(
        n.lower() for n in {concept.name, *concept.aliases} if n.isalpha() and len(n) >= MIN_COMPOUND_LETTERS
    )
    loose = [r"[\s-]?".join(re.escape(ch) for ch in word) for word in words]
    return re.compile(r"\b(?:" + "|".join(loose) + r")\b", re.I) if loose else _NEVER


def _passage(
    concept: GraphConcept,
    cite: Cite,
    text: str,
    context: LessonContext,
    finder: MentionFinder,
    allowed: set[str],
    names_it: re.Pattern[str],
    avoid: set[str],
) -> tuple[Cite, str]:
    """The core quote as a short passage: the sentence before it when the quote opens with a
    pronoun that sentence resolves ("It ..." after "Nano chat is ..."), and the sentence after it
    when that carries the thought on ("It ...", "So ...", "Because ...", or names the concept).

    Only sentences of the same passage, next to the quote, are added (a citation is a run of
    consecutive sentences); they are in the lesson's cache key, since the cited episodes are.
    """
    ids = list(cite.sentence_ids)
    quote = text

    def fits(extra: str, joined: str) -> bool:
        body = tidy(extra)
        return (
            bool(body)
            and not body.rstrip().endswith("?")
            and "?" not in body
            and len(tokens(joined)) <= PASSAGE_MAX_WORDS
            and chatter(body) <= MAX_PROBLEM_CHATTER
            and not _restarts(body)
            and not _OPINION.search(body)
            and not _ABOUT_THE_SPEAKER.search(body)
            and _garbles(body, names_it) == 0
            and not _caption_seam(body)
            and len(content_words(body)) >= MIN_PROBLEM_CONTENT
            and finder.only_uses(body, allowed)
        )

    before = _neighbour(context, ids[0], -1, same_turn=True)
    # "It ..." with the concept named only later in the sentence (or not at all) leans on the
    # sentence before, when that one names the concept.
    leans_back = _CONTINUES.match(clean_lead(quote)) and not names_it.search(clean_lead(quote)[:30])
    if before is not None and before[0] not in avoid and leans_back and names_it.search(before[1]):
        joined = f"{tidy(before[1])} {quote}"
        if fits(before[1], joined):
            ids.insert(0, before[0])
            quote = tidy(joined).replace('"', "'")
    # Up to CARRIED_SENTENCES after it, while each goes on about the idea: under a pronoun or
    # elided subject ("So when you start writing it will auto complete for you ..."), or naming it,
    # also as one of its spellings ("auto complete" for autocomplete).
    spelled = _spellings(concept)
    # A quote shown up to its first thought (_first_thought) ends where it is cut.
    for _ in range(0 if quote.endswith(ELLIPSIS) else CARRIED_SENTENCES):
        after = _neighbour(context, ids[-1], 1, same_turn=True)
        if after is None or after[0] in avoid:
            break
        lead = clean_lead(tidy(after[1]))
        if not (_CONTINUES.match(lead) or names_it.search(lead) or spelled.search(lead)):
            break
        joined = f"{quote} {tidy(after[1])}"
        if not fits(after[1], joined):
            break
        ids.append(after[0])
        quote = tidy(joined).replace('"', "'")
    if ids == list(cite.sentence_ids):
        return cite, text
    return Cite(episode=cite.episode, sentence_ids=ids), quote


# The reveal of a "finish the sentence" prediction shows how the speaker goes on, this far.
REVEAL_WORDS = 16


# "X is", "X lets", "X over longer horizons will": the verbs after which a learner can finish
# the speaker's sentence about the concept.
_STUB_VERB = re.compile(
    r"\s+(?:[\w-]+\s+){0,3}?(is|are|means|lets|makes|helps|works|uses|gives|allows|enables|needs|"
    r"requires|learns|predicts|turns|will|would|can|tries to|are trying to|is trying to)\b",
    re.I,
)
# Words that start a clause of their own before the concept ("It's so like talking to X could").
_CLAUSE_WORDS = _phrases(
    "it", "it's", "i", "i'm", "you", "we", "they", "he", "she", "there", "there's", "that's", "is",
    "are", "was", "were", "be", "could", "would", "like", "so", "if", "when", "because", "and", "but",
)
# The stub may open with a few words before the concept ("The weights of the neural network are").
STUB_MAX_LEAD_WORDS = 6
MIN_STUB_REST_WORDS = 4


def _definition_stub(core: str, names_it: re.Pattern[str]) -> tuple[str, str] | None:
    """("Nano chat is", "a ramp to knowledge ...") when the core says what the concept is or does
    right after naming it, so the learner can finish the speaker's sentence."""
    match = names_it.search(core)
    if match is None or len(tokens(core[: match.start()])) > STUB_MAX_LEAD_WORDS:
        return None
    if any(mark in core[: match.start()] for mark in ",;:") or _CLAUSE_WORDS.search(core[: match.start()]):
        return None  # a clause before the concept: the stub would not read as its subject
    verb = _STUB_VERB.match(core[match.end() :])
    if verb is None:
        return None
    cut = match.end() + verb.end()
    rest = core[cut:].strip()
    if len(tokens(rest)) < MIN_STUB_REST_WORDS:
        return None
    return core[:cut].strip(), rest


# What the learner is asked to guess follows the opening: the answer to its question, what the
# concept does about its difficulty, or, for a job or a puzzle, how the speaker's sentence goes on.
_GUESSES = {
    "question": "Before reading on, answer the opening question in one sentence, in your own words.",
    "open question": "Before reading on, write one sentence: what do you think {name} is or does, and how "
    "might it bear on that question?",
    "difficulty": "Before reading on: what do you think {name} is or does, and how does it come into "
    "this difficulty? Write one sentence.",
    "contrast": "Before reading on: what do you expect {name} to do that the alternative does not? "
    "Write one sentence.",
    "shortfall": "Before reading on: what do you think {name} does, and why might it fall short? "
    "Write one sentence.",
    "task": "Before reading on: which part of that job do you expect to be hardest, and how might {name} "
    "handle it? Write one sentence.",
    "use": "Before reading on, write one sentence saying what you think {name} is or does.",
    "prompt": "Before reading on, write one sentence saying what you think {name} is or does.",
}
# The opening's question is answered in the speaker's own words (the core quote).
_REVEALS = {
    "question": "A speaker's answer",
}


def _prediction(name: str, core: str, names_it: re.Pattern[str], opening: Opening) -> tuple[str, str]:
    """The guess before the reveal, and the reveal: both about what the core quote says.

    A question opening is answered, a difficulty met, a job taken on, each in one sentence the
    learner writes, and the reveal gives the core quote's answer (what it says the concept is or
    does). Where the core says so right after naming the concept and the opening asks nothing of
    its own, the learner finishes the speaker's sentence instead.
    """
    stub = _definition_stub(core, names_it)
    # A job opening already says how the core goes on: finishing its sentence would be no guess.
    asks = ("question", "open question", "difficulty", "shortfall", "task")
    if stub is not None and opening.kind not in asks:
        opening_words, rest = stub
        words = rest.split()
        shown = " ".join(words[:REVEAL_WORDS]) + (" …" if len(words) > REVEAL_WORDS else "")
        return (
            f'Guess before reading on: how would you finish the sentence "{opening_words} …"? '
            f"Write your version down, then open the answer and compare.",
            f'The speaker\'s version: "{opening_words} {shown}" The lesson\'s core idea gives the whole '
            f"passage and its source.",
        )
    asked = _GUESSES.get(opening.kind, _GUESSES["prompt"]).format(name=name)
    said = _REVEALS.get(opening.kind, "What a speaker says about {name}").format(name=name)
    reveal = (
        f'{said}: "{answer_part(core, names_it)}" The lesson\'s core idea gives the whole passage and its '
        f"source; what did your sentence get right, and what is new?"
    )
    return f"{asked} Then open the answer and compare.", reveal


def _open_prediction(name: str, opening: Opening | None = None) -> str:
    """The guess to make when the lesson has no core quote: the opening's own question."""
    kind = opening.kind if opening is not None else "prompt"
    return f"{_GUESSES.get(kind, _GUESSES['prompt']).format(name=name)} Then read on and compare."


def _substantive(
    text: str,
    names_it: re.Pattern[str],
    min_content: int = MIN_NUANCE_CONTENT,
    min_says: float = MIN_NUANCE_SAYS,
) -> bool:
    """A further point says something about the concept: enough content besides its name, not an
    opinion, aside or garbled caption ("As we say around the micro kitchen, such a good model.")."""
    rest = names_it.sub(" ", clean_lead(text))
    return (
        len(content_words(rest)) >= min_content
        and not _OPINION.search(text)
        and _garbles(text, names_it) == 0
        and not text.rstrip().endswith("?")
        and statement_score(text, names_it) >= MIN_NUANCE_SCORE
        and explains_score(text, names_it) > MIN_NUANCE_EXPLAINS
        and _says_what(text, names_it) > min_says
        and explains_idea(text, names_it) >= MIN_FURTHER_IDEA
        and not _POINTS_AT_EARLIER.search(clean_lead(text))
        and not _caption_seam(text)
    )


# A list that trails off ("... the next self-driving car and the next internet and whatever."):
# the concept is one item of it, not the point.
_TRAILS_OFF = re.compile(
    r"(?:\b(?:and|or)\s+(?:whatever|so on|so forth|stuff|things like that|something|all that)|\betc)"
    r"\W*$",
    re.I,
)


def _second_point(
    concept: GraphConcept,
    evidence: list[tuple[Cite, str]],
    names_it: re.Pattern[str],
    shown: set[str],
    material: _Material,
    context: LessonContext,
    finder: MentionFinder,
) -> list[_Quote]:
    """One further point for a lesson that would show only its core, by the lower bar
    (MIN_SECOND_POINT_*): a whole statement about this concept, so neither a list that trails off,
    a short passing mention (_says_little_in_passing) nor a quote whose subject is another idea
    ("That in-context learning process is developed by gradient descent on pre-training" is about
    in-context learning, whose lesson quotes it)."""
    whole = [
        (cite, text)
        for cite, text in evidence
        if not _TRAILS_OFF.search(text)
        and not _about_another(text, concept.id, finder)
        and not _says_little_in_passing(text, names_it)
    ]
    return _nuance(
        concept,
        whole,
        names_it,
        shown,
        material,
        context,
        at_most=1,
        min_content=MIN_SECOND_POINT_CONTENT,
        min_says=MIN_SECOND_POINT_SAYS,
    )


def _core_block(concept: GraphConcept, cite: Cite, body: str) -> BlockDraft:
    """The lesson's first word on a concept: the core quote, with the other name the speakers give
    the idea (merge joined "weights" to "parameter" from how they use both), so a learner who
    meets that name in a quote or a question knows it is this idea."""
    also = _also_called(concept)
    named = f'{concept.name} (the speakers also say "{also}")' if also else concept.name
    return BlockDraft(text=f'The core idea of {named}, as a speaker puts it: "{body}"', cites=[cite])


def _also_called(concept: GraphConcept) -> str | None:
    """The concept's other name, in its longest form ("weights" of "weight", "weights"); a form of
    a word of its name ("scaled" for "scaling") is no other name."""
    names = [n for n in other_names(concept) if not word_forms(n, concept.name)]
    return max(names, key=lambda n: (len(n), n)) if names else None


def _nuance(
    concept: GraphConcept,
    evidence: list[tuple[Cite, str]],
    names_it: re.Pattern[str],
    shown: set[str],
    material: _Material,
    context: LessonContext,
    at_most: int = NUANCE_BLOCKS_PER_CONCEPT,
    min_content: int = MIN_NUANCE_CONTENT,
    min_says: float = MIN_NUANCE_SAYS,
) -> list[_Quote]:
    """The concept's best `at_most` further points from its evidence, in evidence order (marked
    shown).

    Further points state things; the host's questions set up lessons but explain little. A further
    point must say something about the concept: not a list item, a biography, an aside or an
    opinion. Fewer, better blocks beat filler. One its questions can test counts for more, and is
    shown as they quote it (with the sentence before it when it leans on that one).
    """
    others = []
    for position, (cite, text) in enumerate(evidence):
        # As for the core: a further point uses the concept's own name, not a form of it that
        # means something else here ("training to help scale").
        if (
            shown & set(cite.sentence_ids)
            or not _substantive(text, names_it, min_content, min_says)
            or _answered(cite, context)
        ):
            continue
        if not named_as_itself(text, concept, names_it):
            continue
        cite, text = material.as_heard(cite, text)
        score = _rank_score(text, names_it) + TESTABLE_BONUS * (material.level(cite) is not None)
        others.append(_Quote(score, position, cite, clean_lead(text)))
    others.sort(key=lambda o: (-o.score, o.position))
    nuance = sorted(others[:at_most], key=lambda o: o.position)
    for quote in nuance:
        shown.update(quote.cite.sentence_ids)
    return nuance


def _further_blocks(concept: GraphConcept, nuance: list[_Quote], more: list[_Quote]) -> list[BlockDraft]:
    """Blocks for the concept's further points, then for its quotes "from the episodes", each
    under a lead-in saying what the quote does (an example, a caveat, a figure)."""
    blocks: list[BlockDraft] = []
    used_frames: set[str] = set()
    for quote in nuance:
        lead = frame(quote.body, concept.name)
        # Two blocks under the same heading read like a list; the second one says "more".
        lead = f"More on {concept.name}" if lead in used_frames else lead
        used_frames.add(lead)
        blocks.append(BlockDraft(text=f'{lead}: "{quote.body}"', cites=[quote.cite]))
    for number, quote in enumerate(more):
        # A view is marked as one: the learner should not take it for a settled fact.
        lead = f"A speaker's view of {concept.name}" if quote.view else frame(quote.body, concept.name)
        if lead in used_frames or lead == frame("", concept.name):
            # No kind of point of its own: where it comes from is the lead-in.
            lead = f"More from the episodes on {concept.name}" if number == 0 else f"Also on {concept.name}"
        lead = f"Also on {concept.name}" if lead in used_frames else lead
        used_frames.add(lead)
        blocks.append(BlockDraft(text=f'{lead}: "{quote.body}"', cites=[quote.cite]))
    return blocks


def write_lesson(plan: LessonPlan, context: LessonContext) -> LessonDraft:
    """Write one lesson from the concepts' evidence; course text names only taught concepts."""
    by_id = {c.id: c for c in context.graph.concepts}
    concepts = [by_id[cid] for cid in plan.concepts]
    finder = finder_for(context.graph)
    allowed = set(context.taught_before) | set(plan.concepts)
    names = [c.name for c in concepts]
    title = _sentence_case(names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1])
    shown: set[str] = set()  # a quote appears once per lesson, under the first concept it explains
    cores: list[tuple[GraphConcept, list[tuple[Cite, str]], Cite, str, re.Pattern[str]]] = []
    for concept in concepts:
        evidence = [
            e
            for e in _lesson_evidence(concept, context, finder, allowed)
            if not shown & set(e[0].sentence_ids)
        ]
        if not evidence:
            continue
        names_it = finder.pattern(concept.id)
        candidates = [
            _shown_core(_caption_run(cite, text, context, names_it, shown), names_it)
            for cite, text in evidence
        ]
        bonus = _context_bonus(concept, candidates, context, finder, allowed, shown)
        core_cite, core_text = _core(candidates, names_it, bonus, _names_later(candidates, finder, allowed))
        if not _fit_core(concept, core_cite, core_text, context, names_it):
            wider = [
                (cite, text)
                for cite, text in _wider_core_pool(concept, candidates, context, names_it, shown)
                if _fit_core(concept, cite, text, context, names_it)
            ]
            answers = _answers_to(core_cite, context, names_it, shown)
            wider = answers + [e for e in wider if e not in answers]
            if wider:
                bonus = _context_bonus(concept, wider, context, finder, allowed, shown)
                for cite, _ in answers:
                    bonus[cite.sentence_ids[0]] = bonus.get(cite.sentence_ids[0], 0.0) + ANSWER_BONUS
                core_cite, core_text = _core(wider, names_it, bonus, _names_later(wider, finder, allowed))
        core_cite, core_text = _passage(
            concept, core_cite, core_text, context, finder, allowed, names_it, shown
        )
        shown.update(core_cite.sentence_ids)
        cores.append((concept, evidence, core_cite, clean_lead(core_text), names_it))
    # The opening is chosen before the further points, so the clearest difficulty opens the
    # lesson instead of sitting in a block further down.
    job = _core_job(cores, finder, allowed)
    # An argument the next speaker disputes does not open the lesson either (_answered).
    core_texts = {concept.id: core for concept, _, _, core, _ in cores}
    avoid = shown | _answered_in(concepts, context)
    opening = _problem(concepts, context, finder, allowed, avoid, job, core_texts)
    shown.update(opening.quoted)
    if not cores:
        prediction, reveal = _open_prediction(names[0], opening), ""
    else:
        # The guess is about the concept the opening raises, when that one has a core quote.
        concept, _, _, core_shown, names_it = next((c for c in cores if c[0].id == opening.about), cores[0])
        prediction, reveal = _prediction(concept.name, core_shown, names_it, opening)
    materials = [_material(concept, context, finder, allowed) for concept, *_ in cores]
    further = _within_cap(
        [
            _nuance(concept, evidence, names_it, shown, material, context)
            for (concept, evidence, _, _, names_it), material in zip(cores, materials, strict=True)
        ],
        MAX_LESSON_BLOCKS - len(cores),
        shown,
    )
    blocks = [_core_block(concept, core_cite, core_shown) for concept, _, core_cite, core_shown, _ in cores]
    bodies = [core_shown for *_, core_shown, _ in cores] + [q.body for points in further for q in points]
    spent = _reading_words(opening.text, prediction, reveal) + sum(_block_words(b) for b in bodies)
    more = _pick_more(
        [
            _more_quotes(concept, context, finder, allowed, shown, material)
            for (concept, *_), material in zip(cores, materials, strict=True)
        ],
        MAX_READING_WORDS - spent,
        shown,
        bodies,
        MAX_LESSON_BLOCKS - len(cores) - sum(len(points) for points in further),
    )
    if len(cores) == 1 and not further[0] and not more[0]:
        concept, evidence, _, _, names_it = cores[0]
        further[0] = _second_point(concept, evidence, names_it, shown, materials[0], context, finder)
    blocks = [
        block
        for (concept, *_), core, points, extra in zip(cores, blocks, further, more, strict=True)
        for block in [core, *_further_blocks(concept, points, extra)]
    ]
    return LessonDraft(
        id=plan.id,
        title=title,
        problem=opening.text + _builds_on(concepts, context),
        prediction=prediction,
        prediction_reveal=reveal,
        blocks=blocks,
        definitions={
            concept.id: BlockDraft(text=core_shown, cites=[core_cite])
            for concept, _, core_cite, core_shown, _ in cores
        },
    )


def _names_later(
    candidates: list[tuple[Cite, str]], finder: MentionFinder, allowed: set[str]
) -> frozenset[str]:
    """First sentence ids of the core candidates that name an idea not taught by this lesson."""
    return frozenset(
        cite.sentence_ids[0]
        for cite, text in candidates[:CORE_CANDIDATES]
        if not finder.only_uses(text, allowed)
    )


def _core_job(
    cores: list[tuple[GraphConcept, list[tuple[Cite, str]], Cite, str, re.Pattern[str]]],
    finder: MentionFinder,
    allowed: set[str],
) -> tuple[str, Job] | None:
    """The first concept's name and the job its core quote gives it (framing.job_of), if any. The
    job becomes course text, so it may name only ideas taught by the end of this lesson."""
    if not cores:
        return None
    concept, _, _, core, names_it = cores[0]
    job = job_of(core, names_it)
    return (concept.name, job) if job is not None and finder.only_uses(job.needed, allowed) else None


def _question_opening(concept: GraphConcept, question: str) -> str:
    """A lesson opening built on a question a speaker asked."""
    return (
        f'A question from the conversation sets up this lesson: "{question}" '
        f"Keep it in mind: {concept.name} is part of the answer."
    )


def _open_question_opening(concept: GraphConcept, question: str) -> str:
    """A question opening whose answer the lesson's core quote does not give (_speaks_to): the
    question frames the lesson, and no reveal pretends to answer it."""
    return (
        f'A question from the conversation sets up this lesson: "{question}" '
        f"Keep it in mind as you read what the speakers say about {concept.name}."
    )


def _speaks_to(concept: GraphConcept, question: str, core: str | None, finder: MentionFinder) -> bool:
    """True when the concept's core quote shares a content word with the question besides the
    concept's names, or there is no core: the reveal of a question opening answers it with that
    quote, and readers found "how much compute do you wanna spend on this particular inference?"
    answered by "a necessary component of that is more compute" (another episode, another
    question)."""
    if core is None:
        return True
    names_it = finder.pattern(concept.id)
    asked = {normal(w) for w in content_words(names_it.sub(" ", question))}
    said = {normal(w) for w in content_words(names_it.sub(" ", core))}
    return bool(asked & said)


# "More from the episodes": after the core and its nuance, a few more of the speakers' statements
# about each concept, those its check-yourself questions can test (the assessment stage asks about
# the sentences the lesson quotes first, and about others only to top a thin concept up).
MORE_QUOTES_PER_CONCEPT = 5
# Lessons stay short (principle 7): further quotes stop once the lesson would take this long to
# read (about four minutes at assemble_course.WORDS_PER_MINUTE).
MAX_READING_WORDS = 780
# A further quote must say this much about the concept besides its name.
MIN_MORE_CONTENT = 3
# Two quotes sharing this share of their content words say the same thing twice.
MAX_QUOTE_OVERLAP = 0.7
# What makes a quote the better question source, on top of how well it explains the concept: a
# sentence clean enough to be a stem, and one a learner can judge true or false.
CLEAN_BONUS = 2.0
CLAIM_BONUS = 1.5
# A quote that can carry a fairly judged item, rather than only a loosely judged one.
TESTABLE_BONUS = 3.0
AHEAD_PENALTY = 2.0
GARBLE_PENALTY = 2.0
VIEW_PENALTY = 1.0


@dataclass(frozen=True)
class _Quote:
    """A further quote about one concept, with how well it serves the lesson and its questions."""

    score: float
    position: int  # its place among the concept's candidates (evidence first, then the episodes)
    cite: Cite
    body: str
    view: bool = False  # a view or a guess someone reports, not a fact (assertions.REPORTED)


def _answered(cite: Cite, context: LessonContext) -> bool:
    """True when the next speaker disputes the quote, or it argues the listener's words back
    (assertions.AssertionIndex.answered_for_listener): a lesson does not present it as the idea."""
    episode = context.sources.episodes.get(cite.episode)
    return episode is not None and episode_index(episode).answered_for_listener(cite.sentence_ids)


# The answer to a disputed argument is what the disagreeing speaker holds: it leads the core's
# choice by this much (see _core).
ANSWER_BONUS = 3.0


def _answers_to(
    cite: Cite, context: LessonContext, names_it: re.Pattern[str], avoid: set[str]
) -> list[tuple[Cite, str]]:
    """The sentences answering a disputed quote that name the concept, as core candidates."""
    episode = context.sources.episodes.get(cite.episode)
    ids = episode_index(episode).answers(cite.sentence_ids) if episode is not None else []
    return [
        (Cite(episode=cite.episode, sentence_ids=[sid]), tidy(context.sources.text([sid])).replace('"', "'"))
        for sid in dict.fromkeys(ids)
        if sid not in avoid and names_it.search(context.sources.text([sid]))
    ]


def _answered_in(concepts: list[GraphConcept], context: LessonContext) -> set[str]:
    """The sentences of the concepts' cited episodes that _answered refuses."""
    cited = sorted({cite.episode for concept in concepts for cite in concept.evidence})
    episodes = [context.sources.episodes.get(e) for e in cited]
    indexes = [episode_index(episode) for episode in episodes if episode is not None]
    return {sid for index in indexes for sid in index.answered_sentences}


def _flaw(cite: Cite, text: str, context: LessonContext, names_it: re.Pattern[str]) -> str | None:
    """Why a speaker does not assert the quote (a host's set-up, a trailer clip, a reported view, a
    garble: assertions.AssertionIndex.flaw), or None."""
    episode = context.sources.episodes.get(cite.episode)
    return TRAILER if episode is None else episode_index(episode).flaw(cite.sentence_ids, text, names_it)


def _quotable(
    concept: GraphConcept, body: str, flaw: str | None, names_it: re.Pattern[str], known: frozenset[str]
) -> bool:
    """A further quote a newcomer can read alone: a statement a speaker asserts about the concept
    (not a list item or a passing mention), clean enough to be a question's stem, and not pointing
    back at earlier talk (see statements.self_contained). Every mention is the concept's own name
    (assessment.named_as_itself): "a large scale model" says nothing about scaling."""
    shown = trim_fillers(body)
    return (
        "?" not in body
        and bool(names_it.search(shown))
        and named_as_itself(shown, concept, names_it)
        and reads_cleanly(shown, known, loose=True)
        and len(content_words(names_it.sub(" ", shown))) >= MIN_MORE_CONTENT
        and explains_score(body, names_it) > MIN_NUANCE_EXPLAINS
        and not _OPINION.search(body)
        and _garbles(body, names_it) == 0
        and explains_idea(body, names_it) >= MIN_FURTHER_IDEA
        and not _says_little_in_passing(shown, names_it)
        and not _POINTS_AT_EARLIER.search(clean_lead(body))
        and not _caption_seam(body)
        and _asserted_enough(flaw, body, known)
    )


def _says_little_in_passing(text: str, names_it: re.Pattern[str]) -> bool:
    """True when a short quote names the concept only in passing (defining.explains_idea below 0):
    "The first X paper, you could just like look at the expert." says nothing of X alone."""
    return (
        explains_idea(text, names_it) < 0
        and len(content_words(names_it.sub(" ", clean_lead(text)))) < MIN_NUANCE_CONTENT
    )


def _asserted_enough(flaw: str | None, body: str, known: frozenset[str]) -> bool:
    """No host's set-up or trailer clip (`flaw`, see _flaw). A reported view or a guess is shown as
    a view (see _further_blocks); a sentence judged garbled (assertions.GARBLED: a fragment, a
    run-on, a cut caption) only when it reads cleanly by the strict standard of a question's stem."""
    if flaw == GARBLED:
        return reads_cleanly(trim_fillers(body), known)
    return flaw in (None, REPORTED)


@dataclass(frozen=True)
class _Material:
    """What the speakers say about one concept that its questions may test
    (assessment.concept_statements), and those of it that can carry an item
    (assessment.askable_statements)."""

    heard: list[tuple[Cite, str]]
    askable: list[Askable]

    def level(self, cite: Cite) -> int | None:
        """The level at which the quote can carry an item (assessment.FAIR or LOOSE), or None."""
        return next((a.level for a in self.askable if a.cite.sentence_ids == cite.sentence_ids), None)

    def as_heard(self, cite: Cite, text: str) -> tuple[Cite, str]:
        """The evidence quote as the questions read it: widened with the sentence before it when
        it leans on that one (statements.self_contained), else as it is."""
        ids = cite.sentence_ids
        same = ((c, t) for c, t in self.heard if c.episode == cite.episode)
        return next(((c, t) for c, t in same if c.sentence_ids[-len(ids) :] == ids), (cite, text))


def _material(
    concept: GraphConcept, context: LessonContext, finder: MentionFinder, allowed: set[str]
) -> _Material:
    """The concept's material, read as its questions will read it."""
    heard = concept_statements(concept, context, finder, allowed)
    return _Material(heard, askable_statements(concept, context, allowed, heard))


def _more_quotes(
    concept: GraphConcept,
    context: LessonContext,
    finder: MentionFinder,
    allowed: set[str],
    shown: set[str],
    material: _Material,
) -> list[_Quote]:
    """The concept's further quotes not shown yet, best first: the statements its questions may
    test that can carry an item, fairly judged ones first, then by how well they explain it."""
    names_it = finder.pattern(concept.id)
    known = known_words(context)
    quotes: list[_Quote] = []
    for position, askable in enumerate(material.askable):
        cite, level = askable.cite, askable.level
        if shown & set(cite.sentence_ids) or _answered(cite, context):
            continue
        body = clean_lead(askable.text)
        flaw = _flaw(cite, body, context, names_it)
        if not _quotable(concept, body, flaw, names_it, known):
            continue
        shown_text = trim_fillers(body)
        score = (
            _rank_score(body, names_it)
            + TESTABLE_BONUS * (level == FAIR)
            + CLEAN_BONUS * reads_cleanly(shown_text, known)
            + CLAIM_BONUS * is_assertion(shown_text, names_it, known)
            # Quotes may name anything, but one naming an idea still ahead reads less clearly.
            - AHEAD_PENALTY * (not finder.only_uses(body, allowed))
            - GARBLE_PENALTY * (flaw == GARBLED)
        )
        view = flaw == REPORTED
        quotes.append(_Quote(score - VIEW_PENALTY * view, position, cite, body, view))
    return sorted(quotes, key=lambda q: (-q.score, q.position))


def _repeats(body: str, others: list[str]) -> bool:
    """True when a quote says what another one already shown says (most content words shared)."""
    words = {w.lower() for w in content_words(body)}
    for other in others:
        theirs = {w.lower() for w in content_words(other)}
        if words and theirs and len(words & theirs) / min(len(words), len(theirs)) >= MAX_QUOTE_OVERLAP:
            return True
    return False


def _reading_words(*texts: str) -> int:
    """Words of course text, as the reading time counts them."""
    return sum(len(t.split()) for t in texts)


# A further block's lead-in ("A caveat about X"), roughly.
BLOCK_LEAD_WORDS = 6


def _block_words(body: str) -> int:
    """What a quoted block adds to the reading time: its quote and its lead-in (the citation
    under it shows who said it and when, not the words again)."""
    return _reading_words(body) + BLOCK_LEAD_WORDS


def _within_cap(points: list[list[_Quote]], slots: int, shown: set[str]) -> list[list[_Quote]]:
    """Each concept's further points, at most `slots` in all, taken in turns (each concept its
    best one, then its next) so that a lesson on several concepts explains each of them; the
    points left out are no longer marked shown (a later block or question may use them)."""
    ranked = [sorted(own, key=lambda q: (-q.score, q.position)) for own in points]
    kept: list[list[_Quote]] = [[] for _ in points]
    for turn in range(max((len(own) for own in ranked), default=0)):
        for own, pool in zip(kept, ranked, strict=True):
            if turn < len(pool) and slots > 0:
                own.append(pool[turn])
                slots -= 1
    kept_ids = {sid for own in kept for quote in own for sid in quote.cite.sentence_ids}
    for own, pool in zip(kept, ranked, strict=True):
        for quote in pool:
            if quote not in own:
                shown.difference_update(set(quote.cite.sentence_ids) - kept_ids)
    return [sorted(own, key=lambda q: q.position) for own in kept]


def _pick_more(
    candidates: list[list[_Quote]], budget: int, shown: set[str], bodies: list[str], slots: int
) -> list[list[_Quote]]:
    """Further quotes per concept, taken in turns (each concept its best one, then its next) until
    each has MORE_QUOTES_PER_CONCEPT, `slots` quotes are taken in all or the lesson's reading
    budget (in words) is spent."""
    picked: list[list[_Quote]] = [[] for _ in candidates]
    left = [list(c) for c in candidates]
    for _ in range(MORE_QUOTES_PER_CONCEPT):
        for own, pool in zip(picked, left, strict=True):
            while pool and slots > 0:
                quote = pool.pop(0)
                if shown & set(quote.cite.sentence_ids) or _repeats(quote.body, bodies):
                    continue
                cost = _block_words(quote.body)
                if cost > budget:
                    continue  # a shorter one may still fit
                budget -= cost
                slots -= 1
                own.append(quote)
                shown.update(quote.cite.sentence_ids)
                bodies.append(quote.body)
                break
    return [sorted(p, key=lambda q: q.position) for p in picked]
