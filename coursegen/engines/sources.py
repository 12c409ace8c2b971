"""Lookup of sentences by id across episodes, for engines and citation materializing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from coursegen.ir import Episode, Passage, Sentence


@dataclass(frozen=True)
class SentenceRef:
    """A sentence with the passage and episode it belongs to and its index in the passage."""

    sentence: Sentence
    passage: Passage
    episode: Episode
    index: int


class SourceIndex:
    """All sentences of some episodes, by id, plus passage order for neighbours."""

    def __init__(self, episodes: Iterable[Episode]) -> None:
        self.episodes: dict[str, Episode] = {}
        self._by_id: dict[str, SentenceRef] = {}
        for episode in episodes:
            self.episodes[episode.id] = episode
            for passage in episode.passages:
                for index, sentence in enumerate(passage.sentences):
                    self._by_id[sentence.id] = SentenceRef(sentence, passage, episode, index)

    def get(self, sentence_id: str) -> SentenceRef | None:
        """The sentence with this id, or None."""
        return self._by_id.get(sentence_id)

    def text(self, sentence_ids: Iterable[str]) -> str:
        """The joined text of these sentences (unknown ids are skipped)."""
        parts = [ref.sentence.text for sid in sentence_ids if (ref := self._by_id.get(sid)) is not None]
        return " ".join(parts)

    def opens_turn(self, sentence_id: str) -> bool:
        """True when another speaker takes over at this sentence inside its passage."""
        ref = self._by_id.get(sentence_id)
        return ref is not None and ref.passage.opens_turn(ref.index)

    def crosses_turn(self, sentence_ids: Iterable[str]) -> bool:
        """True when these sentences run across a speaker turn (a later one opens a turn)."""
        return any(self.opens_turn(sid) for sid in list(sentence_ids)[1:])

    def speaker(self, sentence_id: str) -> str | None:
        """Who said this sentence, when the source says."""
        ref = self._by_id.get(sentence_id)
        return ref.passage.speaker if ref else None
