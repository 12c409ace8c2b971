"""The placement quiz: which item each spot of the ramp takes, and where a miss sends the learner."""

from __future__ import annotations

from coursegen.assemble_course import _kept_start
from coursegen.engines.extractive import ExtractiveEngine
from coursegen.engines.extractive.placement import (
    _weakness,
    course_ideas,
    explains_its_answer,
    placement_item,
    reads_garbled,
    repeats_answer_word,
    strangers,
)
from coursegen.engines.types import LessonAssessment, LessonPlan, QuestionDraft, RampPlan


def _mcq(qid: str, stem: str, answer: str) -> QuestionDraft:
    return QuestionDraft(
        id=qid,
        concept="c",
        kind="mcq",
        stem=stem,
        options=["other idea", answer],
        answer=1,
        fact=f"term:{qid}",
    )


def _cloze(qid: str) -> QuestionDraft:
    return QuestionDraft(id=qid, concept="c", kind="cloze", stem="a _____ b", answer="term")


def test_an_answer_the_stem_repeats_gives_it_away() -> None:
    assert repeats_answer_word(
        _mcq("a", 'Complete: "what each expert does and _____ type models"', "mixture of experts")
    )
    assert repeats_answer_word(
        _mcq("b", 'Complete: "the models we train: a _____ predicts words"', "language model")
    )
    assert not repeats_answer_word(_mcq("c", 'Complete: "a _____ predicts the next word"', "language model"))
    # Short stems ("ai") say too little to give an answer away.
    assert not repeats_answer_word(_mcq("d", 'Complete: "ai labs build the _____ "', "ai chip"))


def test_a_lesson_offers_its_item_that_does_not_give_the_answer_away() -> None:
    told = _mcq("told", 'Complete: "each expert is routed to in _____ models"', "mixture of experts")
    few_run = 'Complete: "Only a few small networks inside a _____ run for each token."'
    fair = _mcq("fair", few_run, "mixture of experts")
    true_false = QuestionDraft(id="tf", concept="c", kind="true_false", stem="s", answer=True)
    item = placement_item(LessonAssessment(lesson="l", questions=[told, true_false, fair]))
    assert item is not None and item.id == "fair"
    # With only a give-away mcq and a true/false, the true/false tells more.
    item = placement_item(LessonAssessment(lesson="l", questions=[told, true_false]))
    assert item is not None and item.id == "tf"


def test_a_spot_whose_lesson_has_no_item_takes_its_neighbours() -> None:
    lessons = [LessonPlan(id=f"l{i}", position=i, level=1, concepts=[f"c{i}"]) for i in range(15)]
    short = QuestionDraft(id="short", concept="c", kind="short", stem="Explain it.", answer="model")
    assessments = [
        LessonAssessment(
            lesson=p.id,
            questions=[short] if p.position == 4 else [_cloze(f"q{p.id}")],
        )
        for p in lessons
    ]
    placement = ExtractiveEngine().placement(RampPlan(lessons=lessons), assessments)
    # Eight spots, every second lesson; lesson 4 has only a short answer, so its spot takes the
    # next lesson's cloze (the spot was skipped, leaving lessons 3-5 untested).
    tested = [p.question_id for p in placement]
    assert tested == ["ql0", "ql2", "ql5", "ql6", "ql8", "ql10", "ql12", "ql14"]


def test_a_dropped_start_lesson_sends_the_learner_to_the_next_kept_one() -> None:
    ramp = RampPlan(
        lessons=[LessonPlan(id=i, position=n, level=1, concepts=[i]) for n, i in enumerate("abcde")]
    )
    assert _kept_start(ramp, {"a", "c", "d"}) == {"a": "a", "b": "c", "c": "c", "d": "d"}


def test_a_lesson_offers_its_item_whose_sentence_says_what_the_idea_is() -> None:
    ask = "Which term completes the statement?"
    chat = _mcq("chat", f'{ask} "You work on _____ so that one has a path."', "imitation")
    says_what = "_____ is a way of learning where the model copies people."
    defining = _mcq("defining", f'{ask} "{says_what}"', "imitation")
    item = placement_item(LessonAssessment(lesson="l", questions=[chat, defining]))
    assert item is not None and item.id == "defining"
    assert explains_its_answer(defining) and not explains_its_answer(chat)


def test_a_lesson_offers_its_item_that_reads_cleanly_over_a_run_on() -> None:
    ask = "Which term completes the statement?"
    run_on = _mcq(
        "run-on",
        f'{ask} "So so the the _____ is like, you know, the the thing that that we we kind of do do."',
        "imitation",
    )
    clean = _mcq("clean", f'{ask} "People reach for _____ when no reward exists for the task."', "imitation")
    assert reads_garbled(run_on) and not reads_garbled(clean)
    item = placement_item(LessonAssessment(lesson="l", questions=[run_on, clean]))
    assert item is not None and item.id == "clean"


def test_among_equal_items_the_one_saying_what_the_idea_is_wins() -> None:
    ask = "Which term completes the statement?"
    mention = _mcq("mention", f'{ask} "Everyone in the lab worked on _____ that year."', "imitation")
    idea = "The idea of _____ is that the model copies what people do."
    defining = _mcq("defining", f'{ask} "{idea}"', "imitation")
    assert _weakness(mention) == _weakness(defining)  # the tie the sentence's clarity breaks
    for order in ([mention, defining], [defining, mention]):
        item = placement_item(LessonAssessment(lesson="l", questions=order))
        assert item is not None and item.id == "defining"


def test_a_lesson_offers_its_choice_whose_wrong_options_are_ideas_of_the_course() -> None:
    ask = "Which term completes the statement?"
    strangers_only = QuestionDraft(
        id="strangers",
        concept="c",
        kind="mcq",
        stem=f'{ask} "We have a model that can deal with millions of _____ of context."',
        options=["compilers", "tokens", "file systems", "diffs"],
        answer=1,
        fact="term:strangers",
    )
    among_ideas = strangers_only.model_copy(
        update={
            "id": "ideas",
            "stem": f'{ask} "A model reads its prompt as a list of _____ first."',
            "options": ["parameters", "neural networks", "tokens", "transformers"],
            "answer": 2,
        }
    )
    others = [
        _mcq(f"other-{n}", f'{ask} "The {name} _____ x."', name)
        for n, name in enumerate(["parameters", "neural networks", "transformers"])
    ]
    lesson = LessonAssessment(lesson="l", questions=[strangers_only, among_ideas])
    ideas = course_ideas([lesson, LessonAssessment(lesson="m", questions=others)])
    assert strangers(strangers_only, ideas) == 3 and strangers(among_ideas, ideas) == 0
    item = placement_item(lesson, ideas)
    assert item is not None and item.id == "ideas"
    # Without the course's ideas (a lone lesson's view), the first of equals stays.
    assert _weakness(strangers_only) == _weakness(among_ideas)


def test_the_first_item_comes_from_lesson_two_when_lesson_ones_only_item_is_garbled() -> None:
    ask = "Which term completes the statement?"
    run_on = "So so the the _____ is like, you know, the the thing that that we we kind of do do."
    clean = "People reach for _____ when no reward exists for the task."
    lessons = [LessonPlan(id=f"l{i}", position=i, level=1, concepts=[f"c{i}"]) for i in range(8)]
    assessments = [LessonAssessment(lesson="l0", questions=[_mcq("l0-q", f'{ask} "{run_on}"', "imitation")])]
    assessments += [
        LessonAssessment(lesson=p.id, questions=[_mcq(f"{p.id}-q", f'{ask} "{clean}"', "imitation")])
        for p in lessons[1:]
    ]
    placement = ExtractiveEngine().placement(RampPlan(lessons=lessons), assessments)
    assert placement[0].question_id == "l1-q"
    assert placement[0].start_lesson == "l0"  # a miss still starts the newcomer at lesson 1
    assert placement[1].start_lesson == "l2"  # knowing lesson 2 skips lesson 1, its prerequisite
    # A clean item of lesson 1 stays first (the nearest on a tie).
    clean_first = _mcq("l0-clean", f'{ask} "{clean}"', "imitation")
    assessments[0] = LessonAssessment(lesson="l0", questions=[clean_first])
    assert ExtractiveEngine().placement(RampPlan(lessons=lessons), assessments)[0].question_id == "l0-clean"


def test_the_items_keep_the_ramps_order_and_test_each_lesson_once() -> None:
    """Three lessons, three spots: lesson 1's garbled item gives the first spot to lesson 2, and the
    second spot may not go back to lesson 1 though its item beats lesson 3's fill-in (the quiz
    tested lesson 2, then lesson 1)."""
    ask = "Which term completes the statement?"
    run_on = "So so the the _____ is like, you know, the the thing that that we we kind of do do."
    clean = "People reach for _____ when no reward exists for the task."
    lessons = [LessonPlan(id=f"l{i}", position=i, level=1, concepts=[f"c{i}"]) for i in range(3)]
    assessments = [
        LessonAssessment(lesson="l0", questions=[_mcq("l0-q", f'{ask} "{run_on}"', "imitation")]),
        LessonAssessment(lesson="l1", questions=[_mcq("l1-q", f'{ask} "{clean}"', "imitation")]),
        LessonAssessment(lesson="l2", questions=[_cloze("l2-q")]),
    ]
    placement = ExtractiveEngine().placement(RampPlan(lessons=lessons), assessments)
    assert [p.question_id for p in placement] == ["l1-q", "l2-q"]
    assert [p.start_lesson for p in placement] == ["l0", "l2"]
