"""What a lesson's core quote says its concept does, read as a job a newcomer can think about
before meeting the idea ("Suppose you needed something that ...") and as the part of the quote
that answers the lesson's guess.

Pure text functions over one quote: no sources, no course state. Transcript text is data; only
its shape is read (the concept's name, the verb after it, a relative clause), never its meaning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from coursegen.engines.extractive.fairness import trim_fillers
from coursegen.engines.extractive.text import content_words, tokens

# Hedges a speaker puts before the verb ("that basically looks at ...") carry nothing of the job.
_HEDGES = r"(?:(?:basically|just|really|essentially|actually|kind of|sort of|like|this|also)\s+)*"
# "X lets you ...", "X helps the model ...", "X allows us to ...": a way to do the rest.
_ENABLES = re.compile(
    r"^\s*(?:[\w-]+\s+){0,2}?" + _HEDGES + r"(?:lets|allows|helps|enables)\s+"
    r"(?:(?:you|us|them|people|one|it|models?|agents?|(?:the|a|an)\s+[\w-]+)\s+)?(?:to\s+)?(?P<job>\w.*)$",
    re.I,
)
# "X is used to ...", "X is a way to ...": the same, said with a noun.
_USED_TO = re.compile(
    r"^\s*(?:is|are)\s+" + _HEDGES + r"(?:used|a way|a method|a technique|a tool|a trick|one way|the way|"
    r"trying|meant|supposed|designed|built|there)\s+(?:to|of)\s+(?P<job>\w.*)$",
    re.I,
)
# "X is an entity that ...", "X are models where ...": a kind of thing that does the rest.
_IS_THING_THAT = re.compile(
    r"^\s*(?:is|are)\s+" + _HEDGES + r"(?P<thing>(?:(?:a|an|this|these|the)\s+)?(?:[\w-]+\s+){0,3}?[\w-]+)\s+"
    r"(?:that|which|who)\s+(?P<job>\w.*)$",
    re.I,
)
# "... an X optimizer that looks at ...": a relative clause right after the name says what it does.
_RELATIVE = re.compile(r"^\s*(?:[\w-]+\s+){0,1}?(?:that|which)\s+" + _HEDGES + r"(?P<job>[a-z]+s\b.*)$", re.I)
# "What X does is (it) ...": the speaker's own answer to what it does.
_DOES_IS = re.compile(r"^\s+does\s+is\s+(?:(?:it|that|they)\s+)?(?P<job>\w.*)$", re.I)
_WHAT_BEFORE = re.compile(r"\bwhat\s+(?:the\s+)?$", re.I)
# "X stores ...", "X upweights ...": a present-tense verb of its own right after the name.
_OWN_VERB = re.compile(r"^\s+" + _HEDGES + r"(?P<job>[a-z]{3,}(?<!ss)(?<!is)(?<!was)(?<!has)s\s.*)$")
# The subject may open with a few words ("The weights of the X ..."), not with a clause of its own.
_CLAUSE_BEFORE = re.compile(
    r"\b(?:i|you|we|they|he|she|it|there|if|when|because|but|so|that's|it's|i'm|is|are|was|were)\b|[,;:]",
    re.I,
)
SUBJECT_MAX_WORDS = 6
# Where a spoken job description stops being about the job ("... and that's why ...").
_JOB_END = re.compile(
    r"[.;!?]|,\s+(?:but|and so|so|because|which is|i think|you know)\b|\s+(?:because|and so|and then)\s|"
    r"\s+and (?:all )?(?:this|that) (?:kind of )?stuff\b|\s+and so (?:on|forth)\b",
    re.I,
)
MIN_JOB_CONTENT = 3
MAX_JOB_WORDS = 24
MIN_JOB_WORDS = 5


# A job holding this share of the core quote's words (besides the name) is the core itself:
# posed as the problem, it leaves the reveal nothing to add.
GIVES_AWAY_SHARE = 0.6


@dataclass(frozen=True)
class Job:
    """What the core quote says the concept does, as a noun phrase for "Suppose you needed ..."."""

    needed: str  # "something that looks at an error and updates the weights"
    # True when the job says nearly all the core quote says (GIVES_AWAY_SHARE).
    gives_away: bool = False


def job_of(core: str, names_it: re.Pattern[str]) -> Job | None:
    """The job the core quote gives its concept, when the quote says it in one of the usual shapes
    (see the patterns above), else None. The job never names the concept itself."""
    match = names_it.search(core)
    if match is None:
        return None
    before, after = core[: match.start()], core[match.end() :]
    subject = len(tokens(before)) <= SUBJECT_MAX_WORDS and not _CLAUSE_BEFORE.search(before)
    found: tuple[str, str] | None = None
    if _WHAT_BEFORE.search(before) and (does := _DOES_IS.match(after)):
        found = ("something that", does.group("job"))
    elif subject and (enables := _ENABLES.match(after) or _USED_TO.match(after)):
        found = ("a way to", enables.group("job"))
    elif thing := _IS_THING_THAT.match(after):
        found = (_a_thing(thing.group("thing")) + " that", thing.group("job"))
    elif relative := _RELATIVE.match(after):
        found = ("something that", relative.group("job"))
    elif subject and (own := _OWN_VERB.match(after)):
        found = ("something that", own.group("job"))
    if found is None:
        return None
    job = _job_words(found[1])
    if job is None or names_it.search(job):
        return None
    said = set(content_words(names_it.sub(" ", core)))
    share = len(said & set(content_words(job))) / max(1, len(said))
    return Job(f"{found[0]} {job}", gives_away=share >= GIVES_AWAY_SHARE)


def _a_thing(phrase: str) -> str:
    """ "this intelligent entity" → "an intelligent entity": the learner needs one, not the speaker's."""
    words = phrase.split()
    if words[0].lower() in ("a", "an"):
        return phrase
    rest = " ".join(words[1:]) if words[0].lower() in ("this", "these", "the") else phrase
    return ("an " if rest[:1].lower() in "aeiou" else "a ") + rest


def _job_words(text: str) -> str | None:
    """The job, cut where the speaker moves on, without fillers; None when it says too little."""
    end = _JOB_END.search(text)
    job = trim_fillers(text[: end.start()] if end else text).rstrip(" ,.")
    job = job[:1].lower() + job[1:]
    words = job.split()
    if len(words) > MAX_JOB_WORDS:
        # A long spoken list of what it does: its first items, up to an "and" that still fits.
        cut = [i for i, w in enumerate(words[:MAX_JOB_WORDS]) if w.lower() == "and" and i >= MIN_JOB_WORDS]
        if not cut:
            return None
        job = " ".join(words[: cut[-1]]).rstrip(" ,")
    if len(content_words(job)) < MIN_JOB_CONTENT:
        return None
    return job


# The reveal quotes this many words of what the core says after the concept's name.
ANSWER_WORDS = 22
ANSWER_LEAD_WORDS = 3


def answer_part(core: str, names_it: re.Pattern[str]) -> str:
    """The part of the core quote that says what the concept is or does: from a few words before
    its name (its noun phrase: "a scalable brain X") on, shortened. It always leaves out the
    quote's first word when the name is not it, so it never repeats the core block below."""
    match = names_it.search(core)
    words = core.split()
    at = 0 if match is None else len(core[: match.start()].split())
    first = max(1, at - ANSWER_LEAD_WORDS) if at else 0
    end = first + ANSWER_WORDS
    lead = "… " if first > 0 else ""
    tail = " …" if end < len(words) else ""
    return lead + " ".join(words[first:end]).rstrip(".,;:") + tail
