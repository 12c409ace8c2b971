"""Course-wide multiple-choice checks: biases a learner could exploit are caught, fair courses pass.

The old rule flagged a course only when more than half of its items had the correct option
longest or at one position; these fixtures sit below that line and still give the answer away.
"""

from __future__ import annotations

import random

from coursegen.ir import Question
from coursegen.validate.mcq import course_mcq_findings

TERMS = ["gradient descent", "tokenizer", "mixture of experts", "attention", "world model", "scaling law"]


def mcq(n: int, answer: int, options: list[str]) -> Question:
    return Question(id=f"q{n:03d}", lesson="l0", concept="c", kind="mcq", stem="Which term fits?",
                    options=options, answer=answer)


def fair_course(rng: random.Random, size: int, option_count: int = 4) -> list[Question]:
    """Options of random terms, correct option at a random position: what an unbiased engine makes."""
    questions = []
    for n in range(size):
        options = rng.sample(TERMS, option_count)
        questions.append(mcq(n, rng.randrange(option_count), options))
    return questions


def codes(questions: list[Question]) -> list[str]:
    return [f.code for f in course_mcq_findings(questions, "course")]


def test_correct_longest_in_45_percent_of_40_items_is_a_tell() -> None:
    questions = []
    for n in range(40):
        options = ["alpha", "beta", "gamma", "delta"]
        answer = n % 4
        # 18 of 40 (45%: chance is 25%) have a correct option longer than every distractor.
        options[answer] = "the much longer correct option" if n < 18 else "omega"
        questions.append(mcq(n, answer, options))
    found = course_mcq_findings(questions, "course")
    assert [f.code for f in found] == ["MCQ006"]
    assert "18/40" in found[0].reason


def test_a_position_almost_never_used_is_a_tell() -> None:
    # "The answer is never A": 1 of 40 at position 1, the rest spread over 2–4 (no position over 50%).
    positions = [0] + [1 + n % 3 for n in range(39)]
    questions = [mcq(n, p, ["alpha", "beta", "gamma", "delta"]) for n, p in enumerate(positions)]
    found = course_mcq_findings(questions, "course")
    assert [f.code for f in found] == ["MCQ007"]
    assert "position 1 in 1/40" in found[0].reason and "rarely" in found[0].reason


def test_a_favoured_position_below_half_is_a_tell_in_a_large_course() -> None:
    # 40% at position 3 of 200 four-option items (chance 25%).
    positions = [2 if n % 5 < 2 else (0, 1, 3)[n % 3] for n in range(200)]
    assert positions.count(2) == 80
    questions = [mcq(n, p, ["alpha", "beta", "gamma", "delta"]) for n, p in enumerate(positions)]
    found = course_mcq_findings(questions, "course")
    assert [f.code for f in found] == ["MCQ007"]
    assert "too often" in found[0].reason


def test_fairly_shuffled_courses_rarely_fail() -> None:
    rng = random.Random(20261122)
    flagged = sum(bool(codes(fair_course(rng, rng.randrange(6, 120)))) for _ in range(400))
    # About 1% (MCQ006) + 2% (MCQ007) by design; far more would make honest courses fail.
    assert flagged <= 0.06 * 400, flagged


def test_mixed_option_counts_use_each_items_own_chance() -> None:
    # Three-option items put the answer at position 3 one time in three, four-option ones at 4
    # one time in four: a fair mix of both must not read as "position 4 too rare".
    rng = random.Random(7)
    questions = fair_course(rng, 60, 3) + fair_course(rng, 60, 5)
    for n, q in enumerate(questions):
        q.id = f"q{n:03d}"
    assert codes(questions) == []


def test_small_courses_are_not_judged() -> None:
    questions = [mcq(n, 0, ["the long correct answer", "b", "c"]) for n in range(5)]
    assert codes(questions) == []
