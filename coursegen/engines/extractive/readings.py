"""Per-episode readings the lesson stages reuse, made once and kept in the parent process.

Writing and assessing a lesson reads whole episodes: which sentences are assertions
(assertions.episode_index) and which words are the episode's technical vocabulary
(blanks.episode_vocabulary). Both are cached per episode, but the stages run their items in
forked workers (workers.py), and what a worker caches dies with it: each worker of each stage
would read every episode again. So the readings are made where they are made anyway (the
concepts stage reads the assertions of each episode it extracts) or, for episodes not read yet
(their concepts came from the stage cache), by the workers of their own, and sent back to the
parent, whose later forks inherit them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from coursegen.engines.extractive.assertions import episode_index, has_index, remember_index
from coursegen.engines.extractive.blanks import episode_vocabulary, has_vocabulary, remember_vocabulary
from coursegen.engines.extractive.workers import map_in_workers
from coursegen.ir import Episode


@dataclass(frozen=True)
class EpisodeReadings:
    """What the lesson stages read off one episode, without the episode (small to send)."""

    assertions: dict[str, object]
    vocabulary: tuple[str, ...]


def read_episode(episode: Episode) -> EpisodeReadings:
    """The episode's readings, made in this process (or taken from its caches)."""
    return EpisodeReadings(episode_index(episode).findings(), episode_vocabulary(episode))


def remember(episode: Episode, readings: EpisodeReadings) -> None:
    """Keep readings another process made for this episode object."""
    remember_index(episode, readings.assertions)
    remember_vocabulary(episode, readings.vocabulary)


def is_read(episode: Episode) -> bool:
    """True when this process holds both readings of the episode."""
    return has_index(episode) and has_vocabulary(episode)


def read_all(episodes: Iterable[Episode]) -> None:
    """Make sure this process holds the readings of every episode, reading the missing ones
    over the cores."""
    unread: dict[int, Episode] = {}
    for episode in episodes:
        if not is_read(episode):
            unread.setdefault(id(episode), episode)
    cold = list(unread.values())
    for episode, readings in zip(cold, map_in_workers(read_episode, cold), strict=True):
        remember(episode, readings)
