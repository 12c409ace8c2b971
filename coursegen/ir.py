"""The typed intermediate representation: sources (Episode) and the course built from them.

Field names here are a contract read by tools and checks outside the code: extend, never
rename. Every model forbids unknown fields so a typo in a producer fails loudly.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1

FORMATS = (
    "seed-analysis",
    "seed-summary-page",
    "whisper-cpp",
    "seed-bilingual-captions",
    "srt",
    "webvtt",
    "youtube-vtt",
    "youtube-srv1",
    "youtube-srv3",
    "youtube-json3",
    "youtube-transcript-api",
    "whisper-json",
    "podcast-json",
    "rev-json",
    "otter-text",
    "sbv",
    "ttml",
    "plain-text",
)


class IRModel(BaseModel):
    """Base of every IR model: unknown fields are an error."""

    model_config = ConfigDict(extra="forbid")


# --- sources ---------------------------------------------------------------------------


class Claim(IRModel):
    """A summary takeaway or insight shipped with the transcript; matched, never trusted."""

    text: str
    quote: str | None = None
    start: float | None = None


class Sentence(IRModel):
    """The unit of citation: exact text, its times and its lines in the source file."""

    id: str  # "<episode>/p<n>/s<k>"
    text: str
    start: float | None = None
    end: float | None = None
    line_start: int
    line_end: int


class Passage(IRModel):
    """A teaching-sized run of sentences by one speaker."""

    id: str  # "<episode>/p<n>"
    start: float | None = None
    end: float | None = None
    speaker: str | None = None
    line_start: int
    line_end: int
    sentences: list[Sentence]
    # Where another speaker takes over inside the passage: 1-based positions in `sentences` (for
    # an ingested episode, the k of ".../s<k>"). A short exchange shares a passage, and a quote
    # must not run across a turn (CIT014).
    turn_starts: list[int] = Field(default_factory=list)

    def opens_turn(self, index: int) -> bool:
        """True when another speaker takes over at `sentences[index]` (0-based)."""
        return index + 1 in self.turn_starts


class Episode(IRModel):
    """One source transcript, parsed and cleaned."""

    id: str
    title: str
    source: str
    sha256: str
    format: str
    language: str = "en"
    speakers: list[str] = Field(default_factory=list)
    url: str | None = None
    claims: list[Claim] = Field(default_factory=list)
    passages: list[Passage] = Field(default_factory=list)


class IngestResult(IRModel):
    """What `coursegen ingest --json` writes."""

    episodes: list[Episode]


# --- the course ------------------------------------------------------------------------


class Citation(IRModel):
    """Consecutive sentences of one passage; quote, times and link are materialized."""

    episode: str
    sentence_ids: list[str]
    quote: str
    start: float | None = None
    end: float | None = None
    time_estimated: bool = False
    url: str | None = None


ConceptKind = Literal["technique", "system", "phenomenon", "person", "organization", "idea"]


class Concept(IRModel):
    """One idea of the course, with the evidence that defines it."""

    id: str
    name: str
    aliases: list[str] = Field(default_factory=list)
    kind: str = "idea"
    definition: str
    citations: list[Citation] = Field(default_factory=list)
    prerequisites: list[str] = Field(default_factory=list)
    importance: float = 0.0


class Block(IRModel):
    """One explanation block of a lesson."""

    text: str
    citations: list[Citation] = Field(default_factory=list)


class Lesson(IRModel):
    """One step of the ramp: problem → prediction → idea → nuance → check."""

    id: str
    position: int
    title: str
    level: int = Field(ge=1, le=5)
    concepts: list[str]
    problem: str
    prediction: str
    # What the prediction box reveals once the learner has committed to a guess.
    prediction_reveal: str = ""
    blocks: list[Block] = Field(default_factory=list)
    reading_minutes: float = 0.0
    question_ids: list[str] = Field(default_factory=list)
    prerequisite_lessons: list[str] = Field(default_factory=list)


QuestionKind = Literal["mcq", "cloze", "true_false", "short"]
Bloom = Literal["remember", "understand", "apply", "analyze", "evaluate", "create"]


class Question(IRModel):
    """A check-yourself or placement question."""

    id: str
    lesson: str
    concept: str
    kind: QuestionKind
    stem: str
    options: list[str] = Field(default_factory=list)
    # mcq: index into options; true_false: bool; cloze and short: text.
    answer: bool | int | str
    explanation: str = ""
    citations: list[Citation] = Field(default_factory=list)
    bloom: Bloom = "remember"
    difficulty: int = Field(default=1, ge=1, le=5)


CardKind = Literal["basic", "cloze"]


class Card(IRModel):
    """An atomic spaced-repetition card; `identity` is what the Anki GUID derives from."""

    id: str
    identity: str
    kind: CardKind
    front: str
    back: str = ""
    concept: str
    lesson: str
    citations: list[Citation] = Field(default_factory=list)


class PlacementItem(IRModel):
    """A placement question and the lesson a learner who misses it should start at."""

    question_id: str
    start_lesson: str


class DroppedItem(IRModel):
    """An item a stage generated and then dropped, with the reason."""

    stage: str
    item: str
    reason: str


class BuildRecord(IRModel):
    """How the course was built: engine, model, prompts, usage, timings, validation, drops."""

    engine: str = "extractive"
    engine_note: str = ""
    model: str | None = None
    prompt_versions: dict[str, str] = Field(default_factory=dict)
    usage: dict[str, Any] = Field(default_factory=dict)
    timings: dict[str, float] = Field(default_factory=dict)
    validation: dict[str, Any] = Field(default_factory=dict)
    dropped: list[DroppedItem] = Field(default_factory=list)
    # Instructor overrides from coursegen.toml that this build applied, one line each.
    overrides: list[str] = Field(default_factory=list)
    # course_fingerprint of the course.json this build replaced in the same --out (None on a
    # first build or when the content did not change; then not written to course.json): the
    # Anki export reuses a package only when it was made from that course or this one.
    previous_course: str | None = None


class Course(IRModel):
    """The whole course: what `course.json` holds."""

    schema_version: int = SCHEMA_VERSION
    id: str
    title: str
    language: str = "en"
    episodes: list[Episode] = Field(default_factory=list)
    concepts: list[Concept] = Field(default_factory=list)
    lessons: list[Lesson] = Field(default_factory=list)
    questions: list[Question] = Field(default_factory=list)
    cards: list[Card] = Field(default_factory=list)
    placement: list[PlacementItem] = Field(default_factory=list)
    build: BuildRecord = Field(default_factory=BuildRecord)
