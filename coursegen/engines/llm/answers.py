"""What the model answers at each stage (wire schemas), before the engine turns it into stage types.

Answers cite short sentence ids ("p3/s2") that were shown in the prompt; every field is
required so OpenAI's strict structured outputs accept the schema. Each answer lists its items
with a label, so a validator can name the bad ones and the engine can drop only those.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Answer(BaseModel):
    """Base: unknown fields are an error."""

    model_config = ConfigDict(extra="forbid")


# --- concepts --------------------------------------------------------------------------


class FoundConcept(Answer):
    """One concept the model found in a window of one episode."""

    name: str = Field(min_length=1, max_length=80)
    aliases: list[str]
    kind: Literal["idea", "method", "system", "person", "organization", "metric", "problem"]
    definition: str = Field(min_length=1)
    evidence: list[str] = Field(min_length=1, max_length=6)
    problem: list[str]
    importance: int = Field(ge=1, le=5)


class ConceptsAnswer(Answer):
    """The concepts of one window."""

    concepts: list[FoundConcept]


# --- merge -----------------------------------------------------------------------------


class SameIdea(Answer):
    """Concept keys that name one idea (aliases, ASR misspellings); `keep` is the canonical one."""

    keep: str
    same_as: list[str]


class Prerequisite(Answer):
    """`concept` cannot be understood without `needs`."""

    concept: str
    needs: str


class MergeAnswer(Answer):
    """Merges and prerequisites over all concepts of the course."""

    same: list[SameIdea]
    prerequisites: list[Prerequisite]


# --- lessons ---------------------------------------------------------------------------


class CiteAnswer(Answer):
    """Short sentence ids of one episode."""

    episode: str
    ids: list[str] = Field(min_length=1)


class BlockAnswer(Answer):
    """One explanation block."""

    text: str = Field(min_length=1)
    cites: list[CiteAnswer] = Field(min_length=1)


class LessonAnswer(Answer):
    """A lesson: problem, prediction and reveal, core idea first, then nuance."""

    title: str = Field(min_length=1, max_length=120)
    problem: str = Field(min_length=1)
    prediction: str = Field(min_length=1)
    reveal: str = Field(min_length=1)
    blocks: list[BlockAnswer] = Field(min_length=1, max_length=5)


# --- assessment ------------------------------------------------------------------------


class QuestionAnswer(Answer):
    """A check-yourself question; `answer` is text for every kind (see the prompt)."""

    concept: str
    kind: Literal["mcq", "cloze", "true_false", "short"]
    stem: str = Field(min_length=1)
    options: list[str]
    answer: str
    explanation: str
    bloom: Literal["remember", "understand", "apply", "analyze", "evaluate", "create"]
    difficulty: int = Field(ge=1, le=5)
    fact: str
    cites: list[CiteAnswer] = Field(min_length=1)


class CardAnswer(Answer):
    """An atomic flashcard."""

    concept: str
    kind: Literal["basic", "cloze"]
    front: str = Field(min_length=1)
    back: str
    fact: str
    cites: list[CiteAnswer] = Field(min_length=1)


class AssessmentAnswer(Answer):
    """A lesson's questions and cards."""

    questions: list[QuestionAnswer]
    cards: list[CardAnswer]
