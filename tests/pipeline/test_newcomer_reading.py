"""What a newcomer reads: lessons explain (not mention) their concept, concepts without an
explaining quote are dropped, prerequisites have visible evidence, questions can be answered
from their stem, and lessons open with short clear questions."""

from __future__ import annotations

import re

from coursegen.engines.extractive.assessment import BLANK, MIN_ANSWER_CONTENT, MIN_BLANK_CONTEXT
from coursegen.engines.extractive.concepts import MIN_EXPLAINS
from coursegen.engines.extractive.lessons import MAX_PROBLEM_WORDS, MIN_PROBLEM_CONTENT
from coursegen.engines.extractive.speech import explains_score, statement_score
from coursegen.engines.extractive.terms import _collect, _fold_word_families
from coursegen.engines.extractive.text import content_words, tokens
from coursegen.pipeline import BuildResult
from tests.pipeline.conftest import make_episode

MOE = re.compile(r"\bmixture of experts?\b", re.I)


def test_subject_that_explains_beats_a_list_item_a_bio_and_a_bare_mention() -> None:
    explains = explains_score(
        "A mixture of experts is a model where a router sends each token to a few expert layers.", MOE
    )
    listed = explains_score(
        "He has been the inventor of many of the pieces, from the transformer itself to a mixture "
        "of experts to mesh TensorFlow to many other things.",
        MOE,
    )
    bare = explains_score("It's literally just a mixture of experts. Yeah.", MOE)
    assert explains >= MIN_EXPLAINS
    assert listed < 0 and bare < 0
    assert explains > max(listed, bare) + 3


def test_every_form_of_a_word_counts_for_its_ing_noun() -> None:
    """"scale", "scales", "scaled" are mentions of "scaling"; split, no form surfaced as a topic."""
    passages = [
        [
            "Scaling is the bet that bigger models trained on more data keep getting better.",
            "If you scale the model ten times, the loss falls along a smooth curve.",
        ],
        [
            "People argued about whether scaling would hit a wall soon.",
            "At scale, the noise washes away and you are left with the signal.",
        ],
        [
            "The labs scaled compute every year, and scaling laws told them how far to go.",
            "Nobody knows how long the curve keeps going as you scale further.",
        ],
    ]
    episode = make_episode("fam", passages)
    terms, _ = _collect(episode, True)
    assert terms["scaling"].count == 3
    _fold_word_families(terms)
    assert terms["scaling"].surface == "scaling"
    assert terms["scaling"].count == 6  # every sentence says scale, scaled or scaling
    # A rare "-ing" word beside a very common verb is another word ("modeling" / "model").
    talk = [[f"The model number {n} is here." for n in range(8)] + ["Modeling is fun."]]
    terms, _ = _collect(make_episode("model", talk), True)
    before = terms["modeling"].count
    _fold_word_families(terms)
    assert terms["modeling"].count == before


def test_seed_concepts_are_explained_and_dropped_ones_say_why(seed_build: BuildResult) -> None:
    course = seed_build.course
    for concept in course.concepts:
        names = sorted({concept.name, *concept.aliases}, key=len, reverse=True)
        pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")\b", re.I)
        best = max(explains_score(c.quote, pattern) for c in concept.citations)
        assert best >= MIN_EXPLAINS - 1.5, (concept.id, [c.quote for c in concept.citations])
    dropped = [d for d in course.build.dropped if d.stage == "concepts"]
    reasons = ("no quote explains it", "not a technical topic", "no speaker asserts it")
    assert dropped and all(any(r in d.reason for r in reasons) for d in dropped)
    # The office kitchen anecdote of seed 000 is small talk, not a concept.
    assert "micro-kitchen" in {d.item for d in dropped}
    assert "micro-kitchen" not in {c.id for c in course.concepts}
    assert len(course.concepts) >= 25


def test_seed_questions_can_be_answered_from_their_stem(seed_build: BuildResult) -> None:
    for question in seed_build.course.questions:
        if question.kind in ("mcq", "cloze"):
            quoted = question.stem.split('"', 1)[1] if '"' in question.stem else question.stem
            context = content_words(quoted.replace(BLANK, " "))
            assert len(context) >= MIN_BLANK_CONTEXT, question.stem
        if question.kind == "short" and "-short-" in question.id:
            assert len(content_words(str(question.answer))) >= MIN_ANSWER_CONTENT, question.answer


def test_seed_lessons_open_with_short_questions(seed_build: BuildResult) -> None:
    for lesson in seed_build.course.lessons:
        if lesson.problem.startswith("A question from the conversation"):
            quoted = lesson.problem.split('"')[1]
            assert len(tokens(quoted)) <= MAX_PROBLEM_WORDS, lesson.problem
            assert len(content_words(quoted)) >= MIN_PROBLEM_CONTENT, lesson.problem


def test_caption_debris_ranks_below_a_clean_statement() -> None:
    """Core ideas came out as "Pre-training gives us knowledge they're. not that analogy ..."."""
    pattern = re.compile(r"\bpre-?training\b", re.I)
    clean = "Pre-training gives the model broad knowledge of the world from internet text."
    assert statement_score(clean, pattern) > statement_score(
        "Pre-training gives us knowledge they're. not that analogy seems to break down.", pattern
    ) + 3
    assert statement_score(clean, pattern) > statement_score(
        "Pre-training gives the model broad knowledge of the world from internet pre-training. pre-training.",
        pattern,
    ) + 2


def test_seed_lessons_quote_no_biography(seed_build: BuildResult) -> None:
    """A guest's introduction ("He has been the inventor of ...") explains no concept."""
    bio = re.compile(r"\b(?:he|she)(?:'s|\s+has|\s+had|\s+was)\s+(?:been|the|an?)\b", re.I)
    for lesson in seed_build.course.lessons:
        for block in lesson.blocks:
            for cite in block.citations:
                assert not bio.search(cite.quote), (lesson.id, cite.quote)
