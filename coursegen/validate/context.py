"""What the checks need, built once: the episode index, the lesson order, source files, caches."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from coursegen.citations import EpisodeIndex
from coursegen.fsutil import sha256_bytes
from coursegen.ir import Concept, Course, Episode, Lesson, Sentence
from coursegen.source_paths import read_source_paths
from coursegen.textnorm import is_subsequence, source_words


def decode_lines(data: bytes, path: str = "source") -> list[str]:
    """The file's lines exactly as the ingester numbers them (one decoder for both sides).

    A source that can no longer be decoded (emptied, replaced by binary) has no lines, so
    every citation into it fails instead of the validator crashing.
    """
    from coursegen.errors import InputError
    from coursegen.ingest import source_lines

    try:
        return source_lines(data, path)
    except InputError:
        return []


@dataclass
class SourceFile:
    """One source file as it is now: its path, sha256 and lazily tokenized lines."""

    path: Path
    sha256: str
    lines: list[str]
    _tokens: dict[int, tuple[str, ...]] = field(default_factory=dict)

    def words_between(self, line_start: int, line_end: int) -> tuple[str, ...] | None:
        """Normalized words of lines line_start..line_end (1-based, inclusive), None if out of range."""
        if line_start < 1 or line_end < line_start or line_end > len(self.lines):
            return None
        collected: list[str] = []
        for number in range(line_start, line_end + 1):
            tokens = self._tokens.get(number)
            if tokens is None:
                tokens = source_words(self.lines[number - 1])
                self._tokens[number] = tokens
            collected.extend(tokens)
        return tuple(collected)


class SourceCache:
    """Finds and reads each episode's source file once (by its path, or by name in --sources)."""

    def __init__(
        self,
        sources_dir: Path | None = None,
        base_dir: Path | None = None,
        recorded: Mapping[str, list[Path]] | None = None,
    ) -> None:
        self.sources_dir = sources_dir
        self.base_dir = base_dir
        # Places the build recorded (DIR/.cache/source_paths.json), tried after the given path.
        self.recorded = dict(recorded or {})
        self._files: dict[str, SourceFile | None] = {}
        self._verbatim: dict[str, bool] = {}

    def candidates(self, episode: Episode) -> list[Path]:
        """Where the episode's source may be, in the order tried."""
        raw = episode.source
        name = raw.replace("\\", "/").rsplit("/", 1)[-1]
        found: list[Path] = []
        if self.sources_dir is not None:
            found.append(self.sources_dir / name)
        path = Path(raw)
        if path.is_absolute():
            found.append(path)
        else:
            if self.base_dir is not None:
                found.append(self.base_dir / path)
            found.append(Path(os.getcwd()) / path)
        found += self.recorded.get(episode.id, [])
        # The same file may be reached by several routes: try (and name) each place once.
        return list(dict.fromkeys(found))

    def get(self, episode: Episode) -> SourceFile | None:
        """The episode's current source file, or None when it cannot be found or read."""
        if episode.id in self._files:
            return self._files[episode.id]
        loaded: SourceFile | None = None
        for candidate in self.candidates(episode):
            try:
                data = candidate.read_bytes()
            except OSError:
                continue
            loaded = SourceFile(candidate, sha256_bytes(data), decode_lines(data, str(candidate)))
            break
        self._files[episode.id] = loaded
        return loaded

    def sentence_is_verbatim(self, episode: Episode, sentence: Sentence) -> bool | None:
        """Whether the sentence's words are at its recorded lines; None when the file is missing."""
        source = self.get(episode)
        if source is None:
            return None
        cached = self._verbatim.get(sentence.id)
        if cached is None:
            haystack = source.words_between(sentence.line_start, sentence.line_end)
            cached = haystack is not None and is_subsequence(source_words(sentence.text), haystack)
            self._verbatim[sentence.id] = cached
        return cached


@dataclass
class CheckContext:
    """Everything the per-item checks read; cheap to query thousands of times."""

    index: EpisodeIndex
    course_id: str = ""
    concepts: dict[str, Concept] = field(default_factory=dict)
    lessons: dict[str, Lesson] = field(default_factory=dict)
    # concept id → position of the first lesson that teaches it
    taught_at: dict[str, int] = field(default_factory=dict)
    sources: SourceCache | None = None
    # cache of per-citation results and evidence word sets, keyed by citation content
    citation_results: dict[tuple[object, ...], object] = field(default_factory=dict)
    evidence: dict[tuple[str, tuple[str, ...]], frozenset[str]] = field(default_factory=dict)
    # other derived tables checks build lazily (e.g. the concept term index)
    extras: dict[str, object] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        episodes: Iterable[Episode],
        concepts: Iterable[Concept] = (),
        lessons: Iterable[Lesson] = (),
        course_id: str = "",
        sources_dir: Path | None = None,
        base_dir: Path | None = None,
        verify_sources: bool = True,
        recorded_paths: Mapping[str, list[Path]] | None = None,
    ) -> CheckContext:
        """A context for the pipeline: pass what exists so far (concepts and lessons are optional)."""
        lesson_map = {lesson.id: lesson for lesson in lessons}
        taught_at: dict[str, int] = {}
        for lesson in sorted(lesson_map.values(), key=lambda item: item.position):
            for concept_id in lesson.concepts:
                taught_at.setdefault(concept_id, lesson.position)
        return cls(
            index=EpisodeIndex(episodes),
            course_id=course_id,
            concepts={concept.id: concept for concept in concepts},
            lessons=lesson_map,
            taught_at=taught_at,
            sources=SourceCache(sources_dir, base_dir, recorded_paths) if verify_sources else None,
        )

    @classmethod
    def for_course(
        cls, course: Course, sources_dir: Path | None = None, base_dir: Path | None = None
    ) -> CheckContext:
        """A context holding the whole course."""
        return cls.build(
            course.episodes,
            course.concepts,
            course.lessons,
            course.id,
            sources_dir,
            base_dir,
            recorded_paths=read_source_paths(base_dir) if base_dir is not None else None,
        )
