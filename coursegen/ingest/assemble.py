"""ParsedTranscript → Episode: clean cues, drop repeats, split sentences, group passages.

Every parser's output goes through here, so every format gets the same cleaning and the
same guarantees: a sentence's text is words of the source in order, its times are those
of the cues its words came from, and its lines are the original file lines of those cues.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from coursegen.ingest.base import Cue, ParsedTranscript
from coursegen.ingest.language import guess_language, language_code
from coursegen.ingest.sentences import split_sentences
from coursegen.ingest.titles import title_from_stem
from coursegen.ingest.words import WordStream, build_stream
from coursegen.ir import Episode, Passage, Sentence

# Passage sizes: seconds of speech when timed, words when not.
PASSAGE_MIN_S, PASSAGE_SOFT_S, PASSAGE_MAX_S = 30.0, 60.0, 90.0
PASSAGE_MIN_W, PASSAGE_SOFT_W, PASSAGE_MAX_W = 80, 160, 250
# Fast speech is ~200 words a minute: 90 s stays under this cap, stalled times do not.
TIMED_WORD_CAP = 400


@dataclass
class _Draft:
    """A sentence before ids are assigned."""

    text: str
    start: float | None
    end: float | None
    line_start: int
    line_end: int
    words: int
    speaker: str | None
    new_turn: bool


def fill_missing_ends(cues: list[Cue]) -> None:
    """A cue with a start and no end ends where the next timed cue starts (or at its start)."""
    next_start: float | None = None
    for cue in reversed(cues):
        if cue.start is not None and cue.end is None:
            cue.end = next_start if next_start is not None and next_start >= cue.start else cue.start
        if cue.start is not None:
            next_start = cue.start


def _drafts(stream: WordStream) -> list[_Draft]:
    """Sentence drafts with times and lines taken from the cues their words came from."""
    drafts: list[_Draft] = []
    cues = stream.cues
    for first, last in split_sentences(stream):
        cue_indexes = sorted(set(stream.cue_of[first : last + 1]))
        starts = [t for t in (cues[i].start for i in cue_indexes) if t is not None]
        ends = [t for t in (cues[i].end for i in cue_indexes) if t is not None]
        start = min(starts) if starts else None
        end = max(ends) if ends else None
        if start is not None and end is not None and end < start:
            end = start
        drafts.append(
            _Draft(
                text=" ".join(stream.words[first : last + 1]),
                start=start,
                end=end,
                line_start=min(cues[i].line_start for i in cue_indexes),
                line_end=max(cues[i].line_end for i in cue_indexes),
                words=last - first + 1,
                speaker=cues[stream.cue_of[first]].speaker,
                new_turn=first in stream.turn_starts,
            )
        )
    return drafts


def _group(drafts: list[_Draft], timed: bool) -> list[list[_Draft]]:
    """Group sentences into passages of teaching size, breaking at speaker turns first.

    Timed sources are sized in seconds, untimed ones in words; a word cap also applies to
    timed sources so a file whose times do not advance still gets teaching-sized passages.
    """
    groups: list[list[_Draft]] = []
    current: list[_Draft] = []
    low, soft, high = (
        (PASSAGE_MIN_S, PASSAGE_SOFT_S, PASSAGE_MAX_S)
        if timed
        else (PASSAGE_MIN_W, PASSAGE_SOFT_W, PASSAGE_MAX_W)
    )
    words = 0
    first_start: float | None = None
    last_end: float | None = None
    for draft in drafts:
        if current:
            size = _seconds(first_start, last_end) if timed else float(words)
            if timed:
                added = _seconds(_earliest(first_start, draft.start), _latest(last_end, draft.end))
            else:
                added = float(words + draft.words)
            if (
                draft.speaker != current[-1].speaker
                or (draft.new_turn and size >= low)
                or size >= soft
                or (added > high and size >= low / 2)
                or words + draft.words > TIMED_WORD_CAP
            ):
                groups.append(current)
                current, words, first_start, last_end = [], 0, None, None
        current.append(draft)
        words += draft.words
        first_start = _earliest(first_start, draft.start)
        last_end = _latest(last_end, draft.end)
    if current:
        groups.append(current)
    return groups


def _earliest(a: float | None, b: float | None) -> float | None:
    return b if a is None else a if b is None else min(a, b)


def _latest(a: float | None, b: float | None) -> float | None:
    return b if a is None else a if b is None else max(a, b)


def _seconds(start: float | None, end: float | None) -> float:
    return end - start if start is not None and end is not None else 0.0


def assemble(
    parsed: ParsedTranscript,
    *,
    episode_id: str,
    source: str,
    sha256: str,
    default_title: str,
    speaker_names: Mapping[str, str] | None = None,
) -> Episode:
    """Build the Episode for one parsed file."""
    cues = parsed.cues
    if speaker_names:
        for cue in cues:
            if cue.speaker is not None:
                cue.speaker = speaker_names.get(cue.speaker, cue.speaker)
    fill_missing_ends(cues)
    stream = build_stream(cues, parsed.rolling, parsed.overlap_min_words)
    drafts = _drafts(stream)
    timed = any(d.start is not None for d in drafts)
    passages: list[Passage] = []
    for number, group in enumerate(_group(drafts, timed), start=1):
        passage_id = f"{episode_id}/p{number}"
        sentences = [
            Sentence(
                id=f"{passage_id}/s{k}",
                text=d.text,
                start=d.start,
                end=d.end,
                line_start=d.line_start,
                line_end=d.line_end,
            )
            for k, d in enumerate(group, start=1)
        ]
        turn_starts = [
            k
            for k, d in enumerate(group, start=1)
            if k > 1 and (d.new_turn or d.speaker != group[k - 2].speaker)
        ]
        voices = {d.speaker for d in group}
        starts = [d.start for d in group if d.start is not None]
        ends = [d.end for d in group if d.end is not None]
        passages.append(
            Passage(
                id=passage_id,
                start=min(starts) if starts else None,
                end=max(ends) if ends else None,
                speaker=voices.pop() if len(voices) == 1 else None,
                line_start=min(d.line_start for d in group),
                line_end=max(d.line_end for d in group),
                sentences=sentences,
                turn_starts=turn_starts,
            )
        )
    speakers = _speakers(parsed, cues, speaker_names)
    text_sample = " ".join(stream.words[:1500])
    return Episode(
        id=episode_id,
        # Only the file name left: "003_9859fa03d6cc2246" reads "Episode 003" (the id keeps the name).
        title=(parsed.title or "").strip() or title_from_stem(default_title, speakers),
        source=source,
        sha256=sha256,
        format=parsed.format,
        language=language_code(parsed.language) or guess_language(text_sample),
        speakers=speakers,
        url=parsed.url,
        claims=list(parsed.claims),
        passages=passages,
    )


def _speakers(parsed: ParsedTranscript, cues: list[Cue], names: Mapping[str, str] | None) -> list[str]:
    """Speakers the source names, in order of first appearance, mapped through the speaker map."""
    seen: dict[str, None] = {}
    for name in parsed.speakers:
        seen.setdefault((names or {}).get(name, name), None)
    for cue in cues:
        if cue.speaker:
            seen.setdefault(cue.speaker, None)
    return list(seen)
