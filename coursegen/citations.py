"""Citations: materialize sentence ids into quote, times and deep link; locate free-text quotes.

A citation is a run of consecutive sentences of one passage. Its quote, times and link are
always computed here from the episode, never typed by a model, so it is verbatim by
construction; a quote a model did type is located in the episode and turned into ids.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from rapidfuzz import fuzz

from coursegen.errors import CoursegenError
from coursegen.ir import Citation, Episode, Passage, Sentence
from coursegen.textnorm import words


class CitationError(CoursegenError):
    """Sentence ids that do not name consecutive sentences of one passage of the episode."""


@dataclass(frozen=True, slots=True)
class SentenceRef:
    """Where a sentence sits: its passage, episode, position in the passage and in the episode."""

    sentence: Sentence
    passage: Passage
    episode: Episode
    index_in_passage: int
    order: int  # position among all sentences of the episode


class EpisodeIndex:
    """Sentence id → sentence, passage and episode; built once per course, read many times."""

    def __init__(self, episodes: Iterable[Episode]) -> None:
        self.episodes: dict[str, Episode] = {}
        self.sentences: dict[str, SentenceRef] = {}
        self.ordered: dict[str, list[Sentence]] = {}
        for episode in episodes:
            self.episodes[episode.id] = episode
            ordered: list[Sentence] = []
            for passage in episode.passages:
                for position, sentence in enumerate(passage.sentences):
                    self.sentences[sentence.id] = SentenceRef(
                        sentence, passage, episode, position, len(ordered)
                    )
                    ordered.append(sentence)
            self.ordered[episode.id] = ordered

    def get(self, sentence_id: str) -> SentenceRef | None:
        """The sentence with this id, or None."""
        return self.sentences.get(sentence_id)

    def with_neighbours(self, episode_id: str, sentence_ids: Sequence[str]) -> list[Sentence]:
        """The cited sentences plus the one before and the one after, in episode order."""
        refs = [self.sentences[sid] for sid in sentence_ids if sid in self.sentences]
        if not refs:
            return []
        ordered = self.ordered.get(episode_id, [])
        low = max(min(ref.order for ref in refs) - 1, 0)
        high = min(max(ref.order for ref in refs) + 1, len(ordered) - 1)
        return ordered[low : high + 1]


def resolve(index: EpisodeIndex, episode_id: str, sentence_ids: Sequence[str]) -> list[SentenceRef]:
    """The refs of `sentence_ids`, checked to be consecutive sentences of one passage."""
    if episode_id not in index.episodes:
        raise CitationError(f"unknown episode {episode_id!r}", "cite an episode of this course")
    if not sentence_ids:
        raise CitationError("a citation needs at least one sentence id")
    refs: list[SentenceRef] = []
    for sid in sentence_ids:
        ref = index.sentences.get(sid)
        if ref is None or ref.episode.id != episode_id:
            raise CitationError(f"sentence {sid!r} does not exist in episode {episode_id!r}")
        refs.append(ref)
    first = refs[0]
    for previous, ref in zip(refs, refs[1:], strict=False):
        if ref.passage.id != first.passage.id:
            raise CitationError(
                f"sentences {first.sentence.id!r} and {ref.sentence.id!r} are in different passages",
                "a citation quotes one passage; split it into two citations",
            )
        if ref.index_in_passage != previous.index_in_passage + 1:
            raise CitationError(
                f"sentences {previous.sentence.id!r} and {ref.sentence.id!r} are not consecutive",
                "cite a run of consecutive sentences",
            )
    return refs


def quote_of(sentences: Iterable[Sentence]) -> str:
    """The quote a run of sentences materializes to: their texts joined by one space."""
    return " ".join(s.text.strip() for s in sentences)


def deep_link(url: str | None, seconds: float | None) -> str | None:
    """A link to `url` at `seconds`: YouTube `t=<n>s`, other media `#t=<n>`; the bare URL if untimed."""
    if not url:
        return None
    if seconds is None:
        return url
    whole = max(int(seconds), 0)
    parts = urlsplit(url)
    host = parts.netloc.lower().removeprefix("www.").removeprefix("m.")
    if host == "youtu.be":
        query = [(k, v) for k, v in parse_qsl(parts.query) if k != "t"] + [("t", f"{whole}s")]
        return urlunsplit((parts.scheme or "https", parts.netloc, parts.path, urlencode(query), ""))
    if host in ("youtube.com", "music.youtube.com", "youtube-nocookie.com"):
        if parts.path == "/watch":
            query = [(k, v) for k, v in parse_qsl(parts.query) if k != "t"] + [("t", f"{whole}s")]
            return urlunsplit((parts.scheme or "https", parts.netloc, parts.path, urlencode(query), ""))
        segments = [segment for segment in parts.path.split("/") if segment]
        if len(segments) == 2 and segments[0] in ("embed", "shorts", "live", "v"):
            # Player and share forms: link to the watch page, which honours t=.
            return f"https://www.youtube.com/watch?v={segments[1]}&t={whole}s"
    # W3C media fragments: a player seeks to #t=<seconds>.
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, f"t={whole}"))


def materialize(index: EpisodeIndex, episode_id: str, sentence_ids: Sequence[str]) -> Citation:
    """Build the citation for `sentence_ids`: quote, start/end, estimated flag and deep link."""
    refs = resolve(index, episode_id, sentence_ids)
    sentences = [ref.sentence for ref in refs]
    start, end = sentences[0].start, sentences[-1].end
    estimated = False
    if start is None:
        start, end = estimate_time(refs[0].episode, refs[0].order, index), None
        estimated = start is not None
    return Citation(
        episode=episode_id,
        sentence_ids=list(sentence_ids),
        quote=quote_of(sentences),
        start=start,
        end=end,
        time_estimated=estimated,
        url=deep_link(refs[0].episode.url, start),
    )


def estimate_time(episode: Episode, order: int, index: EpisodeIndex) -> float | None:
    """Interpolate a time for an untimed sentence from the episode's timed claims, if any."""
    anchors = claim_anchors(episode, index)
    if len(anchors) < 2:
        return None
    before = [a for a in anchors if a[0] <= order]
    after = [a for a in anchors if a[0] > order]
    if before and after:
        (o1, t1), (o2, t2) = before[-1], after[0]
    elif len(before) >= 2:
        (o1, t1), (o2, t2) = before[-2], before[-1]
    else:
        (o1, t1), (o2, t2) = after[0], after[1]
    if o2 == o1:
        return None
    return round(max(t1 + (t2 - t1) * (order - o1) / (o2 - o1), 0.0), 1)


_ANCHOR_CACHE: dict[int, tuple[Episode, list[tuple[int, float]]]] = {}


def claim_anchors(episode: Episode, index: EpisodeIndex) -> list[tuple[int, float]]:
    """(sentence order, seconds) for timed claims whose quote or text is found in the episode."""
    cached = _ANCHOR_CACHE.get(id(episode))
    if cached is not None and cached[0] is episode:
        return cached[1]
    anchors: list[tuple[int, float]] = []
    for claim in episode.claims:
        if claim.start is None:
            continue
        ids = locate_quote(episode, claim.quote or claim.text)
        if ids:
            anchors.append((index.sentences[ids[0]].order, claim.start))
    # Keep only anchors whose times rise with their position: a monotone time line.
    anchors.sort()
    monotone: list[tuple[int, float]] = []
    for anchor in anchors:
        if not monotone or (anchor[1] > monotone[-1][1] and anchor[0] > monotone[-1][0]):
            monotone.append(anchor)
    if len(_ANCHOR_CACHE) > 64:
        _ANCHOR_CACHE.clear()
    _ANCHOR_CACHE[id(episode)] = (episode, monotone)
    return monotone


@dataclass(frozen=True, slots=True)
class _PassageText:
    passage: Passage
    text: str
    spans: list[tuple[int, int]]  # character span of each sentence in `text`


_LOCATE_CACHE: dict[int, tuple[Episode, list[_PassageText]]] = {}


def _passage_texts(episode: Episode) -> list[_PassageText]:
    cached = _LOCATE_CACHE.get(id(episode))
    if cached is not None and cached[0] is episode:
        return cached[1]
    result: list[_PassageText] = []
    for passage in episode.passages:
        parts: list[str] = []
        spans: list[tuple[int, int]] = []
        cursor = 0
        for sentence in passage.sentences:
            normalized = " ".join(words(sentence.text))
            spans.append((cursor, cursor + len(normalized)))
            parts.append(normalized)
            cursor += len(normalized) + 1
        result.append(_PassageText(passage, " ".join(parts), spans))
    if len(_LOCATE_CACHE) > 64:
        _LOCATE_CACHE.clear()
    _LOCATE_CACHE[id(episode)] = (episode, result)
    return result


def _covering(item: _PassageText, start: int, end: int) -> tuple[int, int] | None:
    """First and last index of the passage's sentences that overlap text[start:end]."""
    hits = [
        k
        for k, (s_start, s_end) in enumerate(item.spans)
        # An overlap of a couple of characters is fuzzy slack at the edge, not a cited sentence.
        if min(end, s_end) - max(start, s_start) > 2 or (s_end - s_start <= 2 and start <= s_start < end)
    ]
    return (hits[0], hits[-1]) if hits else None


def _refine(needle: str, item: _PassageText, first: int, last: int) -> tuple[float, int, int]:
    """Move each edge of the run by at most one sentence to best match the whole quote.

    A fuzzy alignment has the quote's length, so a dropped or misheard word can cut off a
    short sentence at an edge, or pull in a neighbour's first words.
    """
    count = len(item.spans)
    best = (-1.0, first, last)
    for a in (first, first - 1, first + 1):
        for b in (last, last + 1, last - 1):
            if 0 <= a <= b < count:
                joined = item.text[item.spans[a][0] : item.spans[b][1]]
                score = fuzz.ratio(needle, joined)
                if score > best[0]:
                    best = (score, a, b)
    return best


def locate_quote(episode: Episode, text: str, min_score: float = 85.0) -> list[str] | None:
    """The consecutive sentence ids of one passage that cover `text` (fuzzy), or None."""
    needle = " ".join(words(text))
    if len(needle) < 8:
        return None
    best: tuple[float, _PassageText, int, int] | None = None
    for item in _passage_texts(episode):
        if len(item.text) + 8 < len(needle) * 0.8:
            continue  # the quote cannot fit in this passage
        exact = item.text.find(needle)
        if exact >= 0:
            run = _covering(item, exact, exact + len(needle))
            if run is not None:
                best = (101.0, item, run[0], run[1])
                break
        # A window of the quote's length scores low when the quote lost a long word, so look
        # wider, then accept on either the window score or the whole run's score.
        alignment = fuzz.partial_ratio_alignment(needle, item.text, score_cutoff=min_score - 15)
        if alignment is None:
            continue
        run = _covering(item, alignment.dest_start, alignment.dest_end)
        if run is None:
            continue
        whole, first, last = _refine(needle, item, run[0], run[1])
        score = max(whole, alignment.score)
        if score >= min_score and (best is None or score > best[0]):
            best = (score, item, first, last)
    if best is None:
        return None
    _, item, first, last = best
    return [sentence.id for sentence in item.passage.sentences[first : last + 1]]


def fact_key(kind: str, quote: str) -> str:
    """Hash of the card kind and the normalized words of its cited quote (stable across re-ingest)."""
    normalized = " ".join(words(quote))
    return hashlib.sha256(f"{kind}\n{normalized}".encode()).hexdigest()[:16]


def card_identity(course_id: str, concept_id: str, fact: str) -> str:
    """A card's identity: course id, concept id and fact key (the Anki GUID derives from it)."""
    return f"{course_id}/{concept_id}/{fact}"
