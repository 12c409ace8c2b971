"""Typed intermediate results passed between engine stages.

Engines answer with sentence ids (`Cite`), never with quote text: the pipeline materializes
quotes, times and links from the ids, so every citation is verbatim by construction.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from coursegen.ir import Bloom, CardKind, QuestionKind


class StageModel(BaseModel):
    """Base of every stage result: unknown fields are an error."""

    model_config = ConfigDict(extra="forbid")


class Cite(StageModel):
    """Consecutive sentence ids of one passage of one episode."""

    episode: str
    sentence_ids: list[str]


# --- concepts (per episode) ------------------------------------------------------------


class ConceptCandidate(StageModel):
    """One idea found in one episode, with its ranked evidence."""

    key: str  # slug of the canonical name; becomes the concept id
    name: str
    aliases: list[str] = Field(default_factory=list)
    kind: str = "idea"
    definition: str
    # Best evidence first; evidence[0] is where the definition comes from.
    evidence: list[Cite] = Field(default_factory=list)
    # Questions asked in the conversation near the concept (the "pain" a lesson opens with).
    problems: list[Cite] = Field(default_factory=list)
    importance: float = 0.0
    mentions: int = 0
    # How general the term is (0 = very specific, 1 = very general): drives prerequisites.
    generality: float = 0.5
    # Keys of other candidates of this episode that co-occur with this one, strongest first.
    related: list[str] = Field(default_factory=list)
    # Keys of other candidates its best evidence names: its explanation leans on them.
    uses: list[str] = Field(default_factory=list)
    # Keys of the episode's terms (`EpisodeConcepts.vocabulary`) named in the same sentence as
    # this one, with how many sentences name both: where one idea is explained with another.
    co_mentions: dict[str, int] = Field(default_factory=dict)
    # ... of those, the sentences naming the other term after this one ("in-context learning is
    # doing gradient descent": in-context learning explained with gradient descent).
    explained_with: dict[str, int] = Field(default_factory=dict)
    # Nouns the speakers name it a part of ("the weights of the model": model), with the number
    # of sentences saying so, and other names they give it in passing ("X, also called Y"):
    # merge's evidence that two names are one idea (see engines.extractive.roles).
    owners: dict[str, int] = Field(default_factory=dict)
    also_called: list[str] = Field(default_factory=list)
    # Keys of the episode's terms it is named a part of ("the weights of the neural network"),
    # with the number of sentences saying so: the whole is taught before its parts.
    part_of: dict[str, int] = Field(default_factory=dict)


class EpisodeConcepts(StageModel):
    """What the concepts stage found in one episode."""

    episode: str
    episode_sha256: str
    concepts: list[ConceptCandidate] = Field(default_factory=list)
    # Other technical terms of the episode that did not become concepts (distractor pool).
    terms: list[str] = Field(default_factory=list)
    # Every technical term of the episode (slug of its normal form, as candidate keys are) with
    # the number of sentences naming it: how widely the course's conversations use an idea.
    vocabulary: dict[str, int] = Field(default_factory=dict)
    # Items an engine dropped while making this result, as (item, reason) pairs.
    dropped: list[tuple[str, str]] = Field(default_factory=list)
    # Ideas this episode talks about without making them concepts (past its limit, or no quote
    # here explains them well enough alone), with their ranked evidence: when another episode
    # makes the same idea a concept, merge adds these quotes to it, so a concept is taught from
    # every conversation that explains it, not only from the ones where it ranked highest.
    supporting: list[ConceptCandidate] = Field(default_factory=list)


# --- merge (across episodes) -----------------------------------------------------------


class GraphConcept(StageModel):
    """One concept of the course after merging, with its prerequisites."""

    id: str
    name: str
    aliases: list[str] = Field(default_factory=list)
    kind: str = "idea"
    definition: str
    evidence: list[Cite] = Field(default_factory=list)
    problems: list[Cite] = Field(default_factory=list)
    importance: float = 0.0
    generality: float = 0.5
    episodes: list[str] = Field(default_factory=list)
    related: list[str] = Field(default_factory=list)
    prerequisites: list[str] = Field(default_factory=list)
    # Sentences of the course naming it (acronyms included), and, for each other concept named
    # with it in a sentence or more, how many: how closely two ideas are explained together.
    mentions: int = 0
    links: dict[str, int] = Field(default_factory=dict)
    # Concepts the speakers name it a part of ("the weights of the neural network"), with the
    # sentences saying so: the whole comes first, and its parts join its lesson.
    part_of: dict[str, int] = Field(default_factory=dict)


class BrokenEdge(StageModel):
    """A prerequisite link removed to break a cycle."""

    concept: str
    prerequisite: str
    reason: str


class ConceptGraph(StageModel):
    """All concepts of the course, merged, with an acyclic prerequisite relation."""

    concepts: list[GraphConcept] = Field(default_factory=list)
    broken_edges: list[BrokenEdge] = Field(default_factory=list)
    # Merges performed, as (kept id, merged name) pairs, for the build record.
    merged: list[tuple[str, str]] = Field(default_factory=list)
    terms: list[str] = Field(default_factory=list)
    dropped: list[tuple[str, str]] = Field(default_factory=list)


# --- ramp ------------------------------------------------------------------------------


class RampOptions(StageModel):
    """What the user asked of the ramp."""

    max_lessons: int | None = None
    # Audience level 1-5: the ramp's first lesson starts here.
    start_level: int = Field(default=1, ge=1, le=5)


class LessonPlan(StageModel):
    """One planned lesson: which concepts, where on the ramp, at what level."""

    id: str
    position: int
    level: int = Field(ge=1, le=5)
    concepts: list[str]
    prerequisite_lessons: list[str] = Field(default_factory=list)


class RampPlan(StageModel):
    """The ordered lessons of the course."""

    lessons: list[LessonPlan] = Field(default_factory=list)
    # Concepts left out of the ramp (e.g. by --max-lessons), with why.
    left_out: list[tuple[str, str]] = Field(default_factory=list)


# --- lessons and assessment ------------------------------------------------------------


class BlockDraft(StageModel):
    """One explanation block before its citations are materialized."""

    text: str
    cites: list[Cite] = Field(default_factory=list)


class LessonDraft(StageModel):
    """A lesson's text with citations as sentence ids."""

    id: str
    title: str
    problem: str
    prediction: str
    prediction_reveal: str = ""
    blocks: list[BlockDraft] = Field(default_factory=list)
    dropped: list[tuple[str, str]] = Field(default_factory=list)
    # A concept's definition as this lesson explains it (its core quote, with the passage it
    # cites), by concept id: the course's definition of the concept when given (the extractive
    # engine's per-episode one is an episode's first quote: "It used to be named Charleston
    # East …"), its citation first among the concept's.
    definitions: dict[str, BlockDraft] = Field(default_factory=dict)


class QuestionDraft(StageModel):
    """A question with citations as sentence ids."""

    id: str
    concept: str
    kind: QuestionKind
    stem: str
    options: list[str] = Field(default_factory=list)
    answer: bool | int | str
    explanation: str = ""
    cites: list[Cite] = Field(default_factory=list)
    bloom: Bloom = "remember"
    difficulty: int = Field(default=1, ge=1, le=5)
    # What fact the item tests (a stable key; see card identities).
    fact: str = ""


class CardDraft(StageModel):
    """A card with citations as sentence ids; `fact` feeds its stable identity."""

    id: str
    concept: str
    kind: CardKind
    front: str
    back: str = ""
    cites: list[Cite] = Field(default_factory=list)
    fact: str


class LessonAssessment(StageModel):
    """The questions and cards of one lesson (spares may replace dropped items)."""

    lesson: str
    questions: list[QuestionDraft] = Field(default_factory=list)
    cards: list[CardDraft] = Field(default_factory=list)
    dropped: list[tuple[str, str]] = Field(default_factory=list)


class PlacementChoice(StageModel):
    """A placement question (one of the lesson questions) and where to start if missed."""

    question_id: str
    start_lesson: str
