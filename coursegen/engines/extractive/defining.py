"""Whether a sentence says what an idea is or does, or only names it in passing.

A lesson's core quote and a concept's definition should teach the idea: "A replay buffer is a
store of past transitions", "with a replay buffer you can sample old experience", "without a
replay buffer you can't learn from rare events". Podcasts mostly *mention* ideas instead: as a
unit of a price ("a dollar a token"), in a subordinate clause ("... because the replay buffer
is quite big"), as the modifier of another noun ("replay buffer researchers"), as a verdict
("the replay buffer is terrible") or in a caption the transcription garbled. These rules read
only the shape of the sentence, never its topic, so they hold for any English conversation.

`explains_idea` scores a sentence (positive: it explains; negative: a passing mention) and
`asks_what` tells whether a question asks what the idea is (the next sentence answers it).
"""

from __future__ import annotations

import functools
import re

from coursegen.engines.extractive.speech import clean_lead, garbled_speech, reported_view
from coursegen.engines.extractive.text import tidy, tokens

# --- what explains -----------------------------------------------------------------------------

# The idea as the subject, opening the sentence ("So the replay buffer ..."): at most a few
# words before it, none of which starts another clause.
_SUBJECT_LEAD = re.compile(
    r"^(?:(?:so|and|but|now|well|basically|the|a|an|this|that|these|those|our|your|i think|i mean)"
    r"[,\s]+){0,3}$",
    re.I,
)
# "X is a ...", "X means ...", "X refers to ...", "X is when ...": a definition.
_COPULA = re.compile(
    r"^,?\s+(?:(?:basically|so|really|just)[,\s]+)?"
    # Speech often names the idea, then restarts with a pronoun: "X, it's a ...", "X, they're ...".
    r"(?:is|are|means|refers to|stands for|it's|it is|they're|they are)\s+"
    r"(?:(?:basically|just|really|essentially|simply|kind of|sort of|like|actually)\s+)*"
    r"(?:a|an|the|when|where|how|what|something|one|this|that|any|about|like)\b",
    re.I,
)
# "X, which ...", "X, the idea that ...", "X, a way of ...": an apposition says what X is.
_APPOSITION = re.compile(
    r"^\s*,\s+(?:which|that is|i\.e\.|meaning|"
    r"(?:the|a|an)\s+(?:idea|notion|concept|way|method|technique|kind|type|form|process)\s+(?:of|that|to|where))\b",
    re.I,
)
# "X lets you ...", "X allows the model to ...", "X works by ...": what X does, to what.
_FUNCTION = re.compile(
    r"^\s+(?:(?:basically|just|really|actually|essentially)\s+)?"
    r"(?:lets|allows|enables|helps|makes it possible|turns|converts|maps|stores|keeps|learns|"
    r"predicts|works by|works like|is used to|are used to|is how|is the way|is what)\b",
    re.I,
)
# "the idea of X is", "what X does is", "the way X works": the sentence opens onto X's definition.
_NAMED_FOR_DEFINITION = re.compile(
    r"(?:\b(?:the|this)\s+(?:whole\s+)?(?:idea|notion|concept|point|definition)\s+of\s+|\bwhat\s+"
    r"|\bthe\s+way\s+|\bwhat\s+(?:we|i|people)\s+call\s+|\bcalled\s+|\bknown\s+as\s+)"
    r"(?:(?:a|an|the)\s+)?$",
    re.I,
)
_NAMED_AFTER = re.compile(r"^\s+(?:is|does|works|means|do|are)\b", re.I)
# "With X you can ...", "using X we get ...": what having X gives you.
_WITH_IT = re.compile(r"\b(?:with|using|through)\s+(?:(?:a|an|the)\s+)?$", re.I)
_WITH_LEAD = re.compile(r"^(?:with|using|through)\s+", re.I)
_WITH_IT_AFTER = re.compile(
    r"^,?\s+(?:you|we|one|people|the model|a model|it)\s+(?:can|could|get|just|are able)\b", re.I
)
# "Without X you can't ...", "they don't have X. You can't ...": what lacking X costs.
_WITHOUT_IT = re.compile(
    r"\b(?:without|(?:don't|doesn't|didn't|do not|does not)\s+have|lacks?|lacking|no)\s+"
    r"(?:(?:a|an|the|any)\s+)?$",
    re.I,
)
_WITHOUT_AFTER = re.compile(
    r"^[.,]?\s+(?:(?:so|and|then)\s+)?(?:[\w']+\s+){0,3}?"
    r"(?:can't|cannot|couldn't|won't|wouldn't|isn't able|aren't able|never)\b",
    re.I,
)

DEFINES = 2.5  # "X is a ...", "the idea of X is ..."
APPOSES = 2.0  # "X, which ...", "X, a way of ..."
DOES = 1.5  # "X lets you ...", "with X you can ...", "without X you can't ..."

# --- what only mentions ------------------------------------------------------------------------

# A subordinate clause ("... because X ...", "... than X ..."): the main clause is about something
# else, so X is an aside unless the clause itself explains it.
_SUBORDINATE = re.compile(
    r"\b(?:because|'cause|cause|if|unless|whereas|although|though|while|since|than|until|when|"
    r"so that|even though|whether)\b(?:(?!,|\.|;|\bbut\b)[^,.;])*$",
    re.I,
)
# A count or a price of X ("a dollar a token", "millions of tokens", "15 trillion tokens"): X is
# the unit something is measured in.
_COUNTED = re.compile(
    r"(?:\b\d[\d,.]*\s*(?:[kmbt]\b)?|\b(?:per|few|several|couple of|dozens?|hundreds?|thousands?|"
    r"millions?|billions?|trillions?|tens)\b|\ba\s+[\w-]+\s+a\b)\s+(?:of\s+)?(?:[\w-]+\s+)?$",
    re.I,
)
_PRICE = re.compile(r"\$\d|\b(?:dollars?|cents?|prices?|priced|pay|paid|cheap|cheaper|per dollar)\b", re.I)
# X modifying another noun that the sentence is about ("X researchers", "X team", "X stuff").
_MODIFIES = re.compile(
    r"^\s+(?:researchers?|research|people|folks|engineers?|teams?|papers?|community|space|side|"
    r"stuff|story|field|world|project|labs?|company|companies|startups?|era|guy|guys|person|"
    # a property of something else measured in X ("experts of the same compute cost", "the
    # inference precision has gone down"): the sentence is about the experts, the precision
    r"costs?|precision|style|characteristics)\b",
    re.I,
)
# A verdict, not a definition: "X is terrible.", "X is lacking or Y is lacking", "X is quite nice".
_VERDICT = re.compile(
    r"^\s+(?:is|are|was|were|has been|seems|sounds|feels)\s+"
    r"(?:(?:so|very|quite|really|pretty|just|a lot|much|way|super|kind of|sort of|also|still|not)\s+)*"
    r"(?!a\b|an\b|the\b|this\b|that\b|when\b|where\b|how\b|what\b|used\b|about\b|like\b)[\w'-]+"
    r"(?:\s+(?:than|to)\b[^.]*)?\s*(?:[.,;!?]|\bor\b|\band\b|\bbut\b|\bbecause\b|'cause|$)",
    re.I,
)
# How a speaker judges, hopes or predicts: an opinion about X says little about what X is.
_JUDGES = re.compile(
    r"\b(?:i believe|i'd say|i would say|seems (?:like )?(?:really )?(?:cool|nice|great|good)|"
    r"really cool|very interesting|super interesting|would be (?:incredible|amazing|great|awesome|nice)|"
    r"(?:is|'s) gonna be (?:really|so|huge|great|amazing)|that's gonna be)\b",
    re.I,
)

# One item of an enumeration ("from search to hardware to AI X and a thousand more").
_LIST_BEFORE = re.compile(
    r"(?:,|\bto|\bor|\band|\bfrom|\bversus)\s+(?:(?:a|an|the)\s+)?(?:[\w-]+\s+)?$", re.I
)
_LIST_AFTER = re.compile(r"^\s*(?:,|;|\bto\b|\bor\b|\band\b|\betc\b|\bversus\b)", re.I)
# "things like X and so on": X as one example among others.
_AMONG_OTHERS = re.compile(
    r"^\s*,?\s*(?:and so on|and so forth|etc|and stuff|and whatnot|or something|or whatever|"
    r"and whatever|and all that|and things like that)\b",
    re.I,
)
# "... X that/which/where ...": a relative clause says what X does, wherever X stands.
_RELATIVE = re.compile(
    r"^\s+(?:[\w-]+\s+)?(?:that|which|where|who)(?:'s|\s+(?!i\b|you\b|we\b|they\b|he\b|she\b)\w+)", re.I
)
# A subordinate clause counts as an aside only when a main clause comes first (a few words).
MAIN_CLAUSE_WORDS = 3

# X only as the complement closing the sentence ("... developed by gradient descent on X."):
# the sentence is about something else.
_TAIL_BEFORE = re.compile(
    r"\b(?:of|on|in|at|for|with|from|into|about|during|like|than|to|by)\s+"
    r"(?:(?:a|an|the|this|that|our|your|some|any|every|each)\s+)?$",
    re.I,
)
_TAIL_AFTER = re.compile(r"^\s*[.!?]?\s*$")
# A contraction said again a word or two later ("what I've as I've said it"): a restart.
_RESTART = re.compile(r"\b([a-z]+'(?:ve|re|ll|d|s|m))\s+(?:[\w']+\s+){0,2}?\1\b", re.I)

ASIDE = 1.5  # in a subordinate clause, modifying another noun, judged
COUNTED = 2.0  # a unit of a count or a price
VERDICT = 1.5
GARBLED = 3.0  # a restart, a fragment, a run-on: the reader cannot take it in
REPORTED = 1.5  # someone's view or a guess
UNFINISHED = 1.0  # no closing punctuation: a caption cut off mid-thought


def _explains_at(before: str, after: str) -> float:
    """What the words around one mention of X say about it (the best explaining turn only)."""
    subject = bool(_SUBJECT_LEAD.match(before))
    found = [0.0]
    if _COPULA.match(after):
        found.append(DEFINES if subject else DOES)
    if _NAMED_FOR_DEFINITION.search(before) and _NAMED_AFTER.match(after):
        found.append(DEFINES)
    if _in_aside(before, after):
        return max(found)  # "... unless you're doing X, which is fun": the clause is an aside
    apposition = _APPOSITION.match(after)
    if apposition is not None and not _VERDICT.match(" " + after[apposition.end() :].lstrip()):
        found.append(APPOSES)
    if _FUNCTION.match(after) or _RELATIVE.match(after):
        found.append(DOES)  # "X lets you ...", "a X optimizer that looks at the error ..."
    if _WITH_IT.search(before) and _WITH_IT_AFTER.match(after):
        found.append(DOES)
    if _WITHOUT_IT.search(before) and _WITHOUT_AFTER.match(after):
        found.append(DOES)
    return max(found)


def _in_aside(before: str, after: str) -> bool:
    """True when this mention sits in a subordinate clause that follows a main clause."""
    clause = _SUBORDINATE.search(before)
    return (
        clause is not None
        and len(tokens(before[: clause.start()])) >= MAIN_CLAUSE_WORDS
        and not _RELATIVE.match(after)
    )


def _mentions_at(before: str, after: str, sentence: str) -> float:
    """How far this mention of X is in passing (0 = not at all)."""
    cost = 0.0
    if _in_aside(before, after):
        cost += ASIDE
    if (_LIST_BEFORE.search(before) and _LIST_AFTER.match(after)) or _AMONG_OTHERS.match(after):
        cost += COUNTED
    if _COUNTED.search(before):
        cost += COUNTED + (0.5 if _PRICE.search(sentence) else 0.0)
    if _TAIL_BEFORE.search(before) and _TAIL_AFTER.match(after):
        cost += ASIDE
    if _MODIFIES.match(after):
        cost += ASIDE
    if _VERDICT.match(after) and not _COPULA.match(after):
        cost += VERDICT
    return cost


@functools.lru_cache(maxsize=1 << 15)
def explains_idea(text: str, names_it: re.Pattern[str]) -> float:
    """How far the sentence says what the idea is or does (> 0) or names it in passing (< 0).

    Each mention is read on its own (the best explaining one counts, and a passing mention only
    when no mention explains); then the sentence as a whole: an opinion, a reported view or
    guess, a garbled caption and a caption cut off all teach less whatever the mention.
    """
    body = clean_lead(text)
    matches = list(names_it.finditer(body))
    if not matches:
        return 0.0
    around = [(body[: m.start()], body[m.end() :]) for m in matches]
    readings = [(_explains_at(before, after), _mentions_at(before, after, body)) for before, after in around]
    best = max(explains for explains, _ in readings)
    score = best if best > 0 else -min(cost for _, cost in readings)
    if _JUDGES.search(body):
        score -= ASIDE
    if reported_view(text, names_it):
        score -= REPORTED
    # "With X you can ..." opens like a caption fragment ("with the model ...") but is whole.
    said = _WITH_LEAD.sub("", tidy(text))
    if garbled_speech(said, names_it, cased=False) or _RESTART.search(said):
        score -= GARBLED
    if not text.rstrip().endswith((".", "!", "?", '"', "'", "…")):
        score -= UNFINISHED
    return score


# "What is X?", "what's X", "what does X do / mean", "how does X work": a question the next
# sentence answers by saying what X is.
_ASKS_WHAT_BEFORE = re.compile(
    r"\b(?:what(?:'s| is| are)|what does|what do|how does|how do|what exactly is)\s+"
    r"(?:(?:a|an|the|this)\s+)?$",
    re.I,
)
_ASKS_WHAT_AFTER = re.compile(
    r"^\s*(?:\?|(?:do|mean|work|actually do|actually mean|even mean|look like)\b)", re.I
)


def asks_what(question: str, names_it: re.Pattern[str]) -> bool:
    """True when the sentence asks what the idea is or does ("So what is a replay buffer?")."""
    if "?" not in question:
        return False
    return any(
        _ASKS_WHAT_BEFORE.search(question[: m.start()]) and _ASKS_WHAT_AFTER.match(question[m.end() :])
        for m in names_it.finditer(question)
    )
