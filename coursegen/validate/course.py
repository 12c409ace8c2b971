"""validate_course: every rule over a whole course, with counts and the citation validity rate."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from coursegen.errors import InputError
from coursegen.ir import Citation, Course
from coursegen.validate.cards import card_interference, check_card
from coursegen.validate.citations import check_citation
from coursegen.validate.context import CheckContext
from coursegen.validate.findings import Finding, finding
from coursegen.validate.mcq import course_mcq_findings
from coursegen.validate.questions import check_question, question_repeats
from coursegen.validate.ramp import check_lesson, course_ramp_findings
from coursegen.validate.report import ValidationReport


def all_citations(course: Course) -> list[Citation]:
    """Every citation occurrence in the course (concepts, lesson blocks, questions, cards)."""
    found: list[Citation] = []
    for concept in course.concepts:
        found.extend(concept.citations)
    for lesson in course.lessons:
        for block in lesson.blocks:
            found.extend(block.citations)
    for question in course.questions:
        found.extend(question.citations)
    for card in course.cards:
        found.extend(card.citations)
    return found


def _source_findings(course: Course, ctx: CheckContext) -> tuple[list[Finding], dict[str, str]]:
    found: list[Finding] = []
    status: dict[str, str] = {}
    if ctx.sources is None:
        return found, status
    for episode in course.episodes:
        source = ctx.sources.get(episode)
        if source is None:
            tried = ", ".join(str(p) for p in ctx.sources.candidates(episode))
            found.append(
                finding("CIT007", episode.id, f"source file not found (tried {tried})", episode=episode.id)
            )
            status[episode.id] = "missing"
        elif source.sha256 != episode.sha256:
            reason = f"{source.path.name} changed since the build"
            found.append(finding("CIT008", episode.id, reason, episode=episode.id))
            status[episode.id] = "changed"
        else:
            status[episode.id] = "ok"
    return found, status


def _missing_sources_error(course: Course, ctx: CheckContext, sources_dir: Path | None) -> InputError:
    """One line naming the first source file that cannot be found, and how to point at it."""
    assert ctx.sources is not None
    missing = [e for e in course.episodes if ctx.sources.get(e) is None]
    first = missing[0]
    tried = len(ctx.sources.candidates(first))
    more = f"; {len(missing) - 1} more episode source(s) missing too" if len(missing) > 1 else ""
    name = first.source.replace("\\", "/").rsplit("/", 1)[-1]
    if sources_dir is not None:
        tip = f"--sources {sources_dir} holds no file named {name}: pass the folder that holds it"
    else:
        tip = "pass --sources DIR, the folder holding the transcripts (files are looked up by name)"
    return InputError(
        first.source,
        f"source transcript of episode {first.id} not found (tried {tried} place(s)){more}; "
        "its citations cannot be checked",
        tip,
    )


def validate_course(
    course: Course,
    sources_dir: Path | None = None,
    base_dir: Path | None = None,
    *,
    require_sources: bool = False,
) -> ValidationReport:
    """Check every rule; sources are looked up by name in `sources_dir`, else by their path.

    With `require_sources`, a source file that cannot be found raises InputError instead of
    counting every citation into it as invalid.
    """
    ctx = CheckContext.for_course(course, sources_dir=sources_dir, base_dir=base_dir)
    findings, sources = _source_findings(course, ctx)
    if require_sources and "missing" in sources.values():
        raise _missing_sources_error(course, ctx, sources_dir)
    for concept in course.concepts:
        for citation in concept.citations:
            for code, reason in check_citation(citation, ctx).problems:
                if code != "CIT009":
                    findings.append(finding(code, concept.id, reason, episode=citation.episode))
    for lesson in course.lessons:
        findings.extend(check_lesson(lesson, ctx, course.questions))
    for question in course.questions:
        findings.extend(check_question(question, ctx))
    lesson_order = {lesson.id: n for n, lesson in enumerate(course.lessons)}
    findings.extend(question_repeats(sorted(course.questions, key=lambda q: lesson_order.get(q.lesson, -1))))
    for card in course.cards:
        findings.extend(check_card(card, ctx))
    findings.extend(card_interference(course.cards))
    findings.extend(course_mcq_findings(course.questions, course.id))
    findings.extend(course_ramp_findings(course, ctx))
    citations = all_citations(course)
    valid = sum(1 for citation in citations if check_citation(citation, ctx).valid)
    drops = Counter(item.reason for item in course.build.dropped)
    return ValidationReport(
        course_id=course.id,
        findings=sorted(findings, key=lambda f: (f.code, f.lesson or "", f.item, f.reason)),
        citations_total=len(citations),
        citations_valid=valid,
        sources=sources,
        dropped_reasons=sorted(drops.items(), key=lambda pair: (-pair[1], pair[0]))[:10],
    )
