"""Which sentences of an episode a speaker asserts as explanation, and why the others are not.

A concept's definition and first quote become a lesson's core and its questions' material, so
they must be something a speaker states. Six kinds of sentence are not (they may still serve
further down the evidence, as nuance):

- a *set-up*: the host's preamble and question to the guest, or talk about the conversation;
- a *trailer*: the clips a podcast opens with, said again later in the episode;
- a *reported* view: someone else's view, the listener's, a doubt or a guess;
- a *garbled* sentence: a fragment, a restart, a run-on or broken captions;
- a *misheard* one: it holds a technical word the speech recogniser got wrong (misheard.py);
- a *sponsor* read: the sentences of an ad, from its first ad-like line to its last.

Transcripts rarely say who speaks; turns are read from the text: a question is followed by a
reply ("Yeah, ...", "Good question."), and the sentences just before a host's question set it up.
"""

from __future__ import annotations

import re

from coursegen.engines.extractive.identity_cache import IdentityCache
from coursegen.engines.extractive.misheard import misheard_sentences
from coursegen.engines.extractive.speech import (
    about_the_conversation,
    addresses_listener,
    asks_listener,
    garbled_speech,
    is_ad,
    opens_reply,
    reported_view,
)
from coursegen.engines.extractive.terms import is_cased
from coursegen.engines.extractive.text import content_words, normal, tidy, tokens
from coursegen.ir import Episode, Sentence

SETUP = "set-up"
TRAILER = "trailer"
REPORTED = "reported"
GARBLED = "garbled"
MISHEARD = "misheard"
# When no quote is free of flaws, the lesser ones first: a garble is still the speaker's own claim
# (a misheard one too, with a wrong word in it), a reported view at least a view; a set-up is the
# host's, a trailer clip out of its place, a sponsor read no one's view of the idea at all.
SPONSOR = "sponsor"
FLAWS = (GARBLED, MISHEARD, REPORTED, SETUP, TRAILER, SPONSOR)

# How many sentences before a host's question belong to its set-up.
SETUP_REACH = 2
# The cold open lies in the first minutes (timed transcripts) or the first share of sentences.
COLD_OPEN_SECONDS = 180.0
COLD_OPEN_SHARE = 0.03
# A sentence of the opening is a clip when this share of its word triples comes again later.
CLIP_MATCH = 0.8
SHINGLE = 3
MIN_CLIP_CONTENT = 3
# Ad-like sentences this close together (in sentences) are one sponsor read, with all between:
# "A quick word from our sponsor …" opens it and "go to x.com" ends it; the lines between name
# products and deals without an ad word of their own.
AD_REACH = 12
# The host introducing the guest ends a cold open: what comes before it is a montage of clips.
_INTRODUCTION = re.compile(
    r"\b(?:today,? i(?:'m| am) (?:speaking|talking|chatting|sitting down) with|"
    r"today,? i have the (?:honor|pleasure)|welcome (?:back )?to (?:the )?\w+|my guest (?:today )?is|"
    r"i'm joined (?:today )?by|joining me (?:today )?(?:is|are))\b",
    re.I,
)
_THANKS = re.compile(r"\b(?:thanks|thank you)\b", re.I)
# A turn that opens by disagreeing with what was just said ("Yeah. Basically I'm not 100% sure if I
# fully agree with that."): the words it answers are the other speaker's argument, not the idea.
_DISAGREES = re.compile(
    r"^(?:(?:yeah|yes|well|so|basically|honestly|hmm|um|uh|i mean|okay|ok)[\s,.]+)*"
    r"(?:i'm not (?:\d+% |entirely |totally |completely |so |quite )?sure (?:if |that |whether )?i "
    r"(?:\w+ )?agree|i (?:don't|do not) (?:\w+ )?agree|i (?:disagree|would push back|'d push back)|"
    r"i (?:don't|do not) think (?:so|that's (?:right|true))|"
    r"i'm not (?:\d+% |entirely |totally )?sure about that|i'm not (?:\d+%|a hundred percent) sure)\b",
    re.I,
)
# How many sentences before a disagreement it answers; reply words between ("Yeah.") are skipped.
DISPUTE_REACH = 3
# The speaker who disagrees gives their own view in the next few sentences.
ANSWER_REACH = 4
REPLY_ONLY_WORDS = 2
# A speaker taking up what the listener said ("interesting to hear you say that", "your point is
# that"): that sentence and the next ones of its passage argue the listener's point back. Not a
# speaker's own point made "as you mentioned", nor a hypothetical "if you said to someone".
_TAKES_UP_LISTENER = re.compile(
    r"\b(?:to hear you say|your point (?:is|was)|(?<!\bif )(?<!\bas )(?<!\blike )you (?:said|mentioned)|"
    r"you (?:were|'re) saying|what you're saying)\b",
    re.I,
)
TURN_REACH = 3
# The host's preview of what the talk covers.
_PREVIEW = re.compile(
    r"\b(?:we talked about|we also (?:hit on|talked about|got into)|we discussed|we hit on|"
    r"we'll (?:talk|get into|discuss)|we cover(?:ed)?)\b",
    re.I,
)


def _shingles(text: str) -> list[tuple[str, ...]]:
    words = [normal(w) for w in tokens(text)]
    return [tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)]


class AssertionIndex:
    """The sentences of one episode that are set-ups or trailer clips, and text-level judgements."""

    def __init__(self, episode: Episode, cased: bool) -> None:
        self._passages = episode.passages
        self._sentences = [s for p in episode.passages for s in p.sentences]
        self._cased = cased
        self._setup = self._find_setups() | self._find_introduction()
        self._trailer = self._find_trailer()
        self._misheard = misheard_sentences(self._sentences)
        self._sponsor = self._find_sponsor_reads()
        self._answers: dict[str, list[str]] = {}
        self._answered = self._find_disputed() | self._find_taken_up()

    def findings(self) -> dict[str, object]:
        """What the index read off its episode, without the episode itself: small to send from
        a worker process to its parent (see `remember_index`)."""
        return {name: value for name, value in vars(self).items() if name not in _EPISODE_FIELDS}

    @classmethod
    def from_findings(cls, episode: Episode, findings: dict[str, object]) -> AssertionIndex:
        """The index `findings` were taken from, on this (the same) episode, without reading it again."""
        index = cls.__new__(cls)
        index._passages = episode.passages
        index._sentences = [s for p in episode.passages for s in p.sentences]
        vars(index).update(findings)
        return index

    def _find_setups(self) -> frozenset[str]:
        """Host questions and the sentences setting them up (up to the previous reply opener)."""
        found: set[str] = set()
        sentences = self._sentences
        for index, sentence in enumerate(sentences):
            if about_the_conversation(sentence.text):
                found.add(sentence.id)
            if not asks_listener(sentence.text):
                continue
            found.add(sentence.id)
            following = sentences[index + 1].text if index + 1 < len(sentences) else ""
            # A question put to the listener, or answered by a reply, ends the other speaker's turn;
            # a speaker's own rhetorical question ("So why does it work? Because ...") sets nothing up.
            if not (addresses_listener(sentence.text) or opens_reply(following)):
                continue
            for before in reversed(sentences[max(0, index - SETUP_REACH) : index]):
                if opens_reply(before.text) or asks_listener(before.text):
                    break
                found.add(before.id)
        return frozenset(found)

    def _find_disputed(self) -> frozenset[str]:
        """The sentences a disagreement answers: up to DISPUTE_REACH before it, back to the last
        reply opener or question (the other speaker's turn), short replies ("Yeah.") skipped."""
        found: set[str] = set()
        sentences = self._sentences
        for index, sentence in enumerate(sentences):
            if not _DISAGREES.match(sentence.text.strip()):
                continue
            before = index - 1
            while before >= 0 and len(tokens(sentences[before].text)) <= REPLY_ONLY_WORDS:
                before -= 1
            disputed = []
            for earlier in reversed(sentences[max(0, before + 1 - DISPUTE_REACH) : before + 1]):
                disputed.append(earlier.id)
                if opens_reply(earlier.text) or asks_listener(earlier.text):
                    break
            found.update(disputed)
            answer = [s.id for s in sentences[index + 1 : index + 1 + ANSWER_REACH]]
            for sid in disputed:
                self._answers.setdefault(sid, []).extend(answer)
        return frozenset(found)

    def answers(self, sentence_ids: list[str]) -> list[str]:
        """The ids of the sentences that answer a disputed quote (after the disagreement), in order."""
        return [a for sid in sentence_ids for a in self._answers.get(sid, [])]

    def _find_taken_up(self) -> frozenset[str]:
        """A sentence taking up the listener's words and the next TURN_REACH of its passage."""
        found: set[str] = set()
        for passage in self._passages:
            for index, sentence in enumerate(passage.sentences):
                if _TAKES_UP_LISTENER.search(sentence.text):
                    found.update(s.id for s in passage.sentences[index : index + 1 + TURN_REACH])
        return frozenset(found)

    def answered_for_listener(self, sentence_ids: list[str]) -> bool:
        """True when the quote is an argument the next speaker disputes ("I'm not sure I agree") or
        one a speaker makes of the listener's words ("your point is that ..."): not the idea as
        the course should present it. The concept stage does not read this (only lessons do)."""
        return any(sid in self._answered for sid in sentence_ids)

    @property
    def answered_sentences(self) -> frozenset[str]:
        """The ids of the sentences answered_for_listener finds."""
        return self._answered

    def _opening(self) -> list[Sentence]:
        """The sentences a cold open can lie in."""
        sentences = self._sentences
        if any(s.start is not None for s in sentences):
            count = next(
                (i for i, s in enumerate(sentences) if s.start is not None and s.start >= COLD_OPEN_SECONDS),
                len(sentences),
            )
        else:
            count = int(len(sentences) * COLD_OPEN_SHARE)
        return sentences[:count]

    def _find_trailer(self) -> frozenset[str]:
        """Opening sentences said again later (clips), and those before the guest's introduction."""
        opening = self._opening()
        later: set[tuple[str, ...]] = {
            shingle for s in self._sentences[len(opening) :] for shingle in _shingles(s.text)
        }
        found: set[str] = set()
        for sentence in opening:
            own = _shingles(sentence.text)
            if len(content_words(sentence.text)) < MIN_CLIP_CONTENT or not own:
                continue
            if sum(1 for shingle in own if shingle in later) >= CLIP_MATCH * len(own):
                found.add(sentence.id)
        introduction = next((i for i, s in enumerate(opening) if _INTRODUCTION.search(s.text)), None)
        if introduction:
            found.update(s.id for s in opening[:introduction])
        return frozenset(found)

    def _find_introduction(self) -> frozenset[str]:
        """The host's introduction of the guest (from its first line to the first question or
        thanks) and preview of the talk (from the first "we talked about ..." to the last)."""
        opening = self._opening()
        found: set[str] = set()
        start = next((i for i, s in enumerate(opening) if _INTRODUCTION.search(s.text)), None)
        for sentence in opening[start:] if start is not None else []:
            found.add(sentence.id)
            if asks_listener(sentence.text) or _THANKS.search(sentence.text):
                break
        preview = [i for i, s in enumerate(opening) if _PREVIEW.search(s.text)]
        if preview:
            found.update(s.id for s in opening[preview[0] : preview[-1] + 1])
        return frozenset(found)

    def _find_sponsor_reads(self) -> frozenset[str]:
        """Ad-like sentences and those between two of them at most AD_REACH apart."""
        ads = [i for i, s in enumerate(self._sentences) if is_ad(s.text)]
        found = {self._sentences[i].id for i in ads}
        for start, end in zip(ads, ads[1:], strict=False):
            if end - start <= AD_REACH:
                found.update(s.id for s in self._sentences[start:end])
        return frozenset(found)

    def is_sponsor_read(self, sentence_ids: list[str]) -> bool:
        """True when the quote holds a line of a sponsor read."""
        return any(sid in self._sponsor for sid in sentence_ids)

    def is_trailer(self, sentence_ids: list[str]) -> bool:
        """True when the quote holds a cold-open clip (said again later in the episode)."""
        return any(sid in self._trailer for sid in sentence_ids)

    def is_misheard(self, sentence_ids: list[str]) -> bool:
        """True when the quote holds a technical word the recogniser misheard (misheard.py)."""
        return any(sid in self._misheard for sid in sentence_ids)

    def flaw(self, sentence_ids: list[str], text: str, names_it: re.Pattern[str]) -> str | None:
        """Why the quote (these sentences, joined as `text`) is not an assertion, or None."""
        if self.is_sponsor_read(sentence_ids):
            return SPONSOR
        if self.is_trailer(sentence_ids):
            return TRAILER
        if any(sid in self._setup for sid in sentence_ids):
            return SETUP
        if reported_view(text, names_it):
            return REPORTED
        # Judged as the course shows it: without "uh", which can leave a doubled word ("to uh to").
        if garbled_speech(tidy(text), names_it, self._cased):
            return GARBLED
        if self.is_misheard(sentence_ids):
            return MISHEARD
        return None


# The fields an index holds of its episode rather than finds in it.
_EPISODE_FIELDS = frozenset(["_passages", "_sentences"])


# One index per episode object (as mentions.finder_for does per graph): lessons are assessed one
# by one and each index reads the whole episode.
MAX_INDEXES = 64
_INDEXES: IdentityCache[Episode, AssertionIndex] = IdentityCache(MAX_INDEXES)


def episode_index(episode: Episode) -> AssertionIndex:
    """The episode's AssertionIndex, built once per episode object."""
    cached = _INDEXES.get(episode)
    return cached if cached is not None else _INDEXES.put(episode, AssertionIndex(episode, is_cased(episode)))


def has_index(episode: Episode) -> bool:
    """True when this episode object's index is built already."""
    return _INDEXES.get(episode) is not None


def remember_index(episode: Episode, findings: dict[str, object]) -> None:
    """Keep the index another process built for this episode (`AssertionIndex.findings`)."""
    _INDEXES.put(episode, AssertionIndex.from_findings(episode, findings))
