"""Instructor overrides from coursegen.toml that every build applies, so they survive regeneration.

```toml
[course]
title = "How frontier labs think about AI"
id = "frontier-ai"

[overrides]
exclude_episodes = ["001-af2919b8cbad29d8"]
exclude_concepts = ["kind-of-thing"]
rename_concepts = { test-time-compute = "Test-time compute (thinking longer)" }
add_prerequisites = [["world-models", "reinforcement-learning"]]   # [concept, needs this first]
remove_prerequisites = [["scaling-laws", "compute"]]

[overrides.lock_cards."<card identity>"]
front = "What does test-time compute trade for quality?"
back = "More inference compute per answer"

[overrides.lock_questions."<question id>"]
stem = "Why does Karpathy call RL terrible?"

[episodes."003-9859fa03d6cc2246"]      # a bare transcript names no title or video
title = "Dwarkesh Patel — AI 2027"
url = "https://www.youtube.com/watch?v=htOvH12T7mU"
```

Each apply function returns the one-line descriptions of what it changed, which the build
record and the change report show. Ids stay fixed: a rename changes the concept's name and
keeps the old name as an alias, so card identities and lesson ids do not churn.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TypeVar

from pydantic import Field, ValidationError

from coursegen.config_file import read_config_file
from coursegen.engines.types import GraphConcept
from coursegen.errors import ConfigError
from coursegen.graphs import reaches
from coursegen.ir import Card, Concept, Episode, IRModel, Question

# The build applies concept overrides to the merged graph; tests and tools may apply them to IR concepts.
ConceptT = TypeVar("ConceptT", Concept, GraphConcept)


class CardLock(IRModel):
    """Wording an instructor fixed for one card."""

    front: str | None = None
    back: str | None = None


class QuestionLock(IRModel):
    """Wording an instructor fixed for one question."""

    stem: str | None = None
    explanation: str | None = None
    options: list[str] | None = None


class Overrides(IRModel):
    """The `[overrides]` table of coursegen.toml."""

    exclude_episodes: list[str] = Field(default_factory=list)
    exclude_concepts: list[str] = Field(default_factory=list)
    rename_concepts: dict[str, str] = Field(default_factory=dict)
    add_prerequisites: list[tuple[str, str]] = Field(default_factory=list)
    remove_prerequisites: list[tuple[str, str]] = Field(default_factory=list)
    lock_cards: dict[str, CardLock] = Field(default_factory=dict)
    lock_questions: dict[str, QuestionLock] = Field(default_factory=dict)
    # From the `[episodes."<id>"]` tables (not a key of [overrides]): titles and links.
    episodes: dict[str, EpisodeSettings] = Field(default_factory=dict)


class EpisodeSettings(IRModel):
    """One `[episodes."<id>"]` table: what a transcript file does not say about its episode."""

    title: str | None = None
    # The video or audio page: citations link to it at the quoted second.
    url: str | None = None


class CourseSettings(IRModel):
    """The `[course]` table of coursegen.toml."""

    title: str | None = None
    id: str | None = None


def load_overrides(path: Path, required: bool = False) -> tuple[CourseSettings, Overrides]:
    """The `[course]`, `[overrides]` and `[episodes.*]` tables, validated (unknown keys are an
    error); the episode tables land in `Overrides.episodes`."""
    data = read_config_file(path, required=required)
    table = data.get("overrides", {})
    if isinstance(table, dict) and "episodes" in table:
        raise ConfigError(
            f"{path}: episodes is a table of its own, not a key of [overrides]",
            'write [episodes."<episode id>"] with title and url',
        )
    try:
        course = CourseSettings.model_validate(data.get("course", {}))
        overrides = Overrides.model_validate({**table, "episodes": data.get("episodes", {})})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ConfigError(
            f"{path}: invalid override {where}: {first['msg']}",
            "see docs/regenerate.md for the [course] and [overrides] tables",
        ) from exc
    return course, overrides


def exclude_episodes(episodes: list[Episode], overrides: Overrides) -> tuple[list[Episode], list[str]]:
    """Drop the excluded episodes before any stage sees them."""
    excluded = set(overrides.exclude_episodes)
    known = {episode.id for episode in episodes}
    log = [
        f"excluded episode {episode_id}"
        if episode_id in known
        else f"exclude_episodes: no episode {episode_id}"
        for episode_id in sorted(excluded)
    ]
    return [e for e in episodes if e.id not in excluded], log


def describe_episodes(
    episodes: list[Episode], overrides: Overrides, origin: str
) -> tuple[list[Episode], list[str]]:
    """Give episodes the title and link their `[episodes."<id>"]` tables set."""
    known = {episode.id for episode in episodes}
    log = [f"episodes: no episode {episode_id}" for episode_id in sorted(set(overrides.episodes) - known)]
    described: list[Episode] = []
    for episode in episodes:
        settings = overrides.episodes.get(episode.id)
        if settings is None:
            described.append(episode)
            continue
        update: dict[str, str] = {}
        if settings.title is not None and settings.title.strip():
            update["title"] = settings.title.strip()
            log.append(f"titled episode {episode.id}: {update['title']}")
        if settings.url is not None:
            if not re.match(r"https?://\S+$", settings.url):
                raise ConfigError(
                    f'{origin}: [episodes."{episode.id}"] url {settings.url!r} is not a web address',
                    'write url = "https://…", the page of the video or audio',
                )
            update["url"] = settings.url
            log.append(f"linked episode {episode.id} to {settings.url}")
        described.append(episode.model_copy(update=update))
    return described, log


def apply_concept_overrides(
    concepts: list[ConceptT], overrides: Overrides
) -> tuple[list[ConceptT], list[str]]:
    """Exclude, rename and re-wire concepts after the merge stage."""
    log: list[str] = []
    known = {concept.id for concept in concepts}
    excluded = set(overrides.exclude_concepts)
    for concept_id in sorted(excluded):
        log.append(
            f"excluded concept {concept_id}"
            if concept_id in known
            else f"exclude_concepts: no concept {concept_id}"
        )
    kept = [c.model_copy(deep=True) for c in concepts if c.id not in excluded]
    by_id: dict[str, ConceptT] = {concept.id: concept for concept in kept}
    for concept_id, name in sorted(overrides.rename_concepts.items()):
        if concept_id not in by_id:
            log.append(f"rename_concepts: no concept {concept_id}")
            continue
        target: ConceptT = by_id[concept_id]
        if target.name != name:
            if target.name not in target.aliases:
                target.aliases = sorted({*target.aliases, target.name})
            log.append(f"renamed concept {concept_id}: “{target.name}” → “{name}”")
            target.name = name
    for concept_id, prerequisite in overrides.remove_prerequisites:
        if concept_id in by_id and prerequisite in by_id[concept_id].prerequisites:
            trimmed: ConceptT = by_id[concept_id]
            trimmed.prerequisites = [p for p in trimmed.prerequisites if p != prerequisite]
            log.append(f"removed prerequisite {prerequisite} of {concept_id}")
    for concept_id, prerequisite in overrides.add_prerequisites:
        if concept_id not in by_id or prerequisite not in by_id:
            log.append(f"add_prerequisites: unknown concept in [{concept_id}, {prerequisite}]")
            continue
        if _depends_on(by_id, prerequisite, concept_id):
            log.append(f"add_prerequisites: [{concept_id}, {prerequisite}] would make a cycle; skipped")
            continue
        extended: ConceptT = by_id[concept_id]
        if prerequisite not in extended.prerequisites:
            extended.prerequisites = sorted({*extended.prerequisites, prerequisite})
            log.append(f"added prerequisite {prerequisite} to {concept_id}")
    for concept in kept:
        # Excluded concepts cannot stay prerequisites of others (nor related concepts in the graph).
        concept.prerequisites = [p for p in concept.prerequisites if p in by_id]
        if isinstance(concept, GraphConcept):
            concept.related = [r for r in concept.related if r in by_id]
    return kept, log


def _depends_on(by_id: dict[str, ConceptT], start: str, target: str) -> bool:
    """True when `start` needs `target` first, directly or through other prerequisites."""
    return reaches(start, target, lambda cid: by_id[cid].prerequisites if cid in by_id else [])


def apply_item_locks(
    cards: list[Card], questions: list[Question], overrides: Overrides
) -> tuple[list[Card], list[Question], list[str]]:
    """Replace generated wording with the instructor's locked wording."""
    log: list[str] = []
    out_cards: list[Card] = []
    for card in cards:
        lock = overrides.lock_cards.get(card.identity) or overrides.lock_cards.get(card.id)
        if lock is not None:
            card = card.model_copy(
                update={k: v for k, v in (("front", lock.front), ("back", lock.back)) if v is not None}
            )
            log.append(f"locked wording of card {card.id}")
        out_cards.append(card)
    out_questions: list[Question] = []
    for question in questions:
        qlock = overrides.lock_questions.get(question.id)
        if qlock is not None:
            updates = {
                k: v
                for k, v in (
                    ("stem", qlock.stem),
                    ("explanation", qlock.explanation),
                    ("options", qlock.options),
                )
                if v is not None
            }
            question = question.model_copy(update=updates)
            log.append(f"locked wording of question {question.id}")
        out_questions.append(question)
    found = {c.identity for c in cards} | {c.id for c in cards}
    log += [f"lock_cards: no card {key}" for key in sorted(set(overrides.lock_cards) - found)]
    missing_q = sorted(set(overrides.lock_questions) - {q.id for q in questions})
    log += [f"lock_questions: no question {key}" for key in missing_q]
    return out_cards, out_questions, log
