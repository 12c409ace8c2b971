"""How an extractive lesson opens and asks for a guess: a speaker's own statement of a difficulty
(cited to its moment), else what the learner already knows, else a true prompt; a core that says
what the concept is rather than a story about a person; a prediction the core quote answers."""

from __future__ import annotations

import re

from coursegen.engines.base import LessonContext
from coursegen.engines.extractive.lessons import write_lesson
from coursegen.engines.extractive.speech import pain_strength
from coursegen.engines.sources import SourceIndex
from coursegen.engines.types import Cite, ConceptGraph, GraphConcept, LessonDraft, LessonPlan
from coursegen.pipeline import BuildResult
from tests.pipeline.conftest import make_episode


def _concept(cid: str, name: str, evidence: list[str], prerequisites: tuple[str, ...] = ()) -> GraphConcept:
    return GraphConcept(
        id=cid,
        name=name,
        definition="",
        kind="technique",
        evidence=[Cite(episode="ep", sentence_ids=[sid]) for sid in evidence],
        prerequisites=list(prerequisites),
    )


def _write(
    passages: list[list[str]],
    concepts: list[GraphConcept],
    lesson: str,
    taught_before: frozenset[str] = frozenset(),
) -> LessonDraft:
    episode = make_episode("ep", passages)
    context = LessonContext(
        graph=ConceptGraph(concepts=concepts), sources=SourceIndex([episode]), taught_before=taught_before
    )
    plan = LessonPlan(id=lesson, position=len(taught_before), level=1, concepts=[lesson])
    return write_lesson(plan, context)


def test_pain_strength_tells_a_difficulty_from_a_task_and_a_denial() -> None:
    assert pain_strength("A replay buffer can't hold every transition of a long run.") > 1.0
    assert pain_strength("The problem with a replay buffer is that it goes stale.") > 1.0
    assert pain_strength("We used a replay buffer while solving a math problem in class.") == 0.0
    assert pain_strength("The replay buffer is not bottlenecked on memory at all.") == 0.0
    assert pain_strength("A replay buffer stores transitions for later training.") == 0.0


def test_a_difficulty_said_anywhere_in_the_episode_opens_the_lesson_before_a_question() -> None:
    passages = [
        [
            "How big should the replay buffer be for this kind of robot?",
            "A replay buffer stores the transitions an agent has seen so it can train on them later.",
        ],
        [
            "We had a long day in the lab.",
            "A small replay buffer can't hold the rare events the agent needs.",
        ],
    ]
    draft = _write(passages, [_concept("rb", "replay buffer", ["ep/p0/s1"])], "rb")
    # Not among the evidence, but said in the cited episode, about the concept, outright.
    assert "can't hold the rare events" in draft.problem
    assert draft.problem.startswith("Start with what is missing")
    assert "(at 0:12" in draft.problem


def test_without_a_difficulty_the_opening_builds_on_what_the_learner_knows() -> None:
    passages = [
        [
            "A replay buffer stores the transitions an agent has seen so it can train on them later.",
            "Prioritized replay samples the surprising transitions from the replay buffer more often.",
            "Prioritized replay makes the agent learn faster from the transitions it got most wrong.",
        ]
    ]
    concepts = [
        _concept("rb", "replay buffer", ["ep/p0/s0"]),
        _concept("pr", "prioritized replay", ["ep/p0/s1", "ep/p0/s2"], prerequisites=("rb",)),
    ]
    draft = _write(passages, concepts, "pr", taught_before=frozenset({"rb"}))
    assert draft.problem.startswith("From earlier lessons you know replay buffer.")
    assert "It builds on" not in draft.problem  # said once, not twice
    first = _write(passages, concepts[:1], "rb")
    # The last resort states only what is true: how often the speakers name it.
    assert first.problem.startswith("Replay buffer comes up in 2 sentences")
    assert "without stopping to define it" not in first.problem


def test_core_prefers_what_the_concept_does_over_an_anecdote_and_a_run_on() -> None:
    passages = [
        [
            "He tried the replay buffer obviously with a few short examples from the old game.",
            "The replay buffer is used to serve we train small agents even smaller agents then larger.",
            "The replay buffer lets the agent learn again from rare events it saw long ago.",
        ]
    ]
    draft = _write(passages, [_concept("rb", "replay buffer", ["ep/p0/s0", "ep/p0/s1", "ep/p0/s2"])], "rb")
    assert draft.blocks[0].cites[0].sentence_ids == ["ep/p0/s2"]


def test_the_prediction_asks_what_the_core_answers_and_the_reveal_differs_per_lesson() -> None:
    first = _write(
        [["With the replay buffer we reuse old transitions to train the policy many more times."]],
        [_concept("rb", "replay buffer", ["ep/p0/s0"])],
        "rb",
    )
    second = _write(
        [["With a replay buffer you sample minibatches uniformly, which decorrelates consecutive updates."]],
        [_concept("rb", "replay buffer", ["ep/p0/s0"])],
        "rb",
    )
    keys = re.findall(r'"(\w+)"', first.prediction)
    assert len(keys) == 2 and all(k in first.blocks[0].text for k in keys)
    assert first.prediction_reveal != second.prediction_reveal
    for draft in (first, second):
        core = draft.blocks[0].text.split('"')[1]
        assert core not in draft.prediction_reveal


def test_seed_openings_vary_and_quote_the_speakers(seed_build: BuildResult) -> None:
    lessons = seed_build.course.lessons
    openings = {re.sub(r'"[^"]*"|\(at [^)]*\)|\d+', "Q", lesson.problem.split(".")[0]) for lesson in lessons}
    assert len(openings) >= 6
    quoted = [lesson for lesson in lessons if 'A speaker says' in lesson.problem or '"' in lesson.problem]
    assert len(quoted) >= len(lessons) // 3
    assert not any("without stopping to define it" in lesson.problem for lesson in lessons)
    reveals = {lesson.prediction_reveal for lesson in lessons}
    assert len(reveals) == len(lessons)


def test_a_story_about_a_person_is_told_from_a_statement_about_the_concept() -> None:
    from coursegen.engines.extractive.lessons import _REPORTS_DOING, _REPORTS_SAYING

    def reports(text: str) -> bool:
        return bool(_REPORTS_DOING.search(text) or _REPORTS_SAYING.search(text))

    assert reports("He tried the replay buffer obviously with a few short examples.")
    assert reports("Reaction to Ilia saying that the replay buffer won't get us far.")
    assert reports("I was using the replay buffer for my thesis back then.")
    assert not reports("The replay buffer lets the agent learn again from rare events.")
    assert not reports("They store transitions so the agent can sample them later.")
