"""Transcript passages as the model sees them: one sentence per line, prefixed by a short id.

Sentence ids in the IR are "<episode>/p<n>/s<k>"; prompts show the short "p<n>/s<k>" under an
episode heading (fewer tokens), and answers come back as short ids that `full_ids` turns into
real ids again. Only ids that were shown are accepted (see `ShownIds`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from coursegen.engines.sources import SourceIndex
from coursegen.engines.types import Cite
from coursegen.ir import Episode, Passage
from coursegen.llm import estimate_tokens

# Context budget for the transcript part of one concepts call (tokens, ~4 chars each): small
# enough for 8k-context local models with room for instructions and the answer.
WINDOW_TOKENS = 3000
NEIGHBOURS = 1  # sentences of context shown on each side of a cited run in later stages


def short_id(sentence_id: str) -> str:
    """'ep/p3/s2' -> 'p3/s2'."""
    return "/".join(sentence_id.split("/")[-2:])


def passage_lines(passage: Passage, keep: set[str] | None = None) -> list[str]:
    """'p3/s2 text' lines of a passage's sentences (only `keep` ids when given)."""
    return [f"{short_id(s.id)} {s.text}" for s in passage.sentences if keep is None or s.id in keep]


def windows(episode: Episode, budget: int = WINDOW_TOKENS) -> list[list[Passage]]:
    """Consecutive runs of whole passages whose text fits `budget` tokens (a long passage alone)."""
    out: list[list[Passage]] = []
    current: list[Passage] = []
    used = 0
    for passage in episode.passages:
        size = estimate_tokens("\n".join(passage_lines(passage)))
        if current and used + size > budget:
            out.append(current)
            current, used = [], 0
        current.append(passage)
        used += size
    if current:
        out.append(current)
    return out


@dataclass
class ShownIds:
    """Which sentence ids a prompt showed, per episode: answers may cite only these."""

    by_episode: dict[str, set[str]] = field(default_factory=dict)

    def add(self, episode: str, sentence_id: str) -> None:
        """Record that `sentence_id` of `episode` was shown."""
        self.by_episode.setdefault(episode, set()).add(sentence_id)

    def unknown(self, episode: str, short_ids: Iterable[str]) -> list[str]:
        """Short ids of `episode` that were not shown."""
        shown = self.by_episode.get(episode, set())
        return [s for s in short_ids if f"{episode}/{s}" not in shown]


def full_ids(episode: str, short_ids: Iterable[str]) -> list[str]:
    """Short ids back to real sentence ids."""
    return [f"{episode}/{s.strip()}" for s in short_ids]


def runs(sources: SourceIndex, episode: str, sentence_ids: Sequence[str]) -> list[Cite]:
    """Group sentence ids into citations of consecutive sentences of one passage, in source order,
    a new one where another speaker takes over (a quote is one speaker's, CIT014)."""
    refs = sorted(
        {sid: ref for sid in sentence_ids if (ref := sources.get(sid)) is not None}.values(),
        key=lambda r: (_passage_number(r.passage.id), r.index),
    )
    cites: list[Cite] = []
    last_passage, last_index = "", -2
    for ref in refs:
        joins = ref.passage.id == last_passage and ref.index == last_index + 1
        if cites and joins and not sources.opens_turn(ref.sentence.id):
            cites[-1].sentence_ids.append(ref.sentence.id)
        else:
            cites.append(Cite(episode=episode, sentence_ids=[ref.sentence.id]))
        last_passage, last_index = ref.passage.id, ref.index
    return cites


def _passage_number(passage_id: str) -> int:
    tail = passage_id.rsplit("/p", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def excerpt(
    sources: SourceIndex, cites: Iterable[Cite], shown: ShownIds, neighbours: int = NEIGHBOURS
) -> str:
    """The cited sentences with `neighbours` around them, grouped by episode and passage, as prompt text."""
    wanted: dict[str, dict[str, set[int]]] = {}
    for cite in cites:
        for sid in cite.sentence_ids:
            ref = sources.get(sid)
            if ref is None:
                continue
            rows = wanted.setdefault(cite.episode, {}).setdefault(ref.passage.id, set())
            count = len(ref.passage.sentences)
            rows.update(range(max(0, ref.index - neighbours), min(count, ref.index + neighbours + 1)))
    parts: list[str] = []
    for episode_id in sorted(wanted):
        episode = sources.episodes[episode_id]
        parts.append(f"## episode {episode_id}: {episode.title}")
        passages = {p.id: p for p in episode.passages}
        for passage_id in sorted(wanted[episode_id], key=_passage_number):
            passage = passages[passage_id]
            chosen = sorted(wanted[episode_id][passage_id])
            speaker = f" ({passage.speaker})" if passage.speaker else ""
            parts.append(f"[{short_id(passage_id + '/x').split('/')[0]}{speaker}]")
            for index in chosen:
                sentence = passage.sentences[index]
                shown.add(episode_id, sentence.id)
                parts.append(f"{short_id(sentence.id)} {sentence.text}")
    return "\n".join(parts)
