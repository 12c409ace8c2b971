"""Question rules for every kind, and the support check of each kind's answer."""

from __future__ import annotations

import re
from collections.abc import Sequence

from coursegen.ir import Question
from coursegen.validate.citations import citation_findings, support_finding
from coursegen.validate.context import CheckContext
from coursegen.validate.findings import Finding, finding, with_episode
from coursegen.validate.mcq import check_mcq
from coursegen.validate.ramp import item_concept_finding, text_forward_findings
from coursegen.validate.wording import cloze_deletions, not_self_contained

_BLANK = re.compile(r"_{3,}|\{\{c\d+::")


def _answer_type_problem(question: Question) -> str | None:
    answer = question.answer
    if question.kind == "mcq":
        ok = isinstance(answer, int) and not isinstance(answer, bool)
        return None if ok else f"mcq answer must be an option index, got {answer!r}"
    if question.kind == "true_false":
        return None if isinstance(answer, bool) else f"true/false answer must be a bool, got {answer!r}"
    if not isinstance(answer, str) or not answer.strip():
        return f"{question.kind} answer must be non-empty text, got {answer!r}"
    return None


def check_question(question: Question, ctx: CheckContext) -> list[Finding]:
    """Every per-question rule: citations, support, wording, kind rules, concept order."""
    qid, lesson = question.id, question.lesson
    found = citation_findings(qid, question.citations, ctx, lesson)
    problem = _answer_type_problem(question)
    if problem:
        found.append(finding("QST001", qid, problem, lesson))
    phrase = not_self_contained(question.stem)
    if phrase:
        found.append(finding("QST004", qid, f"not self-contained ({phrase!r})", lesson))
    answer = question.answer
    evidence_text: str | None = None
    exclude = question.stem
    key_terms_only = False
    if question.kind == "mcq":
        found.extend(check_mcq(question, ctx))
        if isinstance(answer, int) and not isinstance(answer, bool) and 0 <= answer < len(question.options):
            evidence_text = question.options[answer]
    elif question.kind == "true_false" and isinstance(answer, bool):
        exclude = ""
        if answer:
            evidence_text = question.stem
        elif question.explanation.strip():
            evidence_text = question.explanation
        else:
            reason = "false statement without its true version in explanation"
            found.append(finding("QST002", qid, reason, lesson))
    elif question.kind == "cloze" and isinstance(answer, str):
        if not _BLANK.search(question.stem):
            found.append(finding("QST003", qid, "stem has no blank", lesson))
        deletions = cloze_deletions(question.stem)
        evidence_text = " ".join(t for _, t in deletions) if isinstance(deletions, list) else answer
    elif question.kind == "short" and isinstance(answer, str):
        evidence_text = answer
        key_terms_only = True
    if evidence_text:
        supported = support_finding(
            qid,
            evidence_text,
            question.citations,
            ctx,
            exclude=exclude,
            key_terms_only=key_terms_only,
            lesson=lesson,
        )
        if supported:
            found.append(supported)
    found.extend(item_concept_finding(qid, question.concept, lesson, ctx))
    found.extend(text_forward_findings(qid, [question.stem], lesson, ctx, question.citations))
    return with_episode(found, question.citations)


def question_repeats(questions: Sequence[Question]) -> list[Finding]:
    """QST005: a question of the same kind on the same quote as one of an earlier lesson.

    The learner meets it twice, and the second time tests their memory of the first rather than
    the idea. `questions` are in course order (lesson by lesson, along the ramp).
    """
    first: dict[tuple[str, frozenset[str]], Question] = {}
    found: list[Finding] = []
    for question in questions:
        quote = frozenset(sid for c in question.citations for sid in c.sentence_ids)
        if not quote:
            continue
        earlier = first.setdefault((question.kind, quote), question)
        if earlier.lesson != question.lesson:
            reason = f"same kind and quote as question {earlier.id} of lesson {earlier.lesson}"
            found.append(finding("QST005", question.id, reason, question.lesson))
    return found
