"""True/false items come out about as often false as true: a claim whose sentence a choice asks
about is turned false with one of that choice's wrong options."""

from __future__ import annotations

import re

from coursegen.engines.extractive.assessment import _turned_by_options
from coursegen.engines.types import Cite, QuestionDraft
from coursegen.pipeline import BuildResult

_CLAIM = "Evolution has some way of encoding the weights of our neural nets in DNA."


def _cite(n: int) -> list[Cite]:
    return [Cite(episode="e", sentence_ids=[f"e/p{n}/s1"])]


def _choice(n: int, right: str = "neural nets") -> QuestionDraft:
    return QuestionDraft(
        id=f"c-mcq-{n}",
        concept="c",
        kind="mcq",
        stem='Which term completes the statement? "..."',
        options=["compilers", right, "gradients", "modalities"],
        answer=1,
        cites=_cite(n),
        fact=f"term:e/p{n}/s1",
    )


def _claim(n: int, text: str = _CLAIM) -> QuestionDraft:
    return QuestionDraft(
        id=f"c-tf-{n}",
        concept="c",
        kind="true_false",
        stem=text,
        answer=True,
        explanation="True: this is what the source says about c.",
        cites=_cite(n),
        fact=f"tf-true:e/p{n}/s1",
    )


def test_a_claim_a_choice_asks_about_is_turned_false_with_a_wrong_option() -> None:
    items = [_choice(1), _claim(1), _claim(2), _claim(3)]
    turned = {q.id: q for q in _turned_by_options(items)}
    false = turned["c-tff-1"]
    assert false.answer is False and "neural nets" not in false.stem
    assert false.stem.replace("compilers", "X").replace("gradients", "X").replace("modalities", "X") == (
        _CLAIM.replace("neural nets", "X")
    )
    # The explanation gives the true statement (QST002), and the item tests the same sentence.
    assert false.explanation == f'False. Actually: "{_CLAIM}"'
    assert false.fact == "tf-false:e/p1/s1" and false.cites == _cite(1)
    # Claims no choice asks about stay true.
    assert turned["c-tf-2"].answer is True and turned["c-tf-3"].answer is True


def test_false_items_never_outnumber_true_ones_and_a_short_claim_stays() -> None:
    items = [_choice(1), _claim(1), _choice(2), _claim(2)]
    answers = [q.answer for q in _turned_by_options(items) if q.kind == "true_false"]
    assert answers.count(False) == 1 and answers.count(True) == 1
    short = [_choice(1), _claim(1, "Our neural nets learn."), _claim(2)]
    assert _turned_by_options(short) == short
    # A claim that does not write the choice's answer is not turned either.
    other = [_choice(1, right="transformers"), _claim(1), _claim(2)]
    assert _turned_by_options(other) == other


def test_the_seed_courses_true_false_items_are_not_nearly_all_true(seed_build: BuildResult) -> None:
    answers = [q.answer for q in seed_build.course.questions if q.kind == "true_false"]
    # Before: 20 of 22 true (always answering "true" scored 91%).
    assert answers and answers.count(False) / len(answers) >= 0.25


def test_no_seed_true_false_statement_names_an_idea_taught_later(seed_build: BuildResult) -> None:
    course = seed_build.course
    position = {lesson.id: lesson.position for lesson in course.lessons}
    taught_at = {cid: lesson.position for lesson in course.lessons for cid in lesson.concepts}
    names = {
        c.id: re.compile(r"\b(?:" + "|".join(re.escape(n) for n in (c.name, *c.aliases)) + r")s?\b", re.I)
        for c in course.concepts
    }
    for question in (q for q in course.questions if q.kind == "true_false"):
        later = [
            cid
            for cid, pattern in names.items()
            if taught_at.get(cid, -1) > position[question.lesson] and pattern.search(question.stem)
        ]
        assert not later, (question.stem, later)


def test_no_seed_quote_runs_across_a_speaker_turn(seed_build: BuildResult) -> None:
    course = seed_build.course
    opens = {
        s.id
        for e in course.episodes
        for p in e.passages
        for k, s in enumerate(p.sentences, start=1)
        if k in p.turn_starts
    }
    # The seeds mark turns ("- ", ">>"): 5 of 334 citations ran across one before quotes stopped
    # growing into another speaker's sentence.
    assert opens
    items = [*course.questions, *course.cards, *(b for lesson in course.lessons for b in lesson.blocks)]
    crossing = [c.quote for item in items for c in item.citations if set(c.sentence_ids[1:]) & opens]
    assert not crossing
