"""Findings and the registry of rule codes (code → severity and the rule it checks)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from typing import Literal

from coursegen.ir import Citation

Severity = Literal["error", "warning"]

# Every rule of quality-rules.md, with a stable code. Codes are never renumbered or reused:
# reports, tests and the pipeline's drop reasons refer to them.
RULES: dict[str, tuple[Severity, str]] = {
    # citations
    "CIT001": ("error", "every question, card and lesson block has at least one citation"),
    "CIT002": ("error", "a citation's episode and sentence ids exist"),
    "CIT003": ("error", "a citation's sentence ids are consecutive sentences of one passage"),
    "CIT004": ("error", "the stored quote equals what its sentence ids materialize to"),
    "CIT005": ("error", "the stored quote is not text of other sentences (quote from the wrong passage)"),
    "CIT006": ("error", "the quote's words are at the sentences' recorded lines of the current source file"),
    "CIT007": ("error", "the episode's source file can be found and read"),
    "CIT008": ("warning", "the source file is the one the course was built from (same sha256)"),
    "CIT009": ("error", "the quoted sentences (or their neighbours) support the answer"),
    "CIT010": ("warning", "a quote is at least 6 words long"),
    "CIT011": ("warning", "a quote is at most 80 words long"),
    "CIT012": ("error", "start/end come from the sentences' times; an estimated time is marked"),
    "CIT013": ("error", "the deep link points at the episode's URL and the quote's time"),
    "CIT014": ("error", "a quote is one speaker's: it does not run across a speaker turn"),
    # cards
    "CARD001": ("error", "a card's answer is short (at most 15 words)"),
    "CARD002": ("error", "a card's answer is one fact, not a list of items"),
    "CARD003": ("error", "no set or enumeration questions ('name the three ...')"),
    "CARD004": ("warning", "a card's question is at most 25 words"),
    "CARD005": ("error", "a card is self-contained (no 'in this passage', 'the speaker', ...)"),
    "CARD006": ("error", "cloze text has valid {{cN::...}} syntax"),
    "CARD007": ("error", "a cloze deletion is a content term, not a stop word"),
    "CARD008": ("error", "a cloze deletion is not given away by the rest of the text"),
    "CARD009": ("error", "no two cards have near-identical questions"),
    "CARD010": ("error", "no two cards have near-identical answers"),
    "CARD011": ("error", "no card's answer is another card's question"),
    "CARD012": ("error", "a card has a question and (basic cards) an answer"),
    "CARD013": ("error", "no two cards share an identity (same concept and same cited fact)"),
    "CARD014": ("error", "a cloze card quotes no {{…}}: Anki would read a speaker's braces as deletions"),
    # questions of every kind
    "QST001": ("error", "the answer has the type its kind needs (mcq index, true/false bool, text)"),
    "QST002": ("error", "a false true/false item keeps the true statement in its explanation"),
    "QST003": ("error", "a cloze question's stem has a blank (___ or {{c1::...}})"),
    "QST004": ("error", "a question stem is self-contained (no 'in this passage', 'the speaker', ...)"),
    "QST005": ("error", "no question repeats the kind and quote of a question in an earlier lesson"),
    # multiple choice
    "MCQ001": ("error", "exactly one option is marked correct (a valid option index)"),
    "MCQ002": ("error", "options are distinct, also after normalization"),
    "MCQ003": ("error", "3 to 5 options"),
    "MCQ004": ("error", "no 'all of the above', 'none of the above', 'both A and B'"),
    "MCQ005": ("error", "no length tell: the correct option is not much longer than every distractor"),
    "MCQ006": ("error", "across the course the correct option is the longest in about 1/n of items"),
    "MCQ007": ("error", "across the course the correct option's position is spread evenly"),
    "MCQ008": ("warning", "distractors are of the same kind as the answer (number for number)"),
    "MCQ009": ("error", "no distractor is supported by the cited quote (a second correct option)"),
    "MCQ010": ("error", "the stem does not contain the answer"),
    # ramp
    "RAMP001": ("error", "the concept prerequisite graph is acyclic"),
    "RAMP002": ("error", "an item's concept is taught in its lesson or an earlier one"),
    "RAMP003": ("error", "course-written text names only concepts taught in that lesson or earlier"),
    "RAMP004": ("error", "prerequisites (concepts, lessons) come before what needs them"),
    "RAMP005": ("error", "every referenced concept, lesson, question and item id exists"),
    "RAMP006": ("error", "difficulty rises gently: no jump of more than one level between lessons"),
    "RAMP007": ("error", "every lesson opens with a problem"),
    "RAMP008": ("error", "every lesson asks for a prediction before the reveal"),
    "RAMP009": ("error", "every lesson ends with at least two check-yourself questions"),
    "RAMP010": ("warning", "a lesson's questions span at least two difficulties"),
    "RAMP011": ("warning", "every concept has at least one card and one question"),
    "RAMP012": ("warning", "every episode contributes to the course"),
    "RAMP013": ("error", "ids are unique and lesson positions are 0..n-1 in order"),
    "RAMP014": ("error", "every lesson has at least one explanation block"),
    "RAMP015": ("error", "every concept the course keeps has a card or a question (else the build drops it)"),
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One broken rule: code, severity, the item it concerns and a one-line reason."""

    code: str
    severity: Severity
    item: str
    reason: str
    lesson: str | None = None
    episode: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        """The finding as a JSON-ready dict."""
        return asdict(self)


def finding(
    code: str, item: str, reason: str, lesson: str | None = None, episode: str | None = None
) -> Finding:
    """A finding for rule `code` (its severity comes from the registry)."""
    return Finding(code, RULES[code][0], item, reason, lesson, episode)


def with_episode(findings: list[Finding], citations: Sequence[Citation]) -> list[Finding]:
    """Attribute findings that name no episode to the item's first cited episode (for counts)."""
    if not citations:
        return findings
    episode = citations[0].episode
    return [f if f.episode is not None else replace(f, episode=episode) for f in findings]


def has_errors(findings: list[Finding]) -> bool:
    """True when any finding is an error."""
    return any(f.severity == "error" for f in findings)
