"""Which concepts a piece of course-written text mentions (to keep the ramp free of forward references)."""

from __future__ import annotations

import re

from coursegen.engines.types import ConceptGraph


class MentionFinder:
    """Finds concept names and aliases in text, as whole words, ignoring case."""

    def __init__(self, graph: ConceptGraph) -> None:
        self._patterns: list[tuple[str, re.Pattern[str]]] = []
        for concept in graph.concepts:
            names = sorted({concept.name, *concept.aliases}, key=len, reverse=True)
            pattern = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b", re.IGNORECASE)
            self._patterns.append((concept.id, pattern))

    def concepts_in(self, text: str) -> set[str]:
        """Ids of the concepts the text names."""
        return {cid for cid, pattern in self._patterns if pattern.search(text)}

    def only_uses(self, text: str, allowed: set[str] | frozenset[str]) -> bool:
        """True when every concept the text names is in `allowed`."""
        return self.concepts_in(text) <= allowed

    def pattern(self, concept_id: str) -> re.Pattern[str]:
        """The compiled name pattern of one concept."""
        return next(p for cid, p in self._patterns if cid == concept_id)


_LAST: list[tuple[ConceptGraph, MentionFinder]] = []


def finder_for(graph: ConceptGraph) -> MentionFinder:
    """The MentionFinder of a graph, built once per graph object (every lesson shares it)."""
    if _LAST and _LAST[0][0] is graph:
        return _LAST[0][1]
    finder = MentionFinder(graph)
    _LAST[:] = [(graph, finder)]
    return finder
