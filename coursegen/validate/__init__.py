"""Validators: every rule of quality-rules.md as a check with a stable code.

Two entry points: `validate_course` for a whole course (the `coursegen validate` command),
and the per-item checks the generation pipeline calls to drop or re-ask bad items:
build a `CheckContext` once, then call `check_question`, `check_card`, `check_lesson`.
"""

from __future__ import annotations

from coursegen.validate.cards import card_interference, check_card
from coursegen.validate.citations import check_citation, citation_findings, support_finding
from coursegen.validate.context import CheckContext, SourceCache
from coursegen.validate.course import all_citations, validate_course
from coursegen.validate.findings import RULES, Finding, finding, has_errors
from coursegen.validate.mcq import check_mcq, course_mcq_findings
from coursegen.validate.questions import check_question, question_repeats
from coursegen.validate.ramp import check_lesson, course_ramp_findings, prerequisite_cycles
from coursegen.validate.report import ValidationReport, render

__all__ = [
    "RULES",
    "CheckContext",
    "Finding",
    "SourceCache",
    "ValidationReport",
    "all_citations",
    "card_interference",
    "check_card",
    "check_citation",
    "check_lesson",
    "check_mcq",
    "check_question",
    "question_repeats",
    "citation_findings",
    "course_mcq_findings",
    "course_ramp_findings",
    "finding",
    "has_errors",
    "prerequisite_cycles",
    "render",
    "support_finding",
    "validate_course",
]
