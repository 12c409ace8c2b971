"""Lessons show what their check-yourself questions test, and questions test what the lesson shows."""

from __future__ import annotations

import re

from coursegen.assemble_course import reading_minutes
from coursegen.engines.base import LessonContext
from coursegen.engines.extractive import ExtractiveEngine
from coursegen.engines.extractive.assessment import LOOSE_FACT, askable_statements, concept_statements
from coursegen.engines.extractive.lessons import _further_blocks, _Quote
from coursegen.engines.sources import SourceIndex
from coursegen.engines.types import Cite, GraphConcept, RampOptions
from coursegen.ir import Block, Citation, Episode, Lesson


def _drafts(*episodes: Episode):  # type: ignore[no-untyped-def]
    """Every lesson of a small course with its draft and assessment, in ramp order."""
    engine = ExtractiveEngine()
    graph = engine.merge([engine.concepts(e) for e in episodes])
    ramp = engine.ramp(graph, RampOptions())
    sources = SourceIndex(list(episodes))
    order = [cid for plan in ramp.lessons for cid in plan.concepts]
    taught: list[str] = []
    found = []
    for plan in ramp.lessons:
        later = frozenset(order) - set(taught) - set(plan.concepts)
        ctx = LessonContext(graph=graph, sources=sources, taught_before=frozenset(taught), taught_later=later)
        draft = engine.lesson(plan, ctx)
        found.append((plan, draft, engine.assessment(plan, draft, ctx), ctx))
        taught.extend(plan.concepts)
    return found


def _shown(draft) -> set[str]:  # type: ignore[no-untyped-def]
    return {sid for block in draft.blocks for cite in block.cites for sid in cite.sentence_ids}


def test_questions_cite_what_the_lesson_shows_first(talk_a: Episode, talk_b: Episode) -> None:
    total = shown_total = 0
    for _, draft, result, _ in _drafts(talk_a, talk_b):
        shown = _shown(draft)
        on_lesson = [bool({s for c in q.cites for s in c.sentence_ids} & shown) for q in result.questions]
        # A question on a sentence the lesson does not show is a top-up: after the lesson's own, and
        # marked loose so the placement quiz prefers the others.
        assert on_lesson == sorted(on_lesson, reverse=True), draft.id
        for question, seen in zip(result.questions, on_lesson, strict=True):
            assert seen or question.fact.startswith(LOOSE_FACT), question.id
        total += len(on_lesson)
        shown_total += sum(on_lesson)
    assert total >= 6 and shown_total / total >= 0.8, (shown_total, total)


def test_further_quotes_are_statements_the_questions_can_test(talk_a: Episode, talk_b: Episode) -> None:
    more = 0
    for plan, draft, _, ctx in _drafts(talk_a, talk_b):
        testable = set()
        for concept in (c for c in ctx.graph.concepts if c.id in plan.concepts):
            heard = concept_statements(
                concept, ctx, _finder(ctx), set(ctx.taught_before) | set(plan.concepts)
            )
            testable |= {
                tuple(t.cite.sentence_ids)
                for t in askable_statements(concept, ctx, set(plan.concepts), heard)
            }
        for block in draft.blocks:
            if block.text.startswith(("More from the episodes on", "Also on")):
                more += 1
                assert tuple(block.cites[0].sentence_ids) in testable, block.text
                assert "?" not in re.sub(r"^[^\"]*\"", "", block.text)
    assert more >= 1


def _finder(ctx: LessonContext):  # type: ignore[no-untyped-def]
    from coursegen.engines.extractive.mentions import finder_for

    return finder_for(ctx.graph)


def test_a_host_set_up_is_not_shown_as_a_further_quote() -> None:
    from coursegen.engines.extractive.assertions import SETUP
    from coursegen.engines.extractive.lessons import _flaw, _quotable
    from coursegen.engines.extractive.statements import known_words
    from tests.pipeline.test_assertions import sparse_routing_talk

    episode, concept, ctx = sparse_routing_talk(
        [
            "Sparse routing sends each token to only a few experts of the layer.",
            "Some people claim sparse routing makes every model cheaper to serve.",
            "Do you think sparse routing really makes serving cheaper?",
            "Yeah, sparse routing keeps the cost per token nearly constant as the model grows.",
        ]
    )
    names_it = re.compile(r"\bsparse routing\b", re.I)
    known = known_words(ctx)
    set_up = episode.passages[0].sentences[1]
    stated = episode.passages[0].sentences[3]
    flaw = _flaw(Cite(episode="ep", sentence_ids=[set_up.id]), set_up.text, ctx, names_it)
    assert flaw == SETUP
    assert not _quotable(concept, set_up.text, flaw, names_it, known)
    body = "Sparse routing keeps the cost per token nearly constant as the model grows."
    assert _flaw(Cite(episode="ep", sentence_ids=[stated.id]), body, ctx, names_it) is None
    assert _quotable(concept, body, None, names_it, known)


def test_a_reported_view_is_shown_as_a_view() -> None:
    concept = GraphConcept(id="x", name="sparse routing", definition="")
    cite = Cite(episode="ep", sentence_ids=["ep/p1/s1"])
    fact = _Quote(1.0, 0, cite, "Sparse routing sends each token to a few experts.")
    view = _Quote(
        1.0, 1, Cite(episode="ep", sentence_ids=["ep/p1/s2"]), "Maybe sparse routing wins.", view=True
    )
    texts = [b.text for b in _further_blocks(concept, [], [fact, view])]
    assert texts[1].startswith("A speaker's view of sparse routing:")
    assert not texts[0].startswith("A speaker's view")


def test_reading_time_counts_a_quote_the_block_already_shows_once() -> None:
    quote = " ".join(["word"] * 90) + "."
    citation = Citation(episode="ep", sentence_ids=["ep/p1/s1"], quote=quote)
    lesson = Lesson(
        id="l",
        position=0,
        title="t",
        level=1,
        concepts=["x"],
        problem="p",
        prediction="q",
        blocks=[Block(text=f'A point: "{quote}"', citations=[citation])],
    )
    # 2 + 2 + 90: once, not 182 words (about half a minute, not a minute).
    assert reading_minutes(lesson) == 0.5
    paraphrased = lesson.model_copy(
        update={"blocks": [Block(text="A point in other words.", citations=[citation])]}
    )
    assert reading_minutes(paraphrased) == 0.5 + 0.0  # 95 words: the quote is read under the block
    assert reading_minutes(paraphrased.model_copy(update={"blocks": [paraphrased.blocks[0]] * 2})) == 1.0
