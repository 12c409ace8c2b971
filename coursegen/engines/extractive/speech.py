"""Judging and trimming spoken sentences for course text: which quote reads as a statement.

Quotes in citations stay verbatim (they are materialized from sentence ids); this module only
shapes the course's own wording around them: it ranks candidate sentences and drops the
discourse markers a speaker opens with ("Yeah, I mean, so ...") when a sentence is shown in prose.
"""

from __future__ import annotations

import functools
import re

from coursegen.engines.extractive.text import content_words, tokens, zipf

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
    r"costly|lacking|missing|terrible|bad at|challenge|challenging|issue|broken|tricky|hurdle|obstacle|"
    r"painful|barely)\b",
    re.IGNORECASE,
)
_CONTRAST = re.compile(r"\b(?:but|however|although|though|whereas|except|unless|not|isn't|aren't)\b", re.I)
_EXAMPLE = re.compile(r"\b(?:for example|for instance|such as|e\.g\.|imagine|say you)\b", re.I)
# A figure: a number counting something ("15 trillion tokens", "100x", "3 gigabytes"), not a year
# ("inference in 2030") nor a number of speech ("there's like a thousand more", "a million times").
_NUMBER = re.compile(
    r"\b(?!(?:19|20)\d\d\b)\d[\d,.]*(?:x|%)?\b"
    r"|\b(?:ten|hundred|thousand|million|billion|trillion)s?\b(?!\s+(?:more|times)\b)",
    re.I,
)
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
    # "Problem" as a task set ("a math problem", "problem solving") is no difficulty.
    if _PAIN.search(_TASK_PROBLEM.sub(" ", text)):
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
    r"too (?:slow|expensive|costly|big|hard|high|long|risky|noisy|large|small|little)|"
    # The hard part named as such, or no way through: "the hard part is", "there's no hope of".
    r"the (?:hard|hardest|tricky|difficult) (?:part|thing|bit)|(?:no|little) hope|no way to|"
    r"(?:does|do)(?:n't| not) scale|barely (?:make it |get it )?(?:work|works|fit|fits))\b",
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


def pain_spots(text: str) -> list[int]:
    """Where in the text each difficulty is named (character offsets, in order)."""
    found = {m.start() for m in _STRONG_PAIN.finditer(text)}
    if not found and pain_strength(text) > 0.0:
        found = {m.start() for m in _PAIN.finditer(text)}
    return sorted(found)


def pain_at(text: str) -> int | None:
    """Where in the text the first difficulty is named (character offset), if anywhere."""
    return next(iter(pain_spots(text)), None)


# --- what a speaker asserts, as against what they report, doubt or guess ---------------------

# Someone else's view, reported: "people will say X", "some think X", "the average person thinks X".
_REPORTED = re.compile(
    r"\b(?:people|folks|some|many|most|others|everyone|everybody|critics|skeptics|the average person|"
    r"a lot of (?:people|folks)|(?:some|many|most) (?:people|folks|researchers))\s+"
    r"(?:will\s+|would\s+|might\s+|often\s+|usually\s+|still\s+)?"
    r"(?:say|says|think|thinks|believe|believes|argue|argues|claim|claims|assume|assumes)\b|"
    r"\b(?:you (?:often |always )?hear|(?:you|one) could argue|it's often said|conventional wisdom|"
    r"the common view|misconception|"
    r"there's (?:this|a) (?:view|idea|notion|belief|narrative) that)\b|"
    # "Ilya saying that X": a third person's claim (the speaker's own "I said that" asserts).
    r"\b(?!(?:i|we)\b)[\w']+\s+(?:saying|says|said|claims|claimed|argues|argued)\s+that\b",
    re.I,
)
# The listener's view, put back to them: "you think X", "you called X a green field".
_LISTENERS_VIEW = re.compile(
    r"\byou(?:'ve| have)?\s+(?:\w+\s+)?(?:think(?!\s+(?:about|of)\b)|thought|said|called|"
    r"argued|wrote|believe|described|predicted|claimed|suggested|suggest)\b|"
    r"\byour\s+(?:view|views|take|intuition|intuitions|thoughts|prediction|argument|read)\b",
    re.I,
)
# A comparison with the view ("X is worse than the average person thinks") asserts X.
_COMPARED_WITH_VIEW = re.compile(r"\b(?:than|as)\s+(?:[\w']+\s+){0,3}$", re.I)
# The speaker doubts, disputes or holds back: "I'm hesitant to say that X is not ...".
_DISPUTED = re.compile(
    r"\b(?:hesitant to say|i disagree|i don't agree|i'm not sure|i am not sure|not convinced|"
    r"i wouldn't say|i'm skeptical|i'm not saying|i'm (?:actually |really )?surprised|i doubt|"
    r"i don't buy|it's not clear (?:that|whether|if)|i don't know (?:if|whether|that)|"
    r"i don't think|i do not think)\b",
    re.I,
)
# Speculation: opens with a guess, or piles hedges up ("maybe you can probably ...").
_GUESS_LEAD = re.compile(
    r"^(?:maybe|perhaps|possibly|presumably|hopefully|who knows|i wonder|i suspect)\b", re.I
)
_HEDGE = re.compile(
    r"\b(?:maybe|perhaps|possibly|probably|might|i guess|i suspect|i wonder|it's possible that|"
    r"it is possible that|it could be that|my guess is|i would guess|i'd imagine|let's say|the odds)\b",
    re.I,
)
MAX_HEDGES = 1


def _reported_before(body: str, pattern: re.Pattern[str], until: int) -> bool:
    """True when `pattern` frames the text before position `until`, outside a comparison."""
    return any(
        not _COMPARED_WITH_VIEW.search(body[: frame_match.start()])
        for frame_match in pattern.finditer(body[:until])
    )


@functools.lru_cache(maxsize=1 << 16)
def reported_view(text: str, names_it: re.Pattern[str]) -> bool:
    """True when the sentence reports, disputes or guesses rather than asserts.

    "People will say X", "the average person thinks X", "you think X" and "I'm hesitant to say
    that X" frame someone's view; "maybe ... probably ..." guesses. "X is a lot worse than the
    average person thinks" still asserts X: the view is only what X is compared with.
    """
    body = clean_lead(text)
    match = names_it.search(body)
    # A view that frames the concept comes before its mention; with no mention, anywhere.
    until = match.start() if match else len(body)
    if _reported_before(body, _REPORTED, until) or _reported_before(body, _LISTENERS_VIEW, len(body)):
        return True
    if _DISPUTED.search(body):
        return True
    return bool(_GUESS_LEAD.match(body)) or len(_HEDGE.findall(body)) > MAX_HEDGES


# A speaker correcting themselves mid-sentence: the words before the correction were a false start.
_SELF_CORRECTION = re.compile(r"\b(?:sorry|what am i saying|let me rephrase|or rather|i mean to say)\b", re.I)
# A word said again with its ending ("is allow allowing us"): the speaker restarted the word.
_RESTARTED_WORD = re.compile(r"\b([a-z]{3,})\s+\1[a-z]+\b", re.I)
# "Yeah" inside a sentence: two utterances (or two speakers) run together by the transcript.
_INNER_YEAH = re.compile(r"\w[\s,]+yeah\b", re.I)
# A doubled short word ("to to", "it's it's") is a stumble a reader skips; a doubled long word or
# phrase ("billion billion", "can you can you"), or several stumbles, is a restart.
MAX_STUMBLE_LETTERS = 4
MAX_STUMBLES = 1
# Past this share of hedges and tics ("so like ... could be like you know is like") a sentence rambles.
MAX_ASSERTED_CHATTER = 0.12
# Fewer content words than this besides the concept: a fragment that says nothing about it.
MIN_ASSERTED_CONTENT = 3
# Past this many words a spoken sentence is a run-on, not something to quote as the core.
MAX_ASSERTED_WORDS = 70
# "one of the like one of the big areas": three words said again after a word or two.
_RESTARTED_PHRASE = re.compile(r"\b([\w']+\s+[\w']+\s+[\w']+)\s+(?:[\w']+\s+){0,2}\1\b", re.I)
# "it's a very simple it's like ...": a clause begun again a few words later.
_RESTARTED_CLAUSE = re.compile(
    r"\b(it's|you're|we're|they're|i'm|that's|there's|he's|she's)\s+(?:[\w']+\s+){0,3}?\1\s", re.I
)
# A sentence that stops on a word that needs more ("... two training runs because."): cut short.
_CUT_SHORT = re.compile(
    r"\b(?:because|and|but|or|so|to|of|the|a|an|that|with|for|if|like|than|whereas|which)\W*$", re.I
)


def _restarts(text: str) -> bool:
    """True when the speaker starts over: a doubled phrase or long word, several doubled words,
    a word or clause begun twice, a self-correction, or two utterances run together."""
    stumbles = [m.group(1) for m in _STUTTER.finditer(text)]
    if len(stumbles) > MAX_STUMBLES or any(len(w) > MAX_STUMBLE_LETTERS or " " in w for w in stumbles):
        return True
    body = clean_lead(text)
    restarted = any(p.search(body) for p in (_RESTARTED_WORD, _RESTARTED_CLAUSE, _RESTARTED_PHRASE))
    return bool(restarted or _SELF_CORRECTION.search(body) or _INNER_YEAH.search(body))


def garbled_speech(text: str, names_it: re.Pattern[str], cased: bool) -> bool:
    """True when the sentence is a fragment, a run-on or a broken caption rather than a statement.

    Restarts ("can you can you", "gradient sorry if ..."), caption debris ("they're. not"),
    rambling, hardly any words besides the concept, more words than a sentence holds, an opening
    that continues another sentence ("of the model ..."); in a transcript written in sentence
    case, a sentence that stops without a full stop was cut in the middle.
    """
    # Stumbles count in the whole quote (the course shows "So so and and ..." as said).
    body = clean_lead(text)
    if _restarts(text) or BROKEN_SEGMENT.search(body) or _ECHO.search(body) or _CUT_SHORT.search(body):
        return True
    # Stumbles are judged above; here only the share of hedges and tics.
    tics = len(_CHATTY.findall(body)) / max(1, len(tokens(body)))
    if tics > MAX_ASSERTED_CHATTER or _FRAGMENT_START.match(body):
        return True
    if len(content_words(names_it.sub(" ", body))) < MIN_ASSERTED_CONTENT:
        return True
    if len(tokens(body)) > MAX_ASSERTED_WORDS:
        return True
    return cased and not text.strip().endswith((".", "!", "?", "…"))


# A question: a question word with its verb ("what is", "how would"), or a verb before its subject.
_QUESTION = re.compile(
    r"^(?:(?:so|and|but|okay|ok|well|then|now)\s+)*(?:"
    r"(?:what|which|who|where|when|why|how)(?:'s|\s+(?:is|are|was|were|do|does|did|can|could|would|"
    r"should|will|have|has|much|many|far|long|about|if|kind|sort))|"
    r"(?:do|does|did|is|are|was|were|can|could|would|should|will|have|has|shouldn't|isn't|aren't|"
    r"doesn't|don't|wouldn't)\s+(?:you|we|they|it|i|he|she|there|this|that|these|those|people))\b",
    re.I,
)
# Asking the listener in so many words ("how would you ...", "I'm curious ...").
_ADDRESSED = re.compile(
    r"\b(?:do|does|did|would|could|can|will|are|were|have|should)\s+you\b|\bwhat's your\b|"
    r"\b(?:i'm curious|i'm wondering|curious (?:about )?(?:your|what|how|whether)|my question is|"
    r"let me ask|i want to ask|i wanted to ask)\b",
    re.I,
)
# A question inside a sentence, its verb before its subject ("I'd focus on how different will the ...").
_INNER_QUESTION = re.compile(
    r"\b(?:how|why)(?:\s+\w+)?\s+(?:will|would|do|does|did|is|are|can|could|should)\s+"
    r"(?:the|you|we|they|this|these|those|our|your)\b|"
    r"\bwhat\s+(?:do|does|did|would|will|should)\s+(?:you|we)\b|"
    r"\bwhat\s+(?:could|would|might)\s+be\b",
    re.I,
)
# "..., right?" asks for agreement: the speaker is still asserting.
_TAG_QUESTION = re.compile(r"\b(?:right|no|yeah|correct|huh|you know|isn't it|don't you think)\?\s*$", re.I)


def asks_listener(text: str) -> bool:
    """True when the sentence asks something (with or without its '?'), not for mere agreement."""
    body = clean_lead(text).strip()
    if _TAG_QUESTION.search(body):
        return False
    asks = _QUESTION.match(body) or _INNER_QUESTION.search(body) or _ADDRESSED.search(body)
    return body.endswith("?") or bool(asks)


def addresses_listener(text: str) -> bool:
    """True when the question is put to the other speaker ("how would you ...", "do you think")."""
    return bool(_ADDRESSED.search(text))


# How a reply opens: the turn has passed to the other speaker.
_REPLY_OPENER = re.compile(
    r"^(?:yeah|yes|yep|no|nope|well|sure|right|mhm|oh|absolutely|totally|exactly|great question|"
    r"good question|it's a good question|that's a good question|first of all|i think|so i think|"
    r"i mean|actually|honestly|look)\b",
    re.I,
)


def opens_reply(text: str) -> bool:
    """True when the sentence opens like a reply to a question ("Yeah, ...", "Good question.")."""
    return bool(_REPLY_OPENER.match(text.strip()))


# A host steering the conversation: previews, welcomes, new topics, the ask before a question.
_HOSTING = re.compile(
    r"\b(?:we talked about|we'll talk|we discussed|we also hit on|this episode|on the show|welcome|"
    r"thanks (?:so much )?for (?:coming|having|joining)|our guest|today we|joining us|incredible career|"
    r"let's start with|let's talk about|i want to talk about|about to ask|i'm curious|my question is|"
    r"(?:switching|shifting|changing) gears)\b",
    re.IGNORECASE,
)


def about_the_conversation(text: str) -> bool:
    """True for a host's talk about the conversation or the guest ("We talked about ...",
    "switching gears to ...", "He has led ..."), not about the topic."""
    return bool(_HOSTING.search(text) or _BIO.search(text))


# "What X does is ...", "X is a/the/when ...": the sentence says what X is or does.
_SAYS_WHAT_BEFORE = re.compile(r"\bwhat\s+$", re.I)
_SAYS_WHAT_AFTER = re.compile(
    r"^\s+(?:(?:does|do)\s+is|(?:is|are|means)\s+(?:(?:basically|just|really|essentially)\s+)*"
    r"(?:a|an|the|when|where|how|about|something|this|that|one)\b)",
    re.I,
)
# "things like X and so on": the concept named as one example among others.
_AMONG_OTHERS_BEFORE = re.compile(r"\b(?:things|stuff|something|anything)\s+like\s+$", re.I)
_AMONG_OTHERS_AFTER = re.compile(
    r"^\s*,?\s+(?:and so on|etc|and all that|and stuff|and things like that)\b", re.I
)
SAYS_WHAT_BONUS = 2.0
AMONG_OTHERS_COST = 3.0


def definition_score(text: str, names_it: re.Pattern[str]) -> float:
    """How well a quote serves as a concept's definition: it says what the concept is or does
    (explains_score) in a readable statement (statement_score); a definitional turn of phrase
    counts for it, naming the concept as one example among others against it."""
    score = explains_score(text, names_it) + statement_score(text, names_it)
    body = clean_lead(text)
    match = names_it.search(body)
    if match is None:
        return score
    before, after = body[: match.start()], body[match.end() :]
    if _SAYS_WHAT_BEFORE.search(before) or _SAYS_WHAT_AFTER.match(after):
        score += SAYS_WHAT_BONUS
    if _AMONG_OTHERS_BEFORE.search(before) or _AMONG_OTHERS_AFTER.match(after):
        score -= AMONG_OTHERS_COST
    return score


# A sponsor read: it names products and deals, and teaches nothing about the ideas it mentions.
_AD_RE = re.compile(
    r"\b(?:sponsor\w*|brought to you|\.com\b|check out|promo code|sign up|learn more at|visit \w+\.|"
    r"partnership with|partnered with|partner with|just announced)\b",
    re.I,
)


def is_ad(text: str) -> bool:
    """True when the sentence reads like an advertisement."""
    return _AD_RE.search(text) is not None
