"""Ramp rules: acyclic prerequisites, no forward references, gentle difficulty, lesson shape, coverage."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from coursegen.ir import Citation, Course, Lesson, Question
from coursegen.textnorm import STOP_WORDS, singular, without_quotations, words
from coursegen.validate.citations import citation_findings
from coursegen.validate.context import CheckContext
from coursegen.validate.findings import Finding, finding

TermIndex = dict[str, list[tuple[tuple[str, ...], str]]]


def _term_tokens(term: str) -> tuple[str, ...] | None:
    tokens = tuple(singular(w) for w in words(term))
    if not tokens or all(w in STOP_WORDS for w in words(term)):
        return None
    if len(tokens) == 1 and len(tokens[0]) < 3:
        return None  # "AI", "RL": too short to spot reliably inside prose
    return tokens


def term_index(ctx: CheckContext) -> TermIndex:
    """First word (singular) → (term words, concept id) for every concept name and alias (cached)."""
    cached = ctx.extras.get("terms")
    if isinstance(cached, dict):
        return cached
    index: TermIndex = defaultdict(list)
    for concept in ctx.concepts.values():
        for term in {concept.name, *concept.aliases}:
            tokens = _term_tokens(term)
            if tokens:
                index[tokens[0]].append((tokens, concept.id))
    ctx.extras["terms"] = index
    return index


QUOTE_RUN = 4  # words in a row shared with a cited quote mark the speaker's words


def _quote_ngrams(citations: Iterable[Citation]) -> set[tuple[str, ...]]:
    grams: set[tuple[str, ...]] = set()
    for citation in citations:
        tokens = [singular(w) for w in words(citation.quote)]
        grams.update(tuple(tokens[i : i + QUOTE_RUN]) for i in range(len(tokens) - QUOTE_RUN + 1))
    return grams


def mentioned_concepts(
    text: str, ctx: CheckContext, quoted: set[tuple[str, ...]] | frozenset[tuple[str, ...]] = frozenset()
) -> set[str]:
    """Ids of concepts whose name or an alias appears in the words the course wrote in `text`.

    Whole words, plurals folded. Double-quoted spans, and runs of QUOTE_RUN or more words
    that also occur in a cited quote, are the speakers' words and are skipped.
    """
    index = term_index(ctx)
    tokens = [singular(w) for w in words(without_quotations(text))]
    speaker = [False] * len(tokens)
    if quoted:
        for i in range(len(tokens) - QUOTE_RUN + 1):
            if tuple(tokens[i : i + QUOTE_RUN]) in quoted:
                speaker[i : i + QUOTE_RUN] = [True] * QUOTE_RUN
    found: set[str] = set()
    for position, token in enumerate(tokens):
        for term, concept_id in index.get(token, ()):
            end = position + len(term)
            if tuple(tokens[position:end]) == term and not any(speaker[position:end]):
                found.add(concept_id)
    return found


def text_forward_findings(
    item: str,
    texts: Iterable[str],
    lesson_id: str,
    ctx: CheckContext,
    citations: Iterable[Citation] = (),
) -> list[Finding]:
    """RAMP003 for each concept named in course-written `texts` but taught after `lesson_id`.

    `citations` are the quotes the texts may repeat; their words are never judged.
    """
    lesson = ctx.lessons.get(lesson_id)
    if lesson is None or not ctx.concepts:
        return []
    quoted = _quote_ngrams(citations)
    later: set[str] = set()
    for text in texts:
        for concept_id in mentioned_concepts(text, ctx, quoted):
            taught = ctx.taught_at.get(concept_id)
            if taught is not None and taught > lesson.position:
                later.add(concept_id)
    return [
        finding(
            "RAMP003", item, f"names {cid!r}, taught later (lesson {ctx.taught_at[cid]})", lesson_id
        )
        for cid in sorted(later)
    ]


def item_concept_finding(item: str, concept: str, lesson_id: str, ctx: CheckContext) -> list[Finding]:
    """RAMP005/RAMP002: the item's concept and lesson exist, and the concept is taught by then."""
    found: list[Finding] = []
    if ctx.concepts and concept not in ctx.concepts:
        found.append(finding("RAMP005", item, f"unknown concept {concept!r}", lesson_id))
    if not ctx.lessons:
        return found
    lesson = ctx.lessons.get(lesson_id)
    if lesson is None:
        found.append(finding("RAMP005", item, f"unknown lesson {lesson_id!r}", lesson_id))
        return found
    taught = ctx.taught_at.get(concept)
    if taught is None:
        if not found:
            found.append(finding("RAMP002", item, f"concept {concept!r} is taught by no lesson", lesson_id))
    elif taught > lesson.position:
        found.append(
            finding("RAMP002", item, f"concept {concept!r} is taught later (lesson {taught})", lesson_id)
        )
    return found


def check_lesson(
    lesson: Lesson, ctx: CheckContext, questions: Sequence[Question] | None = None
) -> list[Finding]:
    """Per-lesson rules: shape, cited blocks, forward references, check-yourself questions."""
    found: list[Finding] = []
    lid = lesson.id
    if not lesson.problem.strip():
        found.append(finding("RAMP007", lid, "no opening problem", lid))
    if not lesson.prediction.strip():
        found.append(finding("RAMP008", lid, "no prediction step", lid))
    if not lesson.blocks:
        found.append(finding("RAMP014", lid, "no explanation block", lid))
    for number, block in enumerate(lesson.blocks):
        found.extend(citation_findings(f"{lid}#block{number}", block.citations, ctx, lid))
    texts = [lesson.title, lesson.problem, lesson.prediction, lesson.prediction_reveal]
    texts += [block.text for block in lesson.blocks]
    cited = [citation for block in lesson.blocks for citation in block.citations]
    found.extend(text_forward_findings(lid, texts, lid, ctx, cited))
    for concept_id in lesson.concepts:
        if ctx.concepts and concept_id not in ctx.concepts:
            found.append(finding("RAMP005", lid, f"unknown concept {concept_id!r}", lid))
    if questions is not None:
        by_id = {q.id: q for q in questions}
        unknown = [qid for qid in lesson.question_ids if qid not in by_id]
        for qid in unknown:
            found.append(finding("RAMP005", lid, f"unknown question {qid!r}", lid))
        own = [by_id[qid] for qid in lesson.question_ids if qid in by_id]
        if len(own) < 2:
            found.append(finding("RAMP009", lid, f"{len(own)} check-yourself question(s), at least 2", lid))
        elif len({q.difficulty for q in own}) < 2:
            found.append(finding("RAMP010", lid, "all its questions have the same difficulty", lid))
    return found


def _strongly_connected(graph: dict[str, list[str]]) -> list[list[str]]:
    """Tarjan's components (iterative), each sorted; only the ones that form a cycle."""
    index_of: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index_of:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, child = work.pop()
            if child == 0:
                index_of[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            successors = graph.get(node, [])
            if child < len(successors):
                work.append((node, child + 1))
                nxt = successors[child]
                if nxt not in index_of:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index_of[nxt])
                continue
            if low[node] == index_of[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in graph.get(node, []):
                    cycles.append(sorted(component))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return sorted(cycles)


def prerequisite_cycles(course: Course) -> list[list[str]]:
    """Each set of concepts whose prerequisites form a cycle."""
    graph = {c.id: sorted(p for p in c.prerequisites) for c in course.concepts}
    return _strongly_connected(graph)


def course_ramp_findings(course: Course, ctx: CheckContext) -> list[Finding]:
    """Course-wide ramp rules: cycles, prerequisite order, ids, positions, difficulty, coverage."""
    found: list[Finding] = []
    for cycle in prerequisite_cycles(course):
        found.append(finding("RAMP001", cycle[0], "prerequisite cycle: " + " -> ".join(cycle + cycle[:1])))
    for concept in course.concepts:
        mine = ctx.taught_at.get(concept.id)
        for prerequisite in concept.prerequisites:
            if prerequisite not in ctx.concepts:
                found.append(finding("RAMP005", concept.id, f"unknown prerequisite {prerequisite!r}"))
                continue
            theirs = ctx.taught_at.get(prerequisite)
            if mine is not None and theirs is not None and theirs > mine:
                found.append(
                    finding("RAMP004", concept.id, f"prerequisite {prerequisite!r} is taught after it")
                )
    lessons = sorted(course.lessons, key=lambda lesson: lesson.position)
    positions = [lesson.position for lesson in course.lessons]
    if positions != list(range(len(positions))):
        found.append(finding("RAMP013", course.id, f"lesson positions are {positions}, not 0..n-1 in order"))
    for kind, ids in (
        ("concept", [c.id for c in course.concepts]),
        ("lesson", [lesson.id for lesson in course.lessons]),
        ("question", [q.id for q in course.questions]),
        ("card", [c.id for c in course.cards]),
        ("episode", [e.id for e in course.episodes]),
    ):
        seen: set[str] = set()
        for item in ids:
            if item in seen:
                found.append(finding("RAMP013", item, f"duplicate {kind} id"))
            seen.add(item)
    by_id = {lesson.id: lesson for lesson in lessons}
    for lesson in lessons:
        for prerequisite in lesson.prerequisite_lessons:
            other = by_id.get(prerequisite)
            if other is None:
                reason = f"unknown prerequisite lesson {prerequisite!r}"
                found.append(finding("RAMP005", lesson.id, reason, lesson.id))
            elif other.position >= lesson.position:
                reason = f"prerequisite lesson {prerequisite!r} is not earlier"
                found.append(finding("RAMP004", lesson.id, reason, lesson.id))
    for before, after in zip(lessons, lessons[1:], strict=False):
        if abs(after.level - before.level) > 1:
            found.append(
                finding(
                    "RAMP006", after.id, f"level {before.level} -> {after.level} after {before.id}", after.id
                )
            )
    question_ids = {q.id for q in course.questions}
    for placed in course.placement:
        if placed.question_id not in question_ids:
            found.append(finding("RAMP005", placed.question_id, "placement names an unknown question"))
        if placed.start_lesson not in by_id:
            reason = f"placement names unknown lesson {placed.start_lesson!r}"
            found.append(finding("RAMP005", placed.question_id, reason))
    carded = {card.concept for card in course.cards}
    asked = {q.concept for q in course.questions}
    for concept in course.concepts:
        missing = [name for name, have in (("card", carded), ("question", asked)) if concept.id not in have]
        if len(missing) == 2:
            # Listed as taught, yet nothing tests it: the build drops such a concept with a reason.
            reason = "no card and no question: the course tests nothing about it"
            found.append(finding("RAMP015", concept.id, reason))
        elif missing:
            found.append(finding("RAMP011", concept.id, "no " + missing[0]))
    cited = _cited_episodes(course)
    for episode in course.episodes:
        if episode.id not in cited:
            found.append(finding("RAMP012", episode.id, "no item cites this episode", episode=episode.id))
    return found


def _cited_episodes(course: Course) -> set[str]:
    cited: set[str] = set()
    for concept in course.concepts:
        cited.update(c.episode for c in concept.citations)
    for lesson in course.lessons:
        for block in lesson.blocks:
            cited.update(c.episode for c in block.citations)
    for question in course.questions:
        cited.update(c.episode for c in question.citations)
    for card in course.cards:
        cited.update(c.episode for c in card.citations)
    return cited
