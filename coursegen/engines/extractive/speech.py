"""Judging and trimming spoken sentences for course text: which quote reads as a statement.

Quotes in citations stay verbatim (they are materialized from sentence ids); this module only
shapes the course's own wording around them: it ranks candidate sentences and drops the
discourse markers a speaker opens with ("Yeah, I mean, so ...") when a sentence is shown in prose.
"""

from __future__ import annotations

import functools
import re

from coursegen.engines.extractive.text import tokens, zipf

# Openers that carry no content; repeated ("Yeah, right, yeah,") they are peeled one by one.
_LEAD = re.compile(
    r"^(?:(?:yeah|yes|yep|no|okay|ok|oh|well|right|so|and|but|or|now|also|like|basically|actually|"
    r"literally|definitely|obviously|concretely|honestly|"
    r"i mean|you know|i guess|i think that|i think|sure|totally|exactly|absolutely|and then|"
    r"and so|but then|so then)\b[,.]?\s+)+",
    re.IGNORECASE,
)
# Hedges and verbal tics that make a sentence chatty rather than explanatory.
_CHATTY = re.compile(
    r"\b(?:like|kind of|sort of|you know|i mean|i guess|basically|obviously|actually|maybe|probably|"
    r"stuff|whatever|or something|yeah)\b",
    re.IGNORECASE,
)
# Repeated words ("of of", "the the"): stutters of spontaneous speech.
_STUTTER = re.compile(r"\b([\w']+(?:\s+[\w']+)?)\s+\1\b", re.IGNORECASE)
# A full stop followed by a lower-case word: captions cut a sentence in the wrong place.
BROKEN_SEGMENT = re.compile(r"\w\.\s+[a-z]")
# A sentence whose last words come again after its full stop: the captions repeated a line.
_ECHO = re.compile(r"\b([\w'-]+)[.!?]\s+\1[.!?]?\s*$", re.IGNORECASE)
# Verbs that make a sentence explain what something is or does.
_EXPLAINS = re.compile(
    r"\b(?:is|are|means|refers to|lets|allows|enables|makes|uses|works|helps|gives|turns|"
    r"requires|depends on|because|so that|which is|called)\b",
    re.IGNORECASE,
)
# Sentences that set up the conversation rather than state a fact.
_META = re.compile(
    r"\b(?:we talked about|we'll talk|we discussed|you mentioned|you've just mentioned|this episode|"
    r"on the show|welcome|thanks for|thank you|our guest|today we|joining us|incredible career|"
    r"let's start with|let's talk about|i want to talk about|we also hit on|about to ask|i'm curious|"
    r"my question is)\b",
    re.IGNORECASE,
)
# Words that signal a difficulty: the "pain" a lesson should open with.
_PAIN = re.compile(
    r"\b(?:problem|problems|hard|harder|difficult|difficulty|bottleneck|bottlenecked|can't|cannot|"
    r"doesn't work|don't work|fail|fails|failure|struggle|limit|limited|limitation|expensive|"
    r"costly|lacking|missing|terrible|bad at|challenge|challenging|issue|broken)\b",
    re.IGNORECASE,
)
_CONTRAST = re.compile(r"\b(?:but|however|although|though|whereas|except|unless|not|isn't|aren't)\b", re.I)
_EXAMPLE = re.compile(r"\b(?:for example|for instance|such as|e\.g\.|imagine|say you)\b", re.I)
_NUMBER = re.compile(r"\b\d[\d,.]*(?:x|%)?\b|\b(?:ten|hundred|thousand|million|billion|trillion)s?\b", re.I)
_REASON = re.compile(r"\b(?:because|so that|in order to|the reason|which means|that's why)\b", re.I)

_ASKS = re.compile(
    r"^(?:are|is|do|does|did|can|could|would|will|should|how|what|why|where|when|which|who)\b",
    re.IGNORECASE,
)
_FRAGMENT_START = re.compile(
    r"^(?:into|of|to|with|from|for|by|at|on|in terms of|than|whereas|which|who|that like)\s", re.IGNORECASE
)
_PERSONAL = re.compile(r"\b(?:i|i'm|i've|i'd|me|my|you|you're|you've|your|guys)\b", re.IGNORECASE)

IDEAL_WORDS = (10, 32)


def clean_lead(text: str) -> str:
    """The sentence without its opening discourse markers, capitalised (for course prose only)."""
    trimmed = _LEAD.sub("", text).lstrip(" ,")
    if len(tokens(trimmed)) < 4:
        return text
    return trimmed[:1].upper() + trimmed[1:]


def is_complete(text: str) -> bool:
    """True for a sentence that starts with a capital and ends with a full stop or '!'."""
    stripped = text.strip()
    return bool(stripped) and stripped[0].isupper() and stripped.endswith((".", "!"))


def chatter(text: str) -> float:
    """Share of a sentence's words that are hedges, tics and stutters (0 = none)."""
    count = len(tokens(text)) or 1
    return (len(_CHATTY.findall(text)) + 2 * len(_STUTTER.findall(text))) / count


# Both scores are pure and asked of the same sentences many times per lesson (ranking, filters,
# answers, the lesson's core): cached, not recomputed.
@functools.lru_cache(maxsize=1 << 16)
def statement_score(text: str, names_it: re.Pattern[str]) -> float:
    """How well a sentence works as a statement about a concept in course text (higher is better).

    Names the concept, states rather than asks, is a whole sentence of a readable length, explains
    ("X is", "because"), and is neither chatty, a stutter nor talk about the conversation itself.
    """
    body = clean_lead(text)
    count = len(tokens(body))
    score = 0.0
    if names_it.search(body):
        score += 3.0
        # The concept as the subject ("Reinforcement learning is ...") reads like a definition.
        if names_it.match(body) or (re.match(r"^(?:the|a|an)\s", body, re.I) and names_it.search(body[:40])):
            score += 1.0
    if body.rstrip().endswith("?"):
        score -= 4.0
    elif "?" in body or _ASKS.match(body):
        # A mid-sentence "?", or a caption without punctuation that opens like a question.
        score -= 2.5
    if _FRAGMENT_START.match(body):
        score -= 1.5  # "Into test time compute into ...": a caption cut mid-sentence
    # Talk addressed to the other person ("you guys", "you're") or about oneself is conversation,
    # not explanation; a little of it is normal in speech.
    score -= 6.0 * len(_PERSONAL.findall(body)) / max(count, 1)
    if is_complete(text):
        score += 1.5
    low, high = IDEAL_WORDS
    if count < 7:
        score -= 3.0
    elif count < low:
        score -= 0.5
    elif count > high:
        score -= min(3.0, (count - high) / 8)
    if _EXPLAINS.search(body):
        score += 1.0
    if _META.search(body):
        score -= 2.5
    score -= 8.0 * chatter(body)
    # Each stutter ("is is", "of of") costs on its own: one makes a quote hard to read aloud.
    score -= 1.0 * len(_STUTTER.findall(body))
    # A lower-case word general English does not know is usually a transcription error ("microat").
    score -= 1.5 * sum(1 for w in tokens(body) if w.islower() and w.isalpha() and zipf(w) == 0)
    if BROKEN_SEGMENT.search(body):
        score -= 4.0  # "knowledge they're. not that analogy": captions cut in the wrong place
    if _ECHO.search(body):
        score -= 3.0  # "... as a result of pre-training. pre-training.": caption debris
    if body != text:
        score -= 0.3  # had to be trimmed: slightly less natural as a quote
    return score


def is_pain(text: str) -> bool:
    """True when a sentence names a difficulty (a good opening problem)."""
    return bool(_PAIN.search(text))


_CAVEAT = re.compile(r"\b(?:but|however|although|though|except|unless|only if)\b", re.I)
_USAGE = re.compile(
    r"\b(?:use|uses|used|using|run|runs|running|train|trains|trained|training|serve|served|build|built|"
    r"deploy|deployed|apply|applied|in practice)\b",
    re.I,
)


def frame(text: str, name: str) -> str:
    """A short lead-in for a further quoted point, chosen from what the sentence does."""
    if _EXAMPLE.search(text):
        return f"An example involving {name}"
    if _REASON.search(text):
        return f"A speaker's reasoning about {name}"
    if _NUMBER.search(text):
        return f"A concrete figure on {name}"
    if _PAIN.search(text):
        return f"A difficulty with {name}"
    if _CAVEAT.search(text):
        return f"A caveat about {name}"
    if _CONTRAST.search(text):
        return f"A contrast involving {name}"  # "not", "whereas": what it is not, or unlike
    if _USAGE.search(text):
        return f"{name[:1].upper() + name[1:]} in practice"
    return f"Another point about {name}"


# What a concept does when a sentence explains it: "X is ...", "X lets you ...", "X works by ...".
_EXPLAIN_VERB = (
    r"(?:is|are|was|were|means|meant|refers to|lets|let|allows|enables|makes|uses|works|helps|gives|"
    r"turns|requires|needs|depends on|does|do|can|could|will|would|has|have|takes|learns|trains|"
    r"predicts|produces|comes from|happens|tries|tends|gets|basically|just|really|actually|kind of|"
    r"sort of|itself|here|there|in general)"
)
_SUBJECT_LEAD = re.compile(r"^(?:(?:the|a|an|this|that|these|so|and|but|if|with|in|i think)\s+){0,3}$", re.I)
_NAMED_AS = re.compile(
    r"(?:called|known as|idea of|concept of|notion of|what is|what's|definition of)\s*$", re.I
)
_COMPLEMENT = re.compile(
    r"\b(?:is|are|was|were|means|becomes)\s+(?:(?:a|an|the|basically|just|really)\s+)*$", re.I
)
_RELATIVE = re.compile(
    r"^\s*(?:[\w-]+\s+){0,2}?(?:where|which|that is|that are|in which|so that|because)\b", re.I
)
# A mention inside an enumeration ("from the transformer to a mixture of experts to mesh ...").
_LIST_BEFORE = re.compile(r"(?:,|\bto|\bor|\band|\bfrom)\s+(?:(?:a|an|the)\s+)?$", re.I)
# ... or closing one: "They're not math or coding."
_LIST_AFTER = re.compile(r"^\s*(?:itself\s+|themselves\s+)?(?:,|;|\.|to\b|or\b|and\b|etc\b)", re.I)
# A host's introduction of a guest: "He has been the inventor of ...", "She's worked on ...".
_BIO = re.compile(
    r"\b(?:he|she)(?:'s|\s+has|\s+had|\s+was|\s+is)\s+(?:been|the|an?|led|co-?founded|worked)\b", re.I
)
MIN_CONTENT_AROUND = 4


@functools.lru_cache(maxsize=1 << 16)
def explains_score(text: str, names_it: re.Pattern[str]) -> float:
    """How far a sentence explains the concept rather than mention it (higher explains more).

    Best: the concept is the subject and a verb says what it is or does ("Gradient descent is
    the procedure that ..."). Worst: one item of a list, a guest's biography, or a line with
    hardly a word besides the concept ("It's literally just a lookup table.").
    """
    body = clean_lead(text)
    match = names_it.search(body)
    if match is None:
        return -3.0
    score = 0.0
    before, after = body[: match.start()], body[match.end() :]
    # Up to three words may sit between ("X over longer horizons will ..."), but not a new
    # subject: in "this X paradigm you have ..." the verb is not about X.
    verb_follows = re.match(
        rf"\s*(?:(?!(?:you|i|we|they|he|she|it)\b)[\w-]+\s+){{0,3}}?{_EXPLAIN_VERB}\b", after, re.I
    )
    if verb_follows and _SUBJECT_LEAD.match(before):
        score += 3.0  # "Reinforcement learning is ...": the sentence is about the concept
    elif verb_follows:
        score += 1.5  # "... and in-context learning works by ...": a clause about it
    if _NAMED_AS.search(before):
        score += 2.0
    elif _COMPLEMENT.search(before):
        score += 1.5  # "other models are mixture of experts models ..."
    if _RELATIVE.match(after):
        score += 1.5  # "... mixture of experts models where parts of the model ...": says what it does
    if _LIST_BEFORE.search(before) and _LIST_AFTER.match(after):
        score -= 4.0
    elif len(re.findall(r",|\bto\b", body)) >= 4 and not verb_follows:
        score -= 1.5  # a long enumeration naming it in passing
    if _BIO.search(body):
        score -= 3.0
    if _META.search(body):
        score -= 2.0
    rest = names_it.sub(" ", body)
    content = [
        w for w in tokens(rest) if len(w) > 3 and not _CHATTY.fullmatch(w) and not _PERSONAL.fullmatch(w)
    ]
    if len(content) < MIN_CONTENT_AROUND:
        score -= 3.0  # nothing said about it
    if body.rstrip().endswith("?"):
        score -= 2.0
    return score


# A difficulty said outright: something cannot be done, is hard, lacking, a bottleneck. Stronger
# than _PAIN, which also fires on "problem" as a task ("solving a math problem").
_STRONG_PAIN = re.compile(
    r"\b(?:can't|cannot|couldn't|unable to|impossible|(?:does|do|did|would|will)(?:n't| not) work|"
    r"(?:hard|harder|difficult|expensive|costly|slow) to|is (?:really |very |much |quite |so )?"
    r"(?:hard|harder|difficult|terrible|lacking|missing|broken|limited|expensive)|are "
    r"(?:really |very |much |quite |so )?(?:hard|harder|difficult|terrible|lacking|missing|broken|limited)|"
    r"bottleneck(?:ed)?|limitation|the problem (?:with|is)|(?:big|main|real|hard|key|core) "
    r"(?:problem|challenge|issue)|fails?|failure|struggles?|breaks? down|"
    r"too (?:slow|expensive|costly|big|hard))\b",
    re.IGNORECASE,
)
# "problem" as a task to work on, not a difficulty; and a difficulty denied ("not bottlenecked").
_TASK_PROBLEM = re.compile(
    r"\b(?:problem[- ]solving|solv\w*\s+(?:\w+\s+){0,3}?problems?|(?:math|toy|easy|fun|good|best|"
    r"interesting|scale|sub)\s+problems?|no problem|any given problem)\b",
    re.IGNORECASE,
)
_DENIED = re.compile(
    r"\b(?:not|isn't|aren't|wasn't|never|don't have (?:this|that|the|a|any)|no longer)\s+"
    r"(?:\w+\s+){0,4}?(?:bottleneck\w*|hard|difficult|a problem|an issue|limited|expensive)\b",
    re.IGNORECASE,
)
PAIN_STRONG_BONUS = 1.5


def pain_strength(text: str) -> float:
    """How clearly a sentence names a difficulty: 0 for none (or a task, or a difficulty denied),
    1 for a pain word, 1 + PAIN_STRONG_BONUS for a difficulty said outright ("X can't ...")."""
    if _DENIED.search(text):
        return 0.0
    strong = _STRONG_PAIN.search(text)
    if strong is not None:
        return 1.0 + PAIN_STRONG_BONUS
    weak = _PAIN.search(text)
    if weak is None or _TASK_PROBLEM.search(text):
        return 0.0
    return 1.0


def pain_at(text: str) -> int | None:
    """Where in the text the difficulty is named (character offset), if anywhere."""
    match = _STRONG_PAIN.search(text) or _PAIN.search(text)
    return match.start() if match is not None else None
