"""Interleaved review: spare choices on an idea's name are asked again in later, thinner lessons."""

from __future__ import annotations

from coursegen.engines.extractive.review import MAX_REVIEWS_FROM_ONE_LESSON, MIN_OWN_QUESTIONS, interleave
from coursegen.engines.types import (
    Cite,
    LessonAssessment,
    LessonDraft,
    LessonPlan,
    QuestionDraft,
    RampPlan,
)
from coursegen.pipeline import BuildResult


def _choice(concept: str, n: int, fact: str = "term") -> QuestionDraft:
    return QuestionDraft(
        id=f"{concept}-mcq-{n}",
        concept=concept,
        kind="mcq",
        stem=f'Which term completes the statement? "sentence {n} about _____."',
        options=[concept, "other", "third", "fourth"],
        answer=0,
        explanation=f'The source says: "sentence {n} about {concept}."',
        cites=[Cite(episode="e", sentence_ids=[f"e/p{n}/s1"])],
        difficulty=2,
        fact=f"{fact}:e/p{n}/s1",
    )


def _true(concept: str, n: int) -> QuestionDraft:
    return QuestionDraft(
        id=f"{concept}-tf-{n}",
        concept=concept,
        kind="true_false",
        stem=f"claim {n}",
        answer=True,
        cites=[Cite(episode="e", sentence_ids=[f"e/p{n}/s2"])],
        fact=f"tf-true:e/p{n}/s2",
    )


def _course(
    questions: list[list[QuestionDraft]],
) -> tuple[RampPlan, list[LessonDraft], list[LessonAssessment]]:
    ids = [f"lesson-{i}" for i in range(len(questions))]
    ramp = RampPlan(
        lessons=[LessonPlan(id=lid, position=i + 1, level=1, concepts=[f"c{i}"]) for i, lid in enumerate(ids)]
    )
    drafts = [
        LessonDraft(id=lid, title=f"Idea {i}", problem="p", prediction="q") for i, lid in enumerate(ids)
    ]
    assessments = [LessonAssessment(lesson=lid, questions=qs) for lid, qs in zip(ids, questions, strict=True)]
    return ramp, drafts, assessments


def test_spare_choices_on_a_crowded_lessons_idea_move_to_the_thinnest_later_lessons() -> None:
    crowded = [_choice("c0", n) for n in range(8)] + [_true("c0", 20)]
    thin = [[_true(f"c{i}", 30 + i), _true(f"c{i}", 40 + i)] for i in (1, 2, 3)]
    ramp, drafts, assessments = _course([crowded, *thin])
    after = interleave(ramp, drafts, assessments, keep=set())
    own = after[0].questions
    # The lesson keeps its first choice on its idea and at least MIN_OWN_QUESTIONS items.
    assert own[0].id == "c0-mcq-0"
    assert len(own) >= MIN_OWN_QUESTIONS
    moved = [q for a in after[1:] for q in a.questions if q.concept == "c0"]
    assert moved and len(own) + len(moved) == len(crowded)
    # Spaced: never into the very next lesson while one further on exists.
    assert not any(q.concept == "c0" for q in after[1].questions)
    for question in moved:
        assert question.stem.startswith("Review: which term completes the statement?")
        assert question.explanation.startswith('From the lesson "Idea 0".')
        assert question.difficulty == 3
    # Evened out: no later lesson now asks more than the crowded one.
    assert max(len(a.questions) for a in after[1:]) <= len(own)


def test_a_placement_item_a_shared_quote_and_an_even_course_stay_put() -> None:
    crowded = [_choice("c0", n) for n in range(8)]
    # Another choice cites the quote of item 3: moved later, it would repeat that one (QST005).
    sharer = _choice("c1", 3).model_copy(update={"id": "c1-mcq-shared"})
    ramp, drafts, assessments = _course(
        [crowded, [sharer, _true("c1", 50)], [_true("c2", 60)], [_true("c3", 70)]]
    )
    after = interleave(ramp, drafts, assessments, keep={"c0-mcq-1"})
    kept = {q.id for q in after[0].questions}
    assert {"c0-mcq-1", "c0-mcq-3"} <= kept
    # Lessons that ask about as much as each other keep their items.
    even = [[_choice(f"c{i}", 10 * i + n) for n in range(6)] for i in range(4)]
    ramp, drafts, assessments = _course(even)
    assert interleave(ramp, drafts, assessments, keep=set()) == assessments


def test_a_choice_whose_sentence_a_true_false_item_shows_moves_even_when_first() -> None:
    # "c0-tf-0" states the sentence "c0-mcq-0" blanks: side by side, the statement answers it.
    lesson = [_choice("c0", 0), _true("c0", 0).model_copy(update={"cites": _choice("c0", 0).cites})]
    lesson += [_true("c0", 20), _true("c0", 21)]
    ramp, drafts, assessments = _course([lesson, [_true("c1", 50)], [_true("c2", 60)]])
    after = interleave(ramp, drafts, assessments, keep=set())
    assert "c0-mcq-0" not in {q.id for q in after[0].questions}
    assert [q.id for q in after[2].questions if q.concept == "c0"] == ["c0-mcq-0"]
    # As a placement item it stays where the quiz places a learner.
    assert interleave(ramp, drafts, assessments, keep={"c0-mcq-0"}) == assessments


def test_only_choices_on_the_lessons_own_name_move() -> None:
    others = [_choice("c0", n, fact="fact:weights") for n in range(8)]
    ramp, drafts, assessments = _course([others, [_true("c1", 50)], [_true("c2", 60)]])
    assert interleave(ramp, drafts, assessments, keep=set()) == assessments


def test_the_seed_course_reviews_earlier_ideas_and_no_lesson_asks_a_quarter_of_it(
    seed_build: BuildResult,
) -> None:
    course = seed_build.course
    position = {lesson.id: lesson.position for lesson in course.lessons}
    taught_in = {cid: lesson.position for lesson in course.lessons for cid in lesson.concepts}
    reviews = [q for q in course.questions if q.stem.startswith("Review:")]
    assert len(reviews) >= 10
    for question in reviews:
        # Asked in a later lesson than the one teaching its idea, and says where to go back to.
        assert taught_in[question.concept] < position[question.lesson]
        assert question.explanation.startswith("From the lesson ")
    # Lesson 2 asked 27 of the 124 questions before reviews moved (a fifth of the course).
    assert max(len(lesson.question_ids) for lesson in course.lessons) <= len(course.questions) // 6


def test_a_review_goes_to_a_later_lesson_that_builds_on_its_idea() -> None:
    crowded = [_choice("c0", n) for n in range(8)] + [_true("c0", 20)]
    thin = [[_true(f"c{i}", 30 + i), _true(f"c{i}", 40 + i)] for i in (1, 2, 3, 4)]
    ramp, drafts, assessments = _course([crowded, *thin])
    # Lesson 3 needs lesson 0 through lesson 1; lessons 2 and 4 need nothing.
    needs = {"lesson-1": ["lesson-0"], "lesson-3": ["lesson-1"]}
    ramp = RampPlan(
        lessons=[p.model_copy(update={"prerequisite_lessons": needs.get(p.id, [])}) for p in ramp.lessons]
    )
    after = interleave(ramp, drafts, assessments, keep=set())
    holding = {a.lesson: sum(q.concept == "c0" for q in a.questions) for a in after[1:]}
    assert holding["lesson-3"] == MAX_REVIEWS_FROM_ONE_LESSON
    # The fourth spare choice goes on to another later lesson: no lesson becomes a quiz on another.
    assert sum(holding.values()) == 4 and max(holding.values()) == MAX_REVIEWS_FROM_ONE_LESSON
    # With no lesson building on it, the thinnest later lessons take the reviews (as before).
    flat = _course([crowded, *thin])
    spread = interleave(*flat, keep=set())
    assert len([a for a in spread[1:] if any(q.concept == "c0" for q in a.questions)]) > 1


def test_the_seed_course_reviews_mostly_sit_in_lessons_that_need_their_idea(seed_build: BuildResult) -> None:
    course = seed_build.course
    needs: dict[str, set[str]] = {}
    for lesson in course.lessons:
        needs[lesson.id] = set()
        for before in lesson.prerequisite_lessons:
            needs[lesson.id] |= {before, *needs.get(before, set())}
    taught_in = {cid: lesson.id for lesson in course.lessons for cid in lesson.concepts}
    reviews = [q for q in course.questions if q.stem.startswith("Review:")]
    building = [q for q in reviews if taught_in[q.concept] in needs[q.lesson]]
    # 12 of 32 before reviews looked at prerequisites; 32 of 37 after (2026-12-04, placement ex-9);
    # 24 of 31 once a lesson reviews at most three items of any one lesson (assessment ex-49).
    assert reviews and len(building) >= 0.75 * len(reviews)


def test_a_lesson_that_took_reviews_keeps_its_own_items() -> None:
    """The seed course's reinforcement-learning lesson, given four reviews, sent one of its two
    own items on as a review: what a lesson asks about its own idea is not spare."""
    crowded = [_choice("c0", n) for n in range(8)] + [_true("c0", 200)]
    middle = [_choice("c1", 100 + n) for n in range(2)] + [_true("c1", 120)]
    others = [[_true("c9", 90)], middle, [_true("c8", 80)], [_true("c7", 70)]]
    ramp, drafts, assessments = _course([crowded, *others])
    # Lesson 2 builds on lesson 0, so it takes lesson 0's reviews first.
    needs = {"lesson-2": ["lesson-0"]}
    ramp = RampPlan(
        lessons=[p.model_copy(update={"prerequisite_lessons": needs.get(p.id, [])}) for p in ramp.lessons]
    )
    after = interleave(ramp, drafts, assessments, keep=set())
    middle_after = next(a for a in after if a.lesson == "lesson-2").questions
    assert sum(q.concept == "c0" for q in middle_after) == MAX_REVIEWS_FROM_ONE_LESSON  # it took reviews
    assert {q.id for q in middle} <= {q.id for q in middle_after}  # and kept all of its own
