"""Which spoken sentences make fair check-yourself items, and how a model answer is trimmed.

A question is fair to a newcomer who read the lesson when it tests a substantive statement about
the concept, its stem pins the answer down, and it reads as a claim rather than conversation.
The assessment stage (coursegen.engines.extractive.assessment) asks these judgements of every
candidate sentence; they look at the words only (no model), so they err on the side of refusing.
"""

from __future__ import annotations

import re

from coursegen.engines.extractive.speech import (
    _ECHO,
    _META,
    _STUTTER,
    BROKEN_SEGMENT,
    chatter,
    explains_score,
)
from coursegen.engines.extractive.text import content_words, is_stop, normal, tokens, zipf

# A stem longer than this is a ramble to a reader, however well it scores.
MAX_FAIR_WORDS = 36
MIN_FAIR_WORDS = 7
# Hedges and tics per word a stem may carry ("like" once in a long sentence is speech, not noise).
MAX_STEM_CHATTER = 0.05
# Cards, model answers and loosely judged stems may be chattier, but not mostly noise.
MAX_CARD_CHATTER = 0.1
LOOSE_MAX_WORDS = 45
# A repeated word a model answer's key point may be must be rarer than this (Zipf scale).
MAX_POINT_ZIPF = 4.8
# A true/false claim must have the concept doing or being something (speech.explains_score).
MIN_CLAIM_EXPLAINS = 1.5

# Talk about the conversation, the speakers or their feelings, not about the idea.
_CONVERSATION = re.compile(
    r"\b(?:talk(?:ed|ing)? about|think(?:ing)? about|thought about|interesting|incredible|"
    r"impressive|amazing|exciting|fascinating|surprised|curious|thank god|thankfully|"
    r"one thing i|the thing i|what i mean|i mentioned|you said|i said|we said|as we call it|"
    r"let's say|i figured|i'd start|i would agree|i agree|i disagree|good question|"
    r"i remember|i recall|nice that|hesitant|i wanted to|i want to|the other aspect|in my mind|"
    r"i feel|i almost feel|feel like|my limited|"
    # The host addressing the guests ("the calls you guys have made", "you work on X so ...").
    r"you guys|you all|you (?:work|worked|were working|are working)(?: on| at)|you're working (?:on|at)|"
    # The host addressing the guest about their work ("the work you've been doing around X").
    r"you(?:'ve| have)?(?: been)? (?:doing|made|called|said|done|built|talked|mentioned|worked|wrote))\b",
    re.IGNORECASE,
)
# A speaker's opinion or a hedge: a learner cannot judge it true or false from the idea itself.
_OPINION = re.compile(
    r"\b(?:i|i'm|i've|i'd|me|my|mine|we'd|you'd|you think|you feel)\b|"
    r"\b(?:maybe|probably|perhaps|might|possibly|presumably|supposedly|arguably|i guess|"
    r"kind of|sort of|or something|or whatever|somehow|seems?|seemed|may)\b",
    re.IGNORECASE,
)
# "If there were a single algorithm ... that would be incredible": a wish, not a fact.
_HYPOTHETICAL = re.compile(r"^(?:if|when|unless|suppose|imagine|whether)\b|\bwould\b|\bwish\b", re.I)
# A claim about "this thing" needs the conversation to say what the thing is; so does one about a
# bare "this" ("you can view this as something that's happening at the module level").
_VAGUE = re.compile(
    r"\b(?:this|that|these|those) (?:thing|things|stuff|one|ones)\b|\bstuff\b|"
    r"\b(?:this|these|those)(?=\s+(?:as|is|was|are|were|to|in|for|with|by|and|or|but|because|which|that)\b"
    r"|'s\b|\s*[,.;!?]|\s*$)",
    re.I,
)
# A sentence opening on a pronoun or a verb leans on what was said before ("It's a bit more
# convenient than ...", "Had a scalable brain algorithm ..."): as a claim it cannot be judged alone.
_LEANS_BACK = re.compile(
    r"^(?:it|it's|its|that|that's|this|these|those|they|they're|there's|he|she|which|had|has|"
    r"have|was|were|is|are|does|did|then|also|because|but|and|or|so|you want|you need|you're gonna)\b",
    re.IGNORECASE,
)
# A caption that starts mid-sentence on a verb ("Had a scalable brain algorithm that ..."), or on
# a word that only continues what came before.
_CONTINUES = re.compile(r"^(?:had|has|have|was|were|is|are|does|did|been|being|versus|than|or)\b", re.I)
# An opening that refers back to earlier talk ("Because it stirs ...", "This idea is ...", "Then
# you run ...", "They don't have ..."): alone, the sentence does not say what it is about. "There's
# a ..." introduces its own subject and stays.
_ANAPHOR_START = re.compile(
    r"^(?:because|'cause|cause|so|which|who|whose|this|that|that's|these|those|it|it's|its|they|"
    r"they're|they've|them|their|he|she|his|her|then|also|but|and|or|nor|plus|such|here|thus|hence|"
    r"still|yet|same|there(?!(?:'s| is| are| was| were) (?:a|an|no|one|two|three|many|lots)\b))\b",
    re.IGNORECASE,
)
# The speaker talking about themselves.
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|i'd|me|my)\b", re.IGNORECASE)
# Caption punctuation: a quote mark or a "> " speaker-change marker inside the sentence.
_DEBRIS = re.compile(r"(?:^|\s)>+\s|\[|\]")
# A caption cut into a sentence: a subject with no verb after it ("You in terms of compute but
# ..."), or a last word that is the other speaker's "exactly" ("... toward their parents exactly").
_CUT_OPENING = re.compile(r"^(?:you|we|i|they|he|she)\s+(?:in|of|for|on|at|with|from|by|the|a|an)\b", re.I)
_BACKCHANNEL_END = re.compile(r"\b(?:exactly|yeah|yep|totally|absolutely|okay|ok|right|indeed)\W*$", re.I)
# Words a cut caption repeats at its end ("mostly an inference problem an inference").
ECHO_WORDS = 2
ECHO_GAP = 2


# A speaker restarting a clause ("you could already you could easily", "you're working with
# you're solving"): the subject comes again within a few words.
_SUBJECT_LIST = "i i'm i've we we're we've you you're you've they they're it's that's there's he she"
_SUBJECTS = frozenset(_SUBJECT_LIST.split())
RESTART_WINDOW = 4


def restarts(text: str) -> bool:
    """True when a subject pronoun comes again within a few words (a restarted clause)."""
    words = [w.lower() for w in tokens(text)]
    return any(
        word in _SUBJECTS and word in words[i + 1 : i + 1 + RESTART_WINDOW] for i, word in enumerate(words)
    )


def cut_caption(text: str) -> bool:
    """True when the sentence is a piece of captions rather than one speaker's sentence: it opens
    on a subject with no verb, ends on a back-channel word, ends saying its last words again
    ("mostly an inference problem an inference"), or says three words again a few words after
    saying them ("an inference problem an inference problem that ...")."""
    if _CUT_OPENING.match(text) or _BACKCHANNEL_END.search(text):
        return True
    words = [w.lower() for w in tokens(text)]
    return _repeats_near(words[-ECHO_WORDS - ECHO_GAP - ECHO_WORDS :], ECHO_WORDS, at_end=True) or (
        _repeats_near(words, ECHO_WORDS + 1)
    )


def _repeats_near(words: list[str], size: int, at_end: bool = False) -> bool:
    """True when `size` words (not all function words) come again within ECHO_GAP words of
    themselves (`at_end`: as the last words). Only near: "for inference ... and also for
    inference" is a sentence, and so is "looks at XY looks at an error" (two words)."""
    runs = [tuple(words[i : i + size]) for i in range(len(words) - size + 1)]
    ends = [len(runs) - 1] if at_end else range(len(runs))
    return any(
        runs[i] == runs[j] and not all(is_stop(w) for w in runs[j])
        for j in ends
        for i in range(max(0, j - size - ECHO_GAP), j - size + 1)
    )


def garbled_words(text: str, known: frozenset[str]) -> list[str]:
    """Lower-case words general English does not know and the course does not use as a term
    (transcription errors such as "microat")."""
    return [
        w
        for w in tokens(text)
        if w.islower() and w.replace("-", "").isalpha() and zipf(w) == 0.0 and normal(w) not in known
    ]


def leans_on_context(text: str) -> bool:
    """True when a sentence opens on a word that points back at earlier talk (an anaphor or a
    connective) or on a verb with no subject: a question on it cannot be answered alone."""
    return bool(_ANAPHOR_START.match(text) or _CONTINUES.match(text))


# A pronoun closing a phrase points at earlier talk ("a little bit of that and ..."), and "what
# you're missing" at the listener's situation: a statement shown alone cannot be judged true or
# false without what came before (newcomers called such items unfair).
_DANGLING_PRONOUN = re.compile(
    r"\b(?:of|like|about|with|than|for|from|on|in|beyond|into)\s+(?:that|this|these|those|it|them)\b"
    r"(?=\s*(?:[,.;:!?]|$|and\b|but\b|or\b|so\b))",
    re.IGNORECASE,
)
_ADDRESSED_GAP = re.compile(
    r"^what\s+(?:you|we)(?:'re|'ve|\s+are|\s+have)?\s+(?:missing|lacking|describing|talking about)\b",
    re.IGNORECASE,
)


# "As long as you can sync all of the parameters ... and accumulate the gradients." is a condition
# with no main clause (a comma would mark where one starts).
_CONDITION_ONLY = re.compile(
    r"^(?:as long as|if|when|whenever|because|although|unless|while|once)\b[^,]*$", re.I
)


def stands_alone(text: str) -> bool:
    """True when a statement can be judged without the talk around it: no pronoun pointing back
    (see _DANGLING_PRONOUN), no "what you're missing", no condition without its main clause."""
    return not (
        _DANGLING_PRONOUN.search(text) or _ADDRESSED_GAP.search(text) or _CONDITION_ONLY.match(text.strip())
    )


def reads_cleanly(text: str, known: frozenset[str], loose: bool = False) -> bool:
    """True for a sentence short, clean and plain enough to be shown as a question stem.

    `loose` (for a concept with too few fair items) allows a longer, chattier sentence and a
    stutter, never talk about the conversation, a garble or caption debris.
    """
    count = len(tokens(text))
    longest, chattiest = (LOOSE_MAX_WORDS, MAX_CARD_CHATTER) if loose else (MAX_FAIR_WORDS, MAX_STEM_CHATTER)
    return (
        MIN_FAIR_WORDS <= count <= longest
        and (loose or not _STUTTER.search(text))
        and not _DEBRIS.search(text)
        and chatter(text) <= chattiest
        and not _META.search(text)
        and not _CONVERSATION.search(text)
        and not garbled_words(text, known)
        and len(_FIRST_PERSON.findall(text)) < 2
        and not leans_on_context(text)
        and not BROKEN_SEGMENT.search(text)
        and not _ECHO.search(text)
        and not restarts(text)
        and not cut_caption(text)
    )


def substantive(text: str, known: frozenset[str], strict: bool = False) -> bool:
    """True for a sentence worth a card (or, `strict`, a model answer): no talk about the
    conversation, no garbled word, no caption debris, not mostly hedges; a model answer is no
    speaker's opinion either."""
    if _META.search(text) or _CONVERSATION.search(text) or _DEBRIS.search(text):
        return False
    if garbled_words(text, known):
        return False
    if not strict:
        # A card shows a clause of the sentence, so chatter elsewhere in it does not matter.
        return True
    if chatter(text) > MAX_CARD_CHATTER:
        return False
    return not (
        _VAGUE.search(text)
        or _HYPOTHETICAL.match(text)
        or _LEANS_BACK.match(text)
        or _FIRST_PERSON.search(text)
    )


def is_assertion(
    text: str, pattern: re.Pattern[str], known: frozenset[str], min_explains: float = MIN_CLAIM_EXPLAINS
) -> bool:
    """True for a checkable statement about the concept: it reads cleanly, the concept is what
    the sentence is about (it is or does something), and it is no opinion, hedge, wish or remark
    about "this thing" (a learner could not judge those true or false)."""
    return (
        bool(pattern.search(text))
        and not text.rstrip().endswith("?")
        and reads_cleanly(text, known)
        and not _OPINION.search(text)
        and not _HYPOTHETICAL.search(text)
        and not _VAGUE.search(text)
        and not _LEANS_BACK.match(text)
        and explains_score(text, pattern) >= min_explains
    )


def inside_longer_name(text: str, pattern: re.Pattern[str], longer_names: list[str]) -> bool:
    """True when a mention sits next to a word of a longer concept's name ("entrance time
    compute" is a garbled "test time compute", not "compute")."""
    for match in pattern.finditer(text):
        own = {normal(w) for w in tokens(match.group(0))}
        before = [normal(w) for w in tokens(text[: match.start()])[-1:]]
        after = [normal(w) for w in tokens(text[match.end() :])[:1]]
        for name in longer_names:
            extra = {normal(w) for w in tokens(name)} - own
            if extra & set(before + after):
                return True
    return False


def pinned(blanked: str, blank: str, topical: frozenset[str]) -> bool:
    """True when the words around a blank point at the answer rather than at any noun.

    The rest of the sentence must hold a word the concept's evidence repeats (so a learner who
    read about it recognises the context), and a noun right before the blank ("CPU-based
    machines _____") must be one of those words too: otherwise many words fill the slot.
    """
    rest = {normal(w) for w in content_words(blanked.replace(blank, " "))}
    if not rest & topical:
        return False
    for piece in blanked.split(blank)[:-1]:
        words = tokens(piece)
        if words:
            last = words[-1]
            modifier = not is_stop(last) and not last[:1].isdigit() and len(last) > 2
            if modifier and normal(last) not in topical and zipf(last) < 5.5:
                return False
    return True


# Fillers inside a sentence that a model answer drops: the citation keeps every word.
_INLINE_FILLER = re.compile(
    r"(?<![\w'])(?:you know|i mean|basically|actually|literally|obviously|kind of|sort of)(?![\w'])"
    r",?\s*|,\s*like,\s*|(?<=\s)like,\s+|(?<=\bjust)\s+like(?=\s)|(?<=\s)(?:uh|um)\b,?\s*"
    # "this like intelligent entity", "a like really small model": a tic between article and noun.
    r"|(?:(?<=\bthis\s)|(?<=\bthat\s)|(?<=\bthe\s)|(?<=\ba\s)|(?<=\ban\s)|(?<=\bsome\s))like\s+",
    re.IGNORECASE,
)
# "kind of" after these asks for a kind ("what kind of model"): not a filler there.
_KIND_ASKED = re.compile(r"\b(?:what|which|this|that|a|one|some|any|the|every|each)\s+$", re.I)


def trim_fillers(text: str) -> str:
    """The sentence without inline hedges and stutters, for a model answer in course prose."""
    out: list[str] = []
    last = 0
    for match in _INLINE_FILLER.finditer(text):
        if match.group(0).lower().startswith(("kind", "sort")) and _KIND_ASKED.search(text[: match.start()]):
            continue
        # The comma that set the filler off goes with it ("is, you know, a model").
        out.append(text[last : match.start()].rstrip().rstrip(",") + " ")
        last = match.end()
    out.append(text[last:])
    trimmed = "".join(out)
    trimmed = _STUTTER.sub(lambda m: m.group(1), trimmed)
    trimmed = re.sub(r"\s+([,.;:!?])", r"\1", re.sub(r"\s{2,}", " ", trimmed)).strip(" ,")
    return trimmed[:1].upper() + trimmed[1:] if len(tokens(trimmed)) >= 4 else text


def key_points(answer: str, name: str, count: int = 4, topical: frozenset[str] = frozenset()) -> list[str]:
    """The words of a model answer a good answer should mention besides the concept's name: those
    the concept's evidence repeats (`topical`, normal forms) first, the rarest first within each;
    one-off rare words ("metro") only fill the rest."""
    own = {normal(w) for w in tokens(name)}
    seen: dict[str, str] = {}
    for word in content_words(answer):
        key = normal(word)
        if key not in own and key not in seen and len(word) > 3 and zipf(word) > 0 and "'" not in word:
            seen[key] = word
    # Repeated and rarer than everyday English ("gradients", not "needed").
    explains = {w for w in seen.values() if normal(w) in topical and zipf(w) < MAX_POINT_ZIPF}
    ranked = set(sorted(seen.values(), key=lambda w: (w not in explains, zipf(w), w))[:count])
    # In the answer's own order, so the list reads like the answer.
    return [w for w in seen.values() if w in ranked]
