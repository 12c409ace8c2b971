"""The lesson stage: only the passages that explain the lesson's concepts go to the model."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from coursegen.engines.base import LessonContext
from coursegen.engines.llm.answers import CiteAnswer, LessonAnswer
from coursegen.engines.llm.asking import Outcome, ask
from coursegen.engines.llm.passages import ShownIds, excerpt, full_ids, runs
from coursegen.engines.types import BlockDraft, Cite, GraphConcept, LessonDraft, LessonPlan
from coursegen.llm import LLMClient

EVIDENCE_PER_CONCEPT = 4
MAX_NAMES = 60  # concept names listed as known / later (the nearest ones on the ramp)


def lesson_cites(plan: LessonPlan, context: LessonContext) -> list[Cite]:
    """The evidence and opening questions of the lesson's concepts: what the model may cite."""
    by_id = {c.id: c for c in context.graph.concepts}
    cites: list[Cite] = []
    for cid in plan.concepts:
        concept = by_id[cid]
        cites += concept.evidence[:EVIDENCE_PER_CONCEPT] + concept.problems[:1]
    return cites


def _names(concepts: Iterable[GraphConcept]) -> str:
    names = sorted(c.name for c in concepts)[:MAX_NAMES]
    return ", ".join(names) if names else "(nothing yet)"


def lesson_variables(
    plan: LessonPlan, context: LessonContext, language: str
) -> tuple[dict[str, Any], ShownIds]:
    """The lesson prompt's variables and the sentence ids it shows."""
    by_id = {c.id: c for c in context.graph.concepts}
    shown = ShownIds()
    passages = excerpt(context.sources, lesson_cites(plan, context), shown)
    own = "\n".join(f"- {by_id[c].name}: {by_id[c].definition}" for c in plan.concepts)
    known = _names(nearby(context.taught_before, plan, context, passages))
    later = _names(nearby(context.taught_later, plan, context, passages))
    variables = {
        "language": language,
        "plan": f"Teach:\n{own}\nKnown: {known}\nLater: {later}",
        "passages": passages,
        "known": known,
        "later": later,
    }
    return variables, shown


def nearby(ids: Iterable[str], plan: LessonPlan, context: LessonContext, passages: str) -> list[GraphConcept]:
    """The concepts among `ids` that matter to this lesson: its concepts' prerequisites and those the
    shown passages name. Listing only these keeps the prompt short, and keeps it unchanged (so the
    model's cached answer is reused) when concepts elsewhere in the course come or go."""
    by_id = {c.id: c for c in context.graph.concepts}
    prerequisites = {p for cid in plan.concepts for p in by_id[cid].prerequisites}
    chosen = [by_id[c] for c in sorted(ids) if c in by_id]
    pattern = name_pattern(chosen)
    named = {m.group(0).lower() for m in pattern.finditer(passages)} if pattern else set()
    return [
        c for c in chosen if c.id in prerequisites or any(n.lower() in named for n in [c.name, *c.aliases])
    ]


def name_pattern(concepts: Iterable[GraphConcept]) -> re.Pattern[str] | None:
    """A pattern matching any name or alias (3+ characters) of `concepts` as whole words."""
    names = sorted({n for c in concepts for n in [c.name, *c.aliases] if len(n) >= 3}, key=len, reverse=True)
    if not names:
        return None
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(n) for n in names) + r")(?!\w)", re.IGNORECASE)


def cite_problems(cites: list[CiteAnswer], shown: ShownIds) -> list[str]:
    """Reasons the cites use an episode or sentence id the prompt did not show."""
    reasons = []
    for cite in cites:
        if cite.episode not in shown.by_episode:
            reasons.append(f"episode {cite.episode!r} is not among the passages shown")
            continue
        reasons += [
            f"sentence id {sid!r} is not in the passages of {cite.episode}"
            for sid in shown.unknown(cite.episode, cite.ids)
        ]
    return reasons


def _problems(shown: ShownIds, later: re.Pattern[str] | None) -> Any:
    def forward(text: str) -> list[str]:
        if later is None:
            return []
        return [
            f"names {m!r}, which this course teaches later: do not mention it"
            for m in sorted({m.group(0) for m in later.finditer(text)})
        ]

    def check(answer: LessonAnswer) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        head = forward(" ".join([answer.title, answer.problem, answer.prediction, answer.reveal]))
        if head:
            found["lesson"] = head
        for number, block in enumerate(answer.blocks, start=1):
            reasons = cite_problems(block.cites, shown) + forward(block.text)
            if reasons:
                found[f"block {number}"] = reasons
        return found

    return check


def _prune(answer: LessonAnswer, bad: set[str]) -> LessonAnswer | None:
    if "lesson" in bad:
        return None
    blocks = [b for n, b in enumerate(answer.blocks, start=1) if f"block {n}" not in bad]
    return answer.model_copy(update={"blocks": blocks}) if blocks else None


def to_cites(context: LessonContext, cites: list[CiteAnswer]) -> list[Cite]:
    """Answer cites to stage citations of consecutive sentences."""
    out: list[Cite] = []
    for cite in cites:
        out += runs(context.sources, cite.episode, full_ids(cite.episode, cite.ids))
    return out


async def write_lesson(
    client: LLMClient, plan: LessonPlan, context: LessonContext, language: str
) -> tuple[LessonDraft, bool]:
    """The lesson draft (and whether a transient failure makes it unfit to cache)."""
    variables, shown = lesson_variables(plan, context, language)
    later = name_pattern(c for c in context.graph.concepts if c.id in context.taught_later)
    outcome: Outcome[LessonAnswer] = await ask(
        client,
        "lesson",
        variables,
        LessonAnswer,
        stage="lesson",
        item=plan.id,
        problems=_problems(shown, later),
        prune=_prune,
    )
    answer = outcome.answer
    if answer is None:
        title = context.lesson_titles.get(plan.id, plan.id)
        draft = LessonDraft(id=plan.id, title=title, problem="", prediction="", dropped=outcome.dropped)
        return draft, outcome.transient
    blocks = [BlockDraft(text=b.text.strip(), cites=to_cites(context, b.cites)) for b in answer.blocks]
    draft = LessonDraft(
        id=plan.id,
        title=answer.title.strip(),
        problem=answer.problem.strip(),
        prediction=answer.prediction.strip(),
        prediction_reveal=answer.reveal.strip(),
        blocks=[b for b in blocks if b.cites],
        dropped=outcome.dropped,
    )
    return draft, outcome.transient
