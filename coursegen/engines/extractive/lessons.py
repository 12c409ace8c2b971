"""The lesson stage: problem → prediction (+ reveal) → core idea → nuance, all from cited speech."""

from __future__ import annotations

import re
from dataclasses import dataclass

from coursegen.engines.base import LessonContext
from coursegen.engines.extractive.mentions import MentionFinder, finder_for
from coursegen.engines.extractive.speech import (
    _STUTTER,
    BROKEN_SEGMENT,
    chatter,
    clean_lead,
    explains_score,
    frame,
    is_pain,
    statement_score,
)
from coursegen.engines.extractive.text import content_words, tidy, tokens, zipf
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
# A question from the conversation makes a good opening only when it is not mostly filler.
MAX_PROBLEM_CHATTER = 0.12
MAX_PLAIN_CHATTER = 0.2
# Longer questions ramble; the opening should state the difficulty briefly.
MAX_PROBLEM_WORDS = 28
MIN_PROBLEM_CONTENT = 3
# A difficulty a speaker names opens the lesson only when it reads as a clear statement.
MIN_PAIN_SCORE = 3.0


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def usable_evidence(
    concept: GraphConcept, context: LessonContext, finder: MentionFinder, allowed: set[str]
) -> list[tuple[Cite, str]]:
    """The concept's evidence as (cite, tidied quote), self-contained quotes first.

    Quotes are the speakers' words and may name anything; the course always shows them in
    double quotes. Still, a quote that names no idea the learner has yet to meet reads better,
    so those come first (in their evidence order), then the rest.
    """
    own: list[tuple[Cite, str]] = []
    ahead: list[tuple[Cite, str]] = []
    for cite in concept.evidence:
        text = tidy(context.sources.text(cite.sentence_ids)).replace('"', "'")
        if not text:
            continue
        (own if finder.only_uses(text, allowed) else ahead).append((cite, text))
    return own + ahead


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
    kind: str  # "question", "difficulty", "contrast" or "prompt"
    quoted: frozenset[str] = frozenset()  # the evidence sentences it quotes (not shown again)


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


def _problem(
    concepts: list[GraphConcept],
    context: LessonContext,
    finder: MentionFinder,
    allowed: set[str],
    avoid: set[str],
) -> Opening:
    """The pain before the idea: a clear question from the conversation that names the concept,
    else a difficulty a speaker names, else a contrast a speaker draws, else a prompt."""
    first = concepts[0]
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
    if clear:
        return Opening(_question_opening(*clear[0]), "question")
    # A chattier question still beats a difficulty or a prompt, as long as it really asks about the concept.
    plain = [
        q
        for q in questions
        if len(tokens(q[1])) <= MAX_PROBLEM_WORDS
        and chatter(q[1]) <= MAX_PLAIN_CHATTER
        and len(content_words(q[1])) >= MIN_PROBLEM_CONTENT
    ]
    if plain:
        return Opening(_question_opening(*plain[0]), "question")
    pains: list[tuple[float, int, GraphConcept, str, Cite]] = []
    contrasts: list[tuple[float, int, GraphConcept, str, Cite]] = []
    for order, concept in enumerate(concepts):
        names_it = finder.pattern(concept.id)
        for cite, text in usable_evidence(concept, context, finder, allowed):
            if avoid & set(cite.sentence_ids) or "?" in text:
                continue
            if not finder.only_uses(text, allowed):
                continue
            body = clean_lead(text)
            if not names_it.search(body) or len(tokens(body)) > PASSAGE_MAX_WORDS:
                continue
            score = statement_score(text, names_it) + min(0.0, _says_what(text, names_it))
            if score < MIN_PAIN_SCORE:
                continue
            if is_pain(body):
                pains.append((-score, order, concept, body, cite))
            elif _OPENING_CONTRAST.search(body):
                contrasts.append((-score, order, concept, body, cite))
    if pains:
        # The clearest statement of a difficulty, the lesson's first concept on a tie.
        _, _, concept, body, cite = min(pains, key=lambda p: (p[0], p[1]))
        text = (
            f'Start with the difficulty. A speaker says: "{body}" '
            f"What is going on here, and what would you need to understand about "
            f"{concept.name} to deal with it?"
        )
        return Opening(text, "difficulty", frozenset(cite.sentence_ids))
    if contrasts:
        _, _, concept, body, cite = min(contrasts, key=lambda p: (p[0], p[1]))
        text = (
            f'Start with a contrast a speaker draws: "{body}" '
            f"What does {concept.name} change here, compared with the alternative?"
        )
        return Opening(text, "contrast", frozenset(cite.sentence_ids))
    episode = context.sources.episodes.get(first.evidence[0].episode) if first.evidence else None
    # A title that is only a file name ("000_293b...") says nothing to a learner.
    named = episode is not None and " " in episode.title.strip()
    where = f' in "{episode.title.strip()}"' if named and episode is not None else ""
    text = (
        f"The speakers{where} use the term {first.name} again and again without stopping to define it. "
        f'Before reading on, ask yourself: what problem would "{first.name}" solve, and what would '
        f"someone have to do without it?"
    )
    return Opening(text, "prompt")


def _tag_question(text: str) -> bool:
    """'..., right?' asks for agreement, not for an explanation."""
    return bool(re.search(r"\b(?:right|no|yeah|correct|huh)\?\s*$", text, re.IGNORECASE))


def _builds_on(concepts: list[GraphConcept], context: LessonContext) -> str:
    """A pointer back along the ramp: the earlier ideas this lesson's concepts need."""
    by_id = {c.id: c for c in context.graph.concepts}
    needed = [p for c in concepts for p in c.prerequisites if p in context.taught_before]
    names = [by_id[p].name for p in dict.fromkeys(needed)][:3]
    if not names:
        return ""
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f" It builds on {joined}, from earlier lessons."


# Ways a sentence says what a concept is or does, beyond "X is ...": "X, which ...", "called X",
# "the idea of X", and the mechanism words of an explanation ("instead of", "so that", "by ...ing").
_DEFINES_AFTER = re.compile(
    r"^\s*(?:,\s*)?(?:[\w-]+\s+){0,2}?(?:which|where|that is|that means|that lets|means|refers to)\b", re.I
)
_DEFINES_BEFORE = re.compile(
    r"\b(?:called|known as|(?:the )?(?:idea|concept|notion|point|definition) of|what we call)"
    r"\s+(?:(?:a|an|the)\s+)?$",
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
)
# "X is a/the/this/when/where ...": the sentence says what X is.
_COPULA_DEFINITION = re.compile(
    r"^\s+(?:is|are|means)\s+(?:(?:basically|just|really|like|kind of|sort of|essentially)\s+)*"
    r"(?:a|an|the|this|that|when|where|how|about|something|one|what|any|all)\b",
    re.I,
)
# The concept only as the object of a preposition ("a breakthrough on the scale of a transformer").
_IN_PASSING = re.compile(r"\b(?:of|on|at|about|like|than|for|around)\s+(?:(?:a|an|the|this|that)\s+)?$", re.I)
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
    return sum(1 for w in tokens(rest) if w.islower() and w.isalpha() and len(w) > 2 and zipf(w) == 0)


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
    score = statement_score(text, names_it) + explains_score(text, names_it) + says
    if says >= DEFINES_BONUS:
        return score  # a definition may take a few more words
    # statement_score already prefers 10-32 words; a core idea past CORE_SHORT_WORDS reads as a ramble.
    return score - max(0, len(tokens(text)) - CORE_SHORT_WORDS) / 8


def _core(evidence: list[tuple[Cite, str]], names_it: re.Pattern[str]) -> tuple[Cite, str]:
    """The core-idea quote: names the concept, a whole explaining statement, short; earlier wins ties."""

    def rank(item: tuple[int, tuple[Cite, str]]) -> tuple[bool, float, int]:
        position, (_, text) = item
        explains = explains_score(text, names_it)
        # A quote that says what the concept is may run a little longer than one that does not.
        limit = CORE_BLOCK_MAX_WORDS + (EXPLAINING_CORE_EXTRA_WORDS if explains >= 3.0 else 0)
        too_long = len(tokens(text)) > limit
        # Explaining beats mentioning: "X is/lets/works by ..." over one item of a list.
        return (too_long, -_rank_score(text, names_it), position)

    return min(enumerate(evidence[:CORE_CANDIDATES]), key=rank)[1]


def _neighbour(context: LessonContext, sentence_id: str, step: int) -> tuple[str, str] | None:
    """The id and text of the sentence `step` away in the same passage, if there is one."""
    ref = context.sources.get(sentence_id)
    if ref is None:
        return None
    index = ref.index + step
    if not 0 <= index < len(ref.passage.sentences):
        return None
    sentence = ref.passage.sentences[index]
    return sentence.id, sentence.text


def _passage(
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
            and not _STUTTER.search(body)
            and not _OPINION.search(body)
            and _garbles(body, names_it) == 0
            and len(content_words(body)) >= MIN_PROBLEM_CONTENT
            and finder.only_uses(body, allowed)
        )

    before = _neighbour(context, ids[0], -1)
    # "It ..." with the concept named only later in the sentence (or not at all) leans on the
    # sentence before, when that one names the concept.
    leans_back = _CONTINUES.match(clean_lead(quote)) and not names_it.search(clean_lead(quote)[:30])
    if before is not None and before[0] not in avoid and leans_back and names_it.search(before[1]):
        joined = f"{tidy(before[1])} {quote}"
        if fits(before[1], joined):
            ids.insert(0, before[0])
            quote = tidy(joined).replace('"', "'")
    after = _neighbour(context, ids[-1], 1)
    if after is not None and after[0] not in avoid:
        lead = clean_lead(tidy(after[1]))
        if _CONTINUES.match(lead) or names_it.search(lead):
            joined = f"{quote} {tidy(after[1])}"
            if fits(after[1], joined):
                ids.append(after[0])
                quote = tidy(joined).replace('"', "'")
    if ids == list(cite.sentence_ids):
        return cite, text
    return Cite(episode=cite.episode, sentence_ids=ids), quote


# The reveal of a "finish the sentence" prediction shows how the speaker goes on, this far.
REVEAL_WORDS = 16


def _definition_stub(core: str, names_it: re.Pattern[str]) -> tuple[str, str] | None:
    """("Nano chat is", "a ramp to knowledge ...") when the core opens by saying what the concept is."""
    match = names_it.match(core)
    verb = re.match(r"\s+(is|are|means|lets|makes|helps)\b", core[match.end() :]) if match else None
    if match is None or verb is None:
        return None
    return f"{core[: match.end()]} {verb.group(1)}", core[match.end() + verb.end() :].strip()


def _prediction(name: str, core: str, names_it: re.Pattern[str], opening: Opening) -> tuple[str, str]:
    """The guess before the reveal, and the reveal.

    When the core statement defines the concept, the learner finishes its sentence and the
    reveal shows how the speaker goes on. Otherwise the guess is tied to the problem the lesson
    opened with, and the reveal points to the core idea below instead of repeating it.
    """
    stub = _definition_stub(core, names_it)
    if stub is not None:
        opening_words, rest = stub
        words = rest.split()
        shown = " ".join(words[:REVEAL_WORDS]) + (" …" if len(words) > REVEAL_WORDS else "")
        return (
            f'Guess before reading on: how would you finish the sentence "{opening_words} …"? '
            f"Write your version down, then open the answer and compare.",
            f'The speaker\'s version: "{opening_words} {shown}" The core idea below gives the whole '
            f"passage and its source.",
        )
    reveal = (
        f"The core idea just below is the clearest thing the speakers say about {name}. Compare it "
        f"with your sentence: what did you get right, and what does the quote add?"
    )
    return _open_prediction(name, opening), reveal


def _open_prediction(name: str, opening: Opening | None = None) -> str:
    """The guess to make when no core statement defines the concept, tied to the opening."""
    kind = opening.kind if opening is not None else "prompt"
    if kind == "question":
        return (
            f"Before reading on, answer the opening question in one sentence, using what you think "
            f'"{name}" means. Then open the answer and compare.'
        )
    if kind == "difficulty":
        return (
            f'Before reading on, write one sentence: how could "{name}" help with the difficulty the '
            f"speaker describes? Then open the answer and compare."
        )
    if kind == "contrast":
        return (
            f'Before reading on, write one sentence: what do you think "{name}" does that the '
            f"alternative does not? Then open the answer and compare."
        )
    if kind == "prompt" and opening is not None:
        return (
            f'Before reading on, write one sentence saying what you think "{name}" is or does. '
            f"Then open the answer and compare."
        )
    return (
        f'Before reading on, write one sentence: what do you think "{name}" means, and which '
        f"problem would it help with? Then open the answer and compare."
    )


def _substantive(text: str, names_it: re.Pattern[str]) -> bool:
    """A further point says something about the concept: enough content besides its name, not an
    opinion, aside or garbled caption ("As we say around the micro kitchen, such a good model.")."""
    rest = names_it.sub(" ", clean_lead(text))
    return (
        len(content_words(rest)) >= MIN_NUANCE_CONTENT
        and not _OPINION.search(text)
        and _garbles(text, names_it) == 0
        and not text.rstrip().endswith("?")
        and statement_score(text, names_it) >= MIN_NUANCE_SCORE
        and explains_score(text, names_it) > MIN_NUANCE_EXPLAINS
        and _says_what(text, names_it) > MIN_NUANCE_SAYS
    )


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
            for e in usable_evidence(concept, context, finder, allowed)
            if not shown & set(e[0].sentence_ids)
        ]
        if not evidence:
            continue
        names_it = finder.pattern(concept.id)
        core_cite, core_text = _core(evidence, names_it)
        core_cite, core_text = _passage(core_cite, core_text, context, finder, allowed, names_it, shown)
        shown.update(core_cite.sentence_ids)
        cores.append((concept, evidence, core_cite, clean_lead(core_text), names_it))
    # The opening is chosen before the further points, so the clearest difficulty opens the
    # lesson instead of sitting in a block further down.
    opening = _problem(concepts, context, finder, allowed, shown)
    shown.update(opening.quoted)
    blocks: list[BlockDraft] = []
    for concept, evidence, core_cite, core_shown, names_it in cores:
        blocks.append(
            BlockDraft(
                text=f'The core idea of {concept.name}, as a speaker puts it: "{core_shown}"',
                cites=[core_cite],
            )
        )
        # Further points state things; the host's questions set up lessons but explain little.
        # A further point must say something about the concept: not a list item, a biography,
        # an aside or an opinion. Fewer, better blocks beat filler.
        others = [
            (_rank_score(text, names_it), position, cite, text)
            for position, (cite, text) in enumerate(evidence)
            if not shown & set(cite.sentence_ids) and _substantive(text, names_it)
        ]
        others.sort(key=lambda o: (-o[0], o[1]))
        nuance = sorted(others[:NUANCE_BLOCKS_PER_CONCEPT], key=lambda o: o[1])
        for _, _, cite, _ in nuance:
            shown.update(cite.sentence_ids)
        used_frames: set[str] = set()
        for _, _, cite, text in nuance:
            body = clean_lead(text)
            lead = frame(body, concept.name)
            # Two blocks under the same heading read like a list; the second one says "more".
            lead = f"More on {concept.name}" if lead in used_frames else lead
            used_frames.add(lead)
            blocks.append(BlockDraft(text=f'{lead}: "{body}"', cites=[cite]))
    if not cores:
        prediction, reveal = _open_prediction(names[0], opening), ""
    else:
        concept, _, _, core_shown, names_it = cores[0]
        prediction, reveal = _prediction(concept.name, core_shown, names_it, opening)
    return LessonDraft(
        id=plan.id,
        title=title,
        problem=opening.text + _builds_on(concepts, context),
        prediction=prediction,
        prediction_reveal=reveal,
        blocks=blocks,
    )


def _question_opening(concept: GraphConcept, question: str) -> str:
    """A lesson opening built on a question a speaker asked."""
    return (
        f'A question from the conversation sets up this lesson: "{question}" '
        f"Keep it in mind: {concept.name} is part of the answer."
    )
