"""Every build applies coursegen.toml's overrides, and they survive the next regeneration."""

from __future__ import annotations

import shutil
from pathlib import Path

from coursegen.engines.types import ConceptGraph, GraphConcept
from coursegen.ir import Concept, Course
from coursegen.overrides import Overrides, apply_concept_overrides
from coursegen.pipeline import BuildOptions, build_course
from coursegen.regen import Regeneration, keep_previous_concept_ids

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
MAIN_SEEDS = ("003_9859fa03d6cc2246.txt", "001_af2919b8cbad29d8.txt")
OTHER_SEED = "002_06453bb8a140ced2.txt"


def test_build_applies_overrides_and_they_survive_regeneration(tmp_path: Path) -> None:
    sources, out = tmp_path / "src", tmp_path / "course"
    sources.mkdir()
    for name in MAIN_SEEDS:
        shutil.copy(SEEDS / name, sources / name)
    first = build_course([sources], out, BuildOptions(engine="extractive")).course
    assert len(first.concepts) >= 3
    renamed, excluded = first.concepts[0].id, first.concepts[1].id
    settings = f"""
[course]
title = "Frontier research, abridged"

[overrides]
exclude_episodes = ["002-06453bb8a140ced2"]
exclude_concepts = ["{excluded}"]
rename_concepts = {{ {renamed} = "Experiments (the research loop)" }}
"""
    (out / "coursegen.toml").write_text(settings, encoding="utf-8")
    shutil.copy(SEEDS / OTHER_SEED, sources / OTHER_SEED)  # excluded: must change nothing
    second = build_course([sources], out, BuildOptions(engine="extractive")).course
    # Then the instructor locks one card's wording.
    locked = second.cards[0]
    settings += f"""
[overrides.lock_cards."{locked.identity}"]
front = "In your own words: why does this matter?"
"""
    (out / "coursegen.toml").write_text(settings, encoding="utf-8")
    second = build_course([sources], out, BuildOptions(engine="extractive")).course

    assert [e.id for e in second.episodes] == [e.id for e in first.episodes]
    assert second.title == "Frontier research, abridged" and second.id == first.id
    assert excluded not in {c.id for c in second.concepts}
    assert excluded not in {c.concept for c in second.cards} | {q.concept for q in second.questions}
    assert all(excluded not in lesson.concepts for lesson in second.lessons)
    concept = next(c for c in second.concepts if c.id == renamed)
    assert concept.name == "Experiments (the research loop)"
    assert first.concepts[0].name in concept.aliases
    card = next(c for c in second.cards if c.identity == locked.identity)
    assert card.front == "In your own words: why does this matter?"
    assert "excluded episode 002-06453bb8a140ced2" in second.build.overrides
    assert f"excluded concept {excluded}" in second.build.overrides
    assert any(line.startswith(f"renamed concept {renamed}") for line in second.build.overrides)
    assert any(line.startswith("locked wording of card") for line in second.build.overrides)
    changes_md = (out / "changes.md").read_text(encoding="utf-8")
    assert "## Instructor overrides applied" in changes_md and f"excluded concept {excluded}" in changes_md

    # The next build regenerates everything from the cache and keeps every override; nothing
    # changed, so the report of the last change stays as it was.
    reported = (out / "changes.json").read_bytes()
    third = build_course([sources], out, BuildOptions(engine="extractive"))
    assert third.course.model_dump(exclude={"build"}) == second.model_dump(exclude={"build"})
    assert third.changes is not None and third.changes.empty and third.changes.last_report_kept
    assert (out / "changes.json").read_bytes() == reported


def test_course_id_is_fixed_once(tmp_path: Path) -> None:
    previous = Course(id="kept-id", title="Kept title")

    def regen(flag: str | None, toml_id: str | None, prev: Course | None) -> str:
        start = Regeneration.start(tmp_path, course_id=flag, config=tmp_path / "none.toml")
        start.previous = prev
        start.settings.id = toml_id
        return start.course_id("Some Title")

    assert regen("flag-id", "toml-id", previous) == "flag-id"
    assert regen(None, "toml-id", previous) == "toml-id"
    assert regen(None, None, previous) == "kept-id"
    assert regen(None, None, None) == "some-title"


def test_prerequisite_overrides_refuse_a_cycle() -> None:
    concepts = [
        Concept(id="a", name="A", definition="d"),
        Concept(id="b", name="B", definition="d", prerequisites=["a"]),
        Concept(id="c", name="C", definition="d", prerequisites=["b"]),
    ]
    overrides = Overrides(add_prerequisites=[("a", "c"), ("c", "a")], remove_prerequisites=[("b", "a")])
    kept, log = apply_concept_overrides(concepts, overrides)
    by_id = {c.id: c for c in kept}
    assert by_id["b"].prerequisites == [] and "removed prerequisite a of b" in log
    # With b no longer needing a, "a needs c" is fine; then "c needs a" would close a loop.
    assert by_id["a"].prerequisites == ["c"]
    assert by_id["c"].prerequisites == ["b"]
    assert "add_prerequisites: [c, a] would make a cycle; skipped" in log
    assert concepts[1].prerequisites == ["a"], "the input list is not modified"


def test_merge_renaming_a_concept_keeps_its_previous_id() -> None:
    old_concept = Concept(id="neural-nets", name="neural nets", definition="d")
    previous = Course(id="c", title="T", concepts=[old_concept])
    graph = ConceptGraph(
        concepts=[
            GraphConcept(id="neural-network", name="neural network", aliases=["neural nets"], definition="d"),
            GraphConcept(id="training", name="training", definition="d", prerequisites=["neural-network"]),
        ],
        merged=[("neural-network", "neural nets")],
    )
    kept, log = keep_previous_concept_ids(graph, previous)
    assert [c.id for c in kept.concepts] == ["neural-nets", "training"]
    assert kept.concepts[1].prerequisites == ["neural-nets"]
    assert kept.merged == [("neural-nets", "neural nets")]
    assert log == [
        "“neural network” keeps the id neural-nets (a merge renamed the concept; its cards update in place)"
    ]
    # Without a previous course, or when the id still exists, nothing moves.
    assert keep_previous_concept_ids(graph, None)[0] is graph


def test_excluding_every_episode_is_a_clear_error(tmp_path: Path) -> None:
    import pytest

    from coursegen.errors import ConfigError

    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(SEEDS / OTHER_SEED, src / OTHER_SEED)
    config = tmp_path / "coursegen.toml"
    config.write_text('[overrides]\nexclude_episodes = ["002-06453bb8a140ced2"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="excludes every episode"):
        build_course([src], tmp_path / "out", BuildOptions(engine="extractive", config=config))
    assert not (tmp_path / "out" / "course.json").exists()
