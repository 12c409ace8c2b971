"""A lesson's core is a sentence a learner can take for the idea, and lessons are of even length:
no caption seam and no idea taught later in the core, at most MAX_LESSON_BLOCKS blocks (a cap not
yet lowered: see lessons.py), and a second block for a lesson that would show only its core when
the evidence holds a fair one."""

from __future__ import annotations

import pytest

from coursegen.engines.extractive import lessons
from coursegen.engines.types import Cite, GraphConcept, LessonDraft
from tests.pipeline.test_lesson_reading import _cited, _lesson

DEFINITION = "A replay buffer is a store of past transitions that the agent samples from when it trains."


def test_a_caption_seam_is_no_core() -> None:
    # Rolling captions end each cue with a period: the definition below is cue ends stitched
    # together ("is a. store of past"), and reads as a better definition than the plain report.
    passages = [
        ["So the replay buffer is a. store of past transitions that the agent. samples from when it trains."],
        ["We added a replay buffer to the robot controller in the second version of the system."],
    ]
    draft = _lesson(passages, ["ep/p0/s0", "ep/p1/s0"])
    assert _cited(draft) == ["ep/p1/s0"]
    assert all(". store" not in block.text for block in draft.blocks)


def _with_later_idea(passages: list[list[str]], evidence: list[str]) -> LessonDraft:
    """The replay buffer lesson of a course that teaches the reward model only later."""
    reward = GraphConcept(id="reward-model", name="reward model", definition="")
    return _lesson(passages, evidence, others=(reward,))


def test_the_core_avoids_an_idea_taught_later_when_another_candidate_exists() -> None:
    passages = [
        ["A replay buffer is a store of past transitions that the reward model samples from when it trains."],
        ["The replay buffer keeps rare transitions around so the policy can learn from them again later."],
    ]
    draft = _with_later_idea(passages, ["ep/p0/s0", "ep/p1/s0"])
    assert _cited(draft) == ["ep/p1/s0"]
    # With no other candidate, the core still names it: a lesson needs a core.
    alone = _with_later_idea(passages[:1], ["ep/p0/s0"])
    assert _cited(alone) == ["ep/p0/s0"]


def test_a_lesson_shown_only_its_core_gets_a_fair_short_second_point() -> None:
    passages = [
        [DEFINITION],
        # Four content words besides the name: below the usual bar for a further point.
        ["The replay buffer was first used by robot labs back in the early nineties."],
        # A short passing mention and a list that trails off are no second point.
        ["The first replay buffer paper, you could just look at the data."],
    ]
    draft = _lesson(passages, ["ep/p0/s0", "ep/p1/s0", "ep/p2/s0"])
    assert len(draft.blocks) == 2
    assert _cited(draft, 1) == ["ep/p1/s0"]
    listed = [[DEFINITION], ["A robot spitting out the next replay buffer and the next robot and whatever."]]
    assert len(_lesson(listed, ["ep/p0/s0", "ep/p1/s0"]).blocks) == 1


def test_a_lesson_holds_at_most_max_lesson_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    passages = [
        [DEFINITION],
        ["The replay buffer lets the agent learn again from rare transitions it met long before."],
        ["A replay buffer breaks the correlation between consecutive samples drawn during training."],
        ["Prioritised sampling from the replay buffer replays surprising transitions more often."],
    ]
    cited = ["ep/p0/s0", "ep/p1/s0", "ep/p2/s0", "ep/p3/s0"]
    assert len(_lesson(passages, cited).blocks) >= 3
    monkeypatch.setattr(lessons, "MAX_LESSON_BLOCKS", 2)
    assert len(_lesson(passages, cited).blocks) == 2


LONG_EXPLAINING = (
    "The replay buffer is acting as a store of the past transitions that the agent can sample again "
    "whenever it trains and then having that store besides being a cool thing to build of course we "
    "love to fill it with all sorts of different episodes and situations from many robots and so on very "
    "rigidly in the lab every day while the team tries out new robot arms, new cameras, new grippers "
    "and a whole new simulator for the warehouse."
)


def test_a_long_core_is_shown_up_to_its_first_thought() -> None:
    # Too long to be a core whole; its first thought says what the idea is.
    passages = [[LONG_EXPLAINING], ["I guess a pure aspect of the replay buffer would be memory."]]
    draft = _lesson(passages, ["ep/p0/s0", "ep/p1/s0"])
    assert _cited(draft) == ["ep/p0/s0"]
    core = draft.blocks[0]
    assert "store of the past transitions that the agent can sample again whenever it trains …" in core.text
    assert "cool thing" not in core.text
    # The citation keeps the whole sentence: the shown words are its first ones.
    assert core.cites[0].sentence_ids == ["ep/p0/s0"]


def test_first_thought_leaves_short_sentences_and_lists_alone() -> None:
    names_it = lessons.re.compile(r"\breplay buffer\b")
    short = "The replay buffer keeps rare transitions around so the policy can learn from them again later."
    assert lessons._first_thought(short, names_it) == short
    # "and so on" closes a list; it starts no new thought.
    assert not lessons._first_thought(LONG_EXPLAINING, names_it).endswith("and so …")


def test_a_run_on_is_no_core_while_another_candidate_exists() -> None:
    passages = [
        # It scores better than the other: it reads like a definition ("X is used to ...").
        [
            "The replay buffer is used to serve we train small models even smaller models then trying to "
            "train robots."
        ],
        ["In the second version of the robot, a necessary part of it was a bigger replay buffer."],
    ]
    draft = _lesson(passages, ["ep/p0/s0", "ep/p1/s0"])
    assert _cited(draft) == ["ep/p1/s0"]


def test_a_quote_cut_inside_a_phrase_is_no_core_while_another_candidate_exists() -> None:
    names_it = lessons.re.compile(r"\breplay buffer\b")
    cut = "Problem that can be much more distributed than the large replay buffer that the robots fill."
    assert lessons._starts_mid_phrase(cut, names_it)
    assert not lessons._starts_mid_phrase("Replay buffer that grows keeps every transition.", names_it)
    assert not lessons._starts_mid_phrase("The replay buffer that grows keeps every transition.", names_it)
    passages = [
        [cut],
        ["In the second version of the robot, a necessary part of it was a bigger replay buffer."],
    ]
    draft = _lesson(passages, ["ep/p0/s0", "ep/p1/s0"])
    assert _cited(draft) == ["ep/p1/s0"]


def _concept(name: str, *aliases: str) -> GraphConcept:
    return GraphConcept(id=name.replace(" ", "-"), name=name, aliases=list(aliases), definition="")


def test_the_core_block_gives_the_other_name_the_speakers_use() -> None:
    # Merge joins "weights" to "parameter" from how the speakers use both: a learner who meets
    # "weights" in a quote or a question must know it is this idea (newcomers asked for it).
    cite = Cite(episode="ep", sentence_ids=["ep/p0/s0"])
    block = lessons._core_block(_concept("parameter", "parameters", "weight", "weights"), cite, "Quoted.")
    assert (
        block.text
        == 'The core idea of parameter (the speakers also say "weights"), as a speaker puts it: "Quoted."'
    )
    assert lessons._also_called(_concept("neural network", "neural net", "neural nets")) == "neural nets"


@pytest.mark.parametrize(
    "concept",
    [
        _concept("scaling", "scale", "scaled"),
        _concept("token", "tokens"),
        _concept("language model", "large language model"),
    ],
)
def test_a_form_of_the_name_is_no_other_name(concept: GraphConcept) -> None:
    assert lessons._also_called(concept) is None
    cite = Cite(episode="ep", sentence_ids=["ep/p0/s0"])
    assert "also say" not in lessons._core_block(concept, cite, "Quoted.").text
