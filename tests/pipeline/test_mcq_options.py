"""The extractive engine's multiple-choice options give nothing away by position or length."""

from __future__ import annotations

from collections import Counter

from coursegen.engines.extractive.assessment import _answer_rota, _distractors
from coursegen.engines.types import QuestionDraft
from coursegen.pipeline import BuildResult

POOL = ["neural network", "token", "transformer", "spelling correction", "coding", "software engineering"]


def test_the_hash_sets_how_many_distractors_are_longer_than_the_answer() -> None:
    answer = "mixture of experts"  # 18 characters: 2 of the pool are longer
    counts = {}
    for seed in ("0", "1", "2", "3"):
        picked = _distractors(POOL, answer, 3, seed)
        assert len(picked) == 3 and answer not in picked
        counts[seed] = sum(len(p) > len(answer) for p in picked)
    # 0, 1, 2 longer as asked; 3 is more than the pool has, so both longer ones and the best other.
    assert counts == {"0": 0, "1": 1, "2": 2, "3": 2}
    # Best first on each side, pool order kept.
    assert _distractors(POOL, answer, 3, "1") == ["neural network", "token", "spelling correction"]


def test_a_short_pool_still_fills_the_options() -> None:
    assert _distractors(["token", "coding"], "mixture of experts", 3, "3") == ["token", "coding"]


def test_seed_course_mcqs_show_no_length_or_position_tell(seed_build: BuildResult) -> None:
    mcqs = [q for q in seed_build.course.questions if q.kind == "mcq"]
    # At most one mcq per concept, only where a statement pins its name down: 24 of the seeds'
    # 26 concepts (assessment ex-17 stopped name blanks the lesson title gives away). Enough for
    # the position and length checks below to mean something.
    assert len(mcqs) >= 20
    assert all(len(q.options) == 4 for q in mcqs)
    positions = Counter(q.answer for q in mcqs)
    # The right option's place is hashed from the item (lessons are built one by one, so no
    # course-wide rota): chance is a quarter each; allow chance + 2.33 standard deviations.
    n = len(mcqs)
    assert set(positions) == {0, 1, 2, 3}, positions
    assert max(positions.values()) <= n / 4 + 2.33 * (n * 0.25 * 0.75) ** 0.5, positions
    longer_than_answer: Counter[int] = Counter()
    for q in mcqs:
        assert isinstance(q.answer, int)
        size = len(q.options[q.answer])
        longer_than_answer[sum(len(o) > size for o in q.options)] += 1
    # Chance: a quarter each; allow chance + 2.33 standard deviations (the hashed targets are
    # themselves a random draw). Closest-length picks alone gave 15/14/4/1 of 34, which fails both.
    assert longer_than_answer[0] <= n / 4 + 2.33 * (n * 0.25 * 0.75) ** 0.5, longer_than_answer
    at_most_one = longer_than_answer[0] + longer_than_answer[1]
    assert at_most_one <= n / 2 + 2.33 * (n * 0.25) ** 0.5, longer_than_answer


def test_a_lessons_answers_take_the_positions_in_turn() -> None:
    def mcq(n: int) -> QuestionDraft:
        return QuestionDraft(
            id=f"q{n}", concept="c", kind="mcq", stem="?", options=[f"right {n}", "a", "b", "c"], answer=0
        )

    tf = QuestionDraft(id="tf", concept="c", kind="true_false", stem="X is Y.", answer=True)
    placed = _answer_rota("lesson-1", [mcq(0), tf, mcq(1), mcq(2), mcq(3)])
    mcqs = [q for q in placed if q.kind == "mcq"]
    # Four items, four positions: each once, the right option still the one marked right.
    assert sorted(q.answer for q in mcqs) == [0, 1, 2, 3]
    assert all(isinstance(q.answer, int) and q.options[q.answer] == f"right {n}" for n, q in enumerate(mcqs))
    assert placed[1] == tf
    assert placed == _answer_rota("lesson-1", [mcq(0), tf, mcq(1), mcq(2), mcq(3)])
