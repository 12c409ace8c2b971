"""The acceptance course: the five seeds through the extractive engine (built once per module)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coursegen.course_io import load_course
from coursegen.pipeline import BuildOptions, BuildResult, build_course
from coursegen.validate import validate_course
from tests.pipeline.conftest import SEEDS

# Topics a reader of the five episodes would name (each must appear as a concept or alias).
EXPECTED_TOPICS = [
    "test time compute",
    "mixture of experts",
    "reinforcement learning",
    "world model",
    "continual learning",
    "neural network",
    "gradient descent",
    "scaling",
    "pre-training",
    "in-context learning",
]


def _without_times(path: Path) -> dict[str, object]:
    data = json.loads(path.read_text(encoding="utf-8"))
    data["build"]["timings"] = {}
    return data


def test_acceptance_figures(seed_build: BuildResult) -> None:
    course = seed_build.course
    assert len(course.episodes) == 5
    assert len(course.concepts) >= 25
    assert len(course.lessons) >= 12
    assert len(course.questions) >= 120
    assert len(course.cards) >= 120
    assert course.build.engine == "extractive" and "no language model" in course.build.engine_note
    assert course.build.usage["model_calls"] == 0


def test_recognisable_topics(seed_build: BuildResult) -> None:
    names = {n.lower() for c in seed_build.course.concepts for n in [c.name, *c.aliases]}
    missing = [t for t in EXPECTED_TOPICS if t not in names and t + "s" not in names]
    assert not missing, missing


def test_course_validates_with_full_citation_validity(seed_build: BuildResult) -> None:
    course = load_course(seed_build.course_path)
    report = validate_course(course)
    assert report.errors == []
    assert report.citation_validity_rate == 1.0
    assert course.build.validation["errors"] == 0


def test_every_episode_is_used_and_every_lesson_is_complete(seed_build: BuildResult) -> None:
    course = seed_build.course
    cited = {c.episode for lesson in course.lessons for b in lesson.blocks for c in b.citations}
    assert cited == {e.id for e in course.episodes}
    questions = {q.id: q for q in course.questions}
    for position, lesson in enumerate(course.lessons):
        assert lesson.position == position
        assert lesson.problem and lesson.prediction and lesson.blocks
        own = [questions[q] for q in lesson.question_ids]
        assert len(own) >= 2 and len({q.difficulty for q in own}) >= 2
        assert lesson.reading_minutes > 0
    levels = [lesson.level for lesson in course.lessons]
    assert all(abs(b - a) <= 1 for a, b in zip(levels, levels[1:], strict=False))
    kinds = {q.kind for q in course.questions}
    assert kinds == {"mcq", "cloze", "true_false", "short"}
    assert {c.kind for c in course.cards} == {"basic", "cloze"}
    assert course.placement and all(
        p.start_lesson in {lesson.id for lesson in course.lessons} for p in course.placement
    )


def test_a_concepts_definition_is_what_its_lesson_says_it_is(seed_build: BuildResult) -> None:
    """The definition in course.json was an episode's first quote on the idea ("It used to be
    named Charleston East …" for machine learning); it is now the lesson's core quote, and the
    concept's first citation is the passage it quotes."""
    course = seed_build.course
    lesson_of = {cid: lesson for lesson in course.lessons for cid in lesson.concepts}
    for concept in course.concepts:
        core = lesson_of[concept.id].blocks
        blocks = [b for b in core if b.text.startswith(f"The core idea of {concept.name}")]
        assert blocks, concept.id
        assert f'"{concept.definition}"' in blocks[0].text
        assert concept.citations[0].sentence_ids == blocks[0].citations[0].sentence_ids
    ml = next(c for c in course.concepts if c.id == "machine-learning")
    assert "Charleston" not in ml.definition


def test_drops_are_recorded_with_reasons(seed_build: BuildResult) -> None:
    for item in seed_build.course.build.dropped:
        assert item.stage and item.item and item.reason


def test_rebuild_recomputes_nothing_and_is_byte_identical(seed_build: BuildResult) -> None:
    out = seed_build.course_path.parent
    before = _without_times(seed_build.course_path)
    again = build_course([SEEDS], out, BuildOptions(engine="extractive"))
    assert sum(again.recomputed.values()) == 0
    assert sum(again.reused.values()) > 0
    assert _without_times(again.course_path) == before


def test_fresh_build_elsewhere_is_deterministic(seed_build: BuildResult, tmp_path: Path) -> None:
    other = build_course([SEEDS], tmp_path / "again", BuildOptions(engine="extractive"))
    assert _without_times(other.course_path) == _without_times(seed_build.course_path)
    ours = json.loads(seed_build.course_path.read_text())
    theirs = json.loads(other.course_path.read_text())
    assert ours["build"]["timings"].keys() == theirs["build"]["timings"].keys()


def test_adding_an_episode_recomputes_only_its_concepts(tmp_path: Path) -> None:
    seeds = sorted(SEEDS.glob("*.txt"))
    four = build_course(seeds[:4], tmp_path / "c", BuildOptions(engine="extractive"))
    assert four.recomputed["concepts"] == 4
    five = build_course(seeds, tmp_path / "c", BuildOptions(engine="extractive"))
    assert five.recomputed["concepts"] == 1 and five.reused["concepts"] == 4
    assert five.recomputed["merge"] == 1
    log = json.loads((tmp_path / "c" / ".cache" / "last_build.json").read_text())
    assert [w["item"] for w in log["why"] if w["stage"] == "concepts"] == [seeds[4].stem.replace("_", "-")]
    why = {(w["stage"], w["item"]): w["reason"] for w in log["why"]}
    assert why[("concepts", seeds[4].stem.replace("_", "-"))].startswith("new")
    assert why[("merge", "all concepts")] == "its inputs changed since the previous build"


def test_course_id_is_fixed_once(tmp_path: Path) -> None:
    seeds = sorted(SEEDS.glob("*.txt"))[3:4]
    first = build_course(seeds, tmp_path, BuildOptions(engine="extractive", course_id="my-course"))
    again = build_course(seeds, tmp_path, BuildOptions(engine="extractive", title="A new title"))
    assert first.course.id == again.course.id == "my-course"
    assert again.course.title == "A new title"


@pytest.mark.parametrize("pattern", ["003-*", "003-9859fa03d6cc2246"])
def test_episodes_filter(tmp_path: Path, pattern: str) -> None:
    result = build_course([SEEDS], tmp_path, BuildOptions(engine="extractive", episodes=[pattern]))
    assert [e.id for e in result.course.episodes] == ["003-9859fa03d6cc2246"]


def test_deterministic_across_processes_and_hash_seeds(tmp_path: Path) -> None:
    """Set iteration order changes with PYTHONHASHSEED: nothing emitted may depend on it."""
    import os
    import subprocess
    import sys

    source = str(SEEDS / "003_9859fa03d6cc2246.txt")
    repo = str(Path(__file__).resolve().parents[2])
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"run{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        command = [sys.executable, "-m", "coursegen", "build", source, "--out", str(out), "--no-export"]
        subprocess.run(
            [*command, "--engine", "extractive"], cwd=repo, env=env, check=True, capture_output=True
        )
        outputs.append(_without_times(out / "course.json"))
    assert outputs[0] == outputs[1]


def test_moving_the_sources_keeps_the_per_episode_cache(tmp_path: Path) -> None:
    import shutil

    first_dir, second_dir = tmp_path / "a", tmp_path / "b"
    for folder in (first_dir, second_dir):
        folder.mkdir()
        shutil.copy(SEEDS / "003_9859fa03d6cc2246.txt", folder)
    build_course([first_dir], tmp_path / "out", BuildOptions(engine="extractive"))
    moved = build_course([second_dir], tmp_path / "out", BuildOptions(engine="extractive"))
    assert moved.reused["concepts"] == 1 and "concepts" not in moved.recomputed
