"""The LLM engine moves an mcq's correct option to a hashed slot: models favour one slot."""

from __future__ import annotations

from collections import Counter

from coursegen.engines.llm.assessment import _placed_options


def test_correct_option_text_survives_and_distractors_keep_their_order() -> None:
    options = ["right", "d1", "d2", "d3"]
    for n in range(50):
        placed, answer = _placed_options(f"lesson-q{n}", options, 0)
        assert isinstance(answer, int) and placed[answer] == "right"
        rest = placed[answer + 1 :] + placed[:answer]
        assert rest == ["d1", "d2", "d3"]


def test_a_model_that_always_answers_first_gets_spread_positions() -> None:
    ids = [f"l{n}-q{k}" for n in range(100) for k in range(4)]
    slots = Counter(_placed_options(question_id, ["a", "b", "c", "d"], 0)[1] for question_id in ids)
    assert set(slots) == {0, 1, 2, 3}
    assert all(60 <= count <= 140 for count in slots.values()), slots


def test_same_id_same_order_and_non_index_answers_untouched() -> None:
    assert _placed_options("x-q1", ["a", "b", "c"], 1) == _placed_options("x-q1", ["a", "b", "c"], 1)
    assert _placed_options("x-q1", ["a", "b"], "b") == (["a", "b"], "b")
    assert _placed_options("x-q1", [], True) == ([], True)
    assert _placed_options("x-q1", ["a", "b"], 5) == (["a", "b"], 5)
