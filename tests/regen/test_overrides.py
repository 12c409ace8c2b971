"""Instructor overrides are applied by identity and logged."""

from __future__ import annotations

from pathlib import Path

import pytest

from coursegen.errors import ConfigError
from coursegen.ir import Card, Concept, Question
from coursegen.overrides import apply_concept_overrides, apply_item_locks, load_overrides


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "coursegen.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_concept_overrides(tmp_path: Path) -> None:
    course, overrides = load_overrides(
        _write(
            tmp_path,
            """
[course]
title = "My course"
id = "my-course"
[overrides]
exclude_concepts = ["filler"]
rename_concepts = { rl = "Reinforcement learning (RL)" }
add_prerequisites = [["rl", "reward"]]
remove_prerequisites = [["rl", "filler"]]
""",
        )
    )
    assert (course.title, course.id) == ("My course", "my-course")
    concepts = [
        Concept(id="rl", name="RL", definition="d", prerequisites=["filler"]),
        Concept(id="reward", name="Reward", definition="d"),
        Concept(id="filler", name="Filler", definition="d"),
    ]
    kept, log = apply_concept_overrides(concepts, overrides)
    by_id = {c.id: c for c in kept}
    assert set(by_id) == {"rl", "reward"}
    assert by_id["rl"].name == "Reinforcement learning (RL)"
    assert "RL" in by_id["rl"].aliases
    assert by_id["rl"].prerequisites == ["reward"]
    assert any("excluded concept filler" in line for line in log)
    assert concepts[0].name == "RL", "the input list must not be mutated"


def test_locks_replace_wording_and_report_unknown_keys(tmp_path: Path) -> None:
    _, overrides = load_overrides(
        _write(
            tmp_path,
            """
[overrides.lock_cards."course:rl:abc"]
front = "Locked front?"
[overrides.lock_questions.q9]
stem = "Locked stem?"
""",
        )
    )
    cards = [
        Card(
            id="c1", identity="course:rl:abc", kind="basic", front="Gen?", back="b", concept="rl", lesson="l"
        )
    ]
    questions = [Question(id="q1", lesson="l", concept="rl", kind="short", stem="s", answer="a")]
    new_cards, new_questions, log = apply_item_locks(cards, questions, overrides)
    assert new_cards[0].front == "Locked front?" and new_cards[0].back == "b"
    assert new_questions[0].stem == "s"
    assert "lock_questions: no question q9" in log


def test_unknown_override_key_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="exclude_concept"):
        load_overrides(_write(tmp_path, "[overrides]\nexclude_concept = ['x']\n"))
