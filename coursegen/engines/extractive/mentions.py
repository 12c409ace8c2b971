"""Which concepts a piece of course-written text names (to keep the ramp free of forward references).

Names are matched the way the validators match them (coursegen.textnorm words and light
stemming), so text the engine accepts is text the ramp check accepts.
"""

from __future__ import annotations

import re
from collections import defaultdict

from coursegen.engines.types import ConceptGraph
from coursegen.textnorm import STOP_WORDS, stem, words


def _term_tokens(term: str) -> tuple[str, ...] | None:
    tokens = tuple(stem(w) for w in words(term))
    if not tokens or all(w in STOP_WORDS for w in words(term)):
        return None
    if len(tokens) == 1 and len(tokens[0]) < 3:
        return None
    return tokens


class MentionFinder:
    """Finds concept names and aliases in text (whole words, light stemming, any case)."""

    def __init__(self, graph: ConceptGraph) -> None:
        self._index: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
        self._patterns: dict[str, re.Pattern[str]] = {}
        for concept in graph.concepts:
            names = sorted({concept.name, *concept.aliases}, key=len, reverse=True)
            for name in names:
                tokens = _term_tokens(name)
                if tokens:
                    self._index[tokens[0]].append((tokens, concept.id))
            alternatives = "|".join(re.escape(n) for n in names)
            self._patterns[concept.id] = re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE)

    def concepts_in(self, text: str) -> set[str]:
        """Ids of the concepts the text names."""
        tokens = [stem(w) for w in words(text)]
        found: set[str] = set()
        for position, token in enumerate(tokens):
            for term, concept_id in self._index.get(token, ()):
                if tuple(tokens[position : position + len(term)]) == term:
                    found.add(concept_id)
        return found

    def only_uses(self, text: str, allowed: set[str] | frozenset[str]) -> bool:
        """True when every concept the text names is in `allowed`."""
        return self.concepts_in(text) <= allowed

    def pattern(self, concept_id: str) -> re.Pattern[str]:
        """A regex matching one concept's name and aliases as written (for blanking them out)."""
        return self._patterns[concept_id]


_LAST: list[tuple[ConceptGraph, MentionFinder]] = []


def finder_for(graph: ConceptGraph) -> MentionFinder:
    """The MentionFinder of a graph, built once per graph object (every lesson shares it)."""
    if _LAST and _LAST[0][0] is graph:
        return _LAST[0][1]
    finder = MentionFinder(graph)
    _LAST[:] = [(graph, finder)]
    return finder
