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


def test_without_a_difficulty_the_opening_poses_the_job_the_core_gives_the_concept() -> None:
    passages = [
        [
            "A replay buffer stores the transitions an agent has seen so it can train on them later.",
            "Prioritized replay samples the surprising transitions from the replay buffer more often.",
            "Prioritized replay makes the agent learn faster, because the surprising transitions "
            "carry the most signal for the value estimate.",
        ]
    ]
    concepts = [
        _concept("rb", "replay buffer", ["ep/p0/s0"]),
        _concept("pr", "prioritized replay", ["ep/p0/s1", "ep/p0/s2"], prerequisites=("rb",)),
    ]
    draft = _write(passages, concepts, "pr", taught_before=frozenset({"rb"}))
    # The job comes from the core quote, posed before the concept is explained; the rest of the
    # quote (why it works) is what the reveal adds.
    assert draft.problem.startswith("Suppose you needed something that makes the agent learn faster.")
    assert "It builds on replay buffer, from earlier lessons." in draft.problem
    assert "From earlier lessons you know" not in draft.problem
    assert "which part of that job" in draft.prediction


def test_a_job_that_is_the_whole_core_quote_does_not_open_the_lesson() -> None:
    passages = [["A replay buffer is this big store that keeps every transition the agent saw for later."]]
    draft = _write(passages, [_concept("rb", "replay buffer", ["ep/p0/s0"])], "rb")
    # Posed first, it would leave the reveal nothing to add: the learner guesses from the name.
    assert not draft.problem.startswith("Suppose you needed")
    assert "keeps every transition" not in draft.problem
    assert "keeps every transition" in draft.blocks[0].text


def test_the_last_resorts_ask_a_question_and_never_count_sentences() -> None:
    # A core that says no job and a statement using the concept: the statement, as a puzzle.
    passages = [
        ["The replay buffer is what made our agents stable enough to train overnight on the robot."],
        ["Each night the replay buffer gets refilled with the crashes from the test track and the arm."],
    ]
    draft = _write(passages, [_concept("rb", "replay buffer", ["ep/p0/s0", "ep/p1/s0"])], "rb")
    assert not re.search(r"comes up in \d+ sentences", draft.problem)
    assert draft.problem.startswith("Meet replay buffer in use first. A speaker says"), draft.problem
    core = draft.blocks[0].text.split('"')[1]
    assert core not in draft.problem
    # Nothing to quote but a passing mention: a question about its use, with no count.
    bare = _write(
        [["We talked about the replay buffer for a while before lunch, yes indeed."]],
        [_concept("rb", "replay buffer", ["ep/p0/s0"])],
        "rb",
    )
    assert bare.problem.startswith("Before the speakers' words, think about replay buffer:")
    assert bare.problem.rstrip().endswith("?")
    assert not re.search(r"\d+ sentences", bare.problem)


def test_a_difficulty_stated_just_before_the_evidence_opens_the_lesson() -> None:
    passages = [
        [
            "Training on each new transition once makes the agent forget rare events, which is hard to fix.",
            "A replay buffer stores the transitions an agent has seen so it can train on them later.",
        ],
        [
            "The problem with that is people will say it goes stale quickly.",
            "A replay buffer can be sampled uniformly for every minibatch of training.",
        ],
    ]
    draft = _write(passages, [_concept("rb", "replay buffer", ["ep/p0/s1", "ep/p1/s1"])], "rb")
    assert draft.problem.startswith("Start with the difficulty. Just before talking about replay buffer")
    assert "forget rare events" in draft.problem
    # A pain that points back at something not shown ("The problem with that") never opens it.
    alone = _write(passages[1:], [_concept("rb", "replay buffer", ["ep/p0/s1"])], "rb")
    assert "problem with that" not in alone.problem


def test_a_tag_question_stating_a_difficulty_opens_the_lesson_as_a_statement() -> None:
    passages = [
        [
            "A replay buffer stores the transitions an agent has seen so it can train on them later.",
            "And in robotics a replay buffer gets too large for the memory on board, right?",
        ]
    ]
    draft = _write(passages, [_concept("rb", "replay buffer", ["ep/p0/s0"])], "rb")
    assert "too large for the memory on board." in draft.problem
    assert "right?" not in draft.problem


def test_the_closest_of_several_difficulties_ties_the_sentence_to_the_concept() -> None:
    from coursegen.engines.extractive.lessons import _pain_about

    names = re.compile(r"\breplay buffers?\b", re.I)
    # The first difficulty is far from the name, the second right next to it.
    body = (
        "You can barely make it work on a small robot with a few hundred episodes of data in it, but "
        "there's no hope of a replay buffer this size on the arm."
    )
    assert _pain_about(body, names) is not None
    assert pain_strength("The hard part of a replay buffer is choosing what to drop.") > 1.0


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


def test_the_prediction_asks_a_guessable_question_the_core_answers() -> None:
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
    for draft in (first, second):
        # Never a word game: no key words to connect, no "one sentence using all three words".
        assert "connects with" not in draft.prediction and "words" not in draft.prediction
        core = draft.blocks[0].text.split('"')[1]
        # The reveal is the core's own answer (from the concept's name on), not the whole core.
        assert core not in draft.prediction_reveal
        assert "replay buffer" in draft.prediction_reveal.split('"')[1]
    assert first.prediction_reveal != second.prediction_reveal
    # A difficulty the concept itself has: the guess asks what it does and why it falls short.
    short = _write(
        [
            [
                "A replay buffer can't hold every transition of a long run on a small robot.",
                "A replay buffer keeps old transitions so the agent can train on them again later.",
            ]
        ],
        [_concept("rb", "replay buffer", ["ep/p0/s1"])],
        "rb",
    )
    assert "can't hold every transition" in short.problem
    assert "why might it fall short" in short.prediction
    assert "keeps old transitions" in short.prediction_reveal


def test_seed_openings_vary_and_quote_the_speakers(seed_build: BuildResult) -> None:
    lessons = seed_build.course.lessons
    openings = {re.sub(r'"[^"]*"|\(at [^)]*\)|\d+', "Q", lesson.problem.split(".")[0]) for lesson in lessons}
    assert len(openings) >= 6
    quoted = [lesson for lesson in lessons if 'A speaker says' in lesson.problem or '"' in lesson.problem]
    assert len(quoted) >= len(lessons) // 3
    assert not any("without stopping to define it" in lesson.problem for lesson in lessons)
    reveals = {lesson.prediction_reveal for lesson in lessons}
    assert len(reveals) == len(lessons)
    # No count template and no word game, and most lessons open on the speakers' own words.
    assert not any(re.search(r"comes up in \d+ sentences", lesson.problem) for lesson in lessons)
    assert not any("From earlier lessons you know" in lesson.problem for lesson in lessons)
    assert not any("connects with" in lesson.prediction for lesson in lessons)
    spoken = [
        lesson
        for lesson in lessons
        if "A speaker says" in lesson.problem
        or "speaker draws" in lesson.problem
        or "A question from the conversation" in lesson.problem
    ]
    assert len(spoken) >= len(lessons) // 2


def test_a_story_about_a_person_is_told_from_a_statement_about_the_concept() -> None:
    from coursegen.engines.extractive.lessons import _REPORTS_DOING, _REPORTS_SAYING

    def reports(text: str) -> bool:
        return bool(_REPORTS_DOING.search(text) or _REPORTS_SAYING.search(text))

    assert reports("He tried the replay buffer obviously with a few short examples.")
    assert reports("Reaction to Ilia saying that the replay buffer won't get us far.")
    assert reports("I was using the replay buffer for my thesis back then.")
    assert not reports("The replay buffer lets the agent learn again from rare events.")
    assert not reports("They store transitions so the agent can sample them later.")


def test_the_job_a_core_quote_gives_its_concept_is_read_from_its_usual_shapes() -> None:
    from coursegen.engines.extractive.framing import answer_part, job_of

    names = re.compile(r"\breplay buffers?\b", re.I)

    def needed(core: str) -> str | None:
        job = job_of(core, names)
        return job.needed if job is not None else None

    job = job_of("A replay buffer is this big store that keeps every transition for later.", names)
    assert job is not None and job.gives_away
    job = job_of("The replay buffer makes the agent learn faster, because rare events teach the most.", names)
    assert job is not None and not job.gives_away
    assert needed("The replay buffer lets the agent learn again from rare events it saw.") == (
        "a way to learn again from rare events it saw"
    )
    assert needed("A replay buffer is this big store that keeps every transition for later.") == (
        "a big store that keeps every transition for later"
    )
    assert needed("You have a small replay buffer module that basically keeps the latest transitions.") == (
        "something that keeps the latest transitions"
    )
    assert needed("What the replay buffer does is it keeps old transitions around for training.") == (
        "something that keeps old transitions around for training"
    )
    # A passing mention, a clause before the name, or a job that names the concept again: none.
    assert needed("We talked about the replay buffer for a while before lunch.") is None
    assert needed("I think that the replay buffer stores stuff.") is None
    assert needed("The replay buffer lets you fill the replay buffer again.") is None
    # The reveal's answer starts three words before the name, never at a quote's first word.
    assert answer_part("So honestly our small replay buffer keeps old transitions.", names) == (
        "… honestly our small replay buffer keeps old transitions"
    )
    short = answer_part("Our replay buffer keeps old transitions.", names)
    assert short == "… replay buffer keeps old transitions"


def test_a_question_the_core_does_not_answer_frames_the_lesson_without_a_pretend_answer() -> None:
    core = "A replay buffer keeps old transitions so the agent can train on them again later."
    # The question shares a word with the core ("transitions"): the core answers it.
    answered = _write(
        [["How many transitions should a replay buffer keep for a robot?", core]],
        [_concept("rb", "replay buffer", ["ep/p0/s1"])],
        "rb",
    )
    assert "is part of the answer" in answered.problem
    assert "answer the opening question" in answered.prediction
    assert answered.prediction_reveal.startswith("A speaker's answer")
    # Nothing in common but the name: the question frames the lesson, the reveal says no more.
    unrelated = _write(
        [["How much money should a lab spend on a replay buffer this year?", core]],
        [_concept("rb", "replay buffer", ["ep/p0/s1"])],
        "rb",
    )
    assert "How much money should a lab spend" in unrelated.problem
    assert "is part of the answer" not in unrelated.problem
    assert "answer the opening question" not in unrelated.prediction
    assert unrelated.prediction_reveal.startswith("What a speaker says about replay buffer")
