"""A lesson presents the idea as a speaker holds it: not an argument the next speaker disputes or
one made of the listener's words, not praise, and with the sentences that say what it does."""

from __future__ import annotations

from coursegen.engines.base import LessonContext
from coursegen.engines.extractive.assertions import AssertionIndex
from coursegen.engines.extractive.lessons import write_lesson
from coursegen.engines.sources import SourceIndex
from coursegen.engines.types import Cite, ConceptGraph, GraphConcept, LessonDraft, LessonPlan
from tests.pipeline.conftest import make_episode


def _lesson(passages: list[list[str]], evidence: list[str], name: str = "replay buffer") -> LessonDraft:
    episode = make_episode("ep", passages)
    concept = GraphConcept(
        id="idea",
        name=name,
        definition="",
        evidence=[Cite(episode="ep", sentence_ids=[sid]) for sid in evidence],
    )
    context = LessonContext(graph=ConceptGraph(concepts=[concept]), sources=SourceIndex([episode]))
    return write_lesson(LessonPlan(id="idea", position=0, level=1, concepts=["idea"]), context)


def _core(draft: LessonDraft) -> str:
    return draft.blocks[0].text


DISPUTED = [
    [
        "We get the basic perception for free with the large models we have today.",
        "So a replay buffer will just be like moving the same agent to a new game which is easy.",
    ],
    [
        "Yeah.",
        "Basically I'm not 100% sure if I fully agree with that.",
        "I still think there are big gaps in what we are getting for free.",
        "Whereas a replay buffer is a store of past transitions the agent samples to relearn rare events.",
    ],
]


def test_the_next_speakers_disagreement_marks_the_argument_and_its_answer() -> None:
    index = AssertionIndex(make_episode("ep", DISPUTED), cased=True)
    assert index.answered_for_listener(["ep/p0/s1"])
    assert not index.answered_for_listener(["ep/p1/s3"])
    assert "ep/p1/s3" in index.answers(["ep/p0/s1"])
    # Agreement or a plain reply disputes nothing.
    agreed = [DISPUTED[0], ["Yeah.", "I agree, and it also keeps the training stable."]]
    assert not AssertionIndex(make_episode("ep", agreed), cased=True).answered_for_listener(["ep/p0/s1"])


def test_a_disputed_argument_gives_way_to_the_answer() -> None:
    draft = _lesson(DISPUTED, ["ep/p0/s1"])
    assert "store of past transitions" in _core(draft)
    assert "new game" not in " ".join(b.text for b in draft.blocks)


def test_an_argument_made_of_the_listeners_words_is_not_the_core() -> None:
    passages = [
        [
            "It's very interesting to hear you say that the replay buffer matters so much.",
            "If you had to train without a replay buffer for a year, it would be much harder to ship.",
        ],
        [
            "A replay buffer is a store of past experiences that the agent samples from when it trains.",
        ],
    ]
    index = AssertionIndex(make_episode("ep", passages), cased=True)
    assert index.answered_for_listener(["ep/p0/s1"])
    draft = _lesson(passages, ["ep/p0/s1", "ep/p1/s0"])
    assert "store of past experiences" in _core(draft)


def test_praise_gives_way_to_what_the_idea_does() -> None:
    passages = [
        [
            "Those early replay buffers, there's the magic in that, this is doing something extremely cool.",
            "We ran the robot in the lab for weeks and the results were good.",
        ],
        ["The replay buffer stores old transitions so the learner can sample them again in random order."],
    ]
    draft = _lesson(passages, ["ep/p0/s0", "ep/p1/s0"])
    assert "stores old transitions" in _core(draft)


def test_the_core_goes_on_to_what_the_idea_does_under_a_split_spelling() -> None:
    passages = [
        [
            "The middle way is you still write the code yourself but you use the autocomplete of models.",
            "So when you start writing a piece of it it will auto complete for you and you can tap through.",
            "Sometimes it's wrong and you edit it but you are still the architect of what you write.",
        ]
    ]
    draft = _lesson(passages, ["ep/p0/s0"], name="autocomplete")
    assert "tap through" in _core(draft)
    assert draft.blocks[0].cites[0].sentence_ids == ["ep/p0/s0", "ep/p0/s1"]


def test_a_further_point_does_not_open_on_a_demonstrative_closing_its_phrase() -> None:
    passages = [
        [
            "A replay buffer is a store of past experiences that the agent samples from when it trains.",
            "The replay buffer keeps rare transitions around so the policy can learn from them again later.",
        ],
        ["So we have a little bit of that and replay buffer agents, but it is still very structured."],
    ]
    draft = _lesson(passages, ["ep/p0/s0", "ep/p0/s1", "ep/p1/s0"])
    assert "little bit of that" not in " ".join(b.text for b in draft.blocks)


def test_a_short_passing_mention_is_no_further_quote_and_a_core_does_not_point_back() -> None:
    passages = [
        [
            "A replay buffer is a store of past experiences that the agent samples from when it trains.",
            "The replay buffer keeps rare transitions around so the policy can learn from them again later.",
        ],
        ["The first replay buffer paper, you could just look at the data."],
    ]
    shown = " ".join(b.text for b in _lesson(passages, ["ep/p0/s0", "ep/p0/s1", "ep/p1/s0"]).blocks)
    assert "first replay buffer paper" not in shown
    pointing = [
        ["You can also view this as something that is happening in the replay buffer at the module level."],
        ["There may be ways to get the benefits with a versioned kind of replay buffer for each new task."],
    ]
    assert "view this as" not in _core(_lesson(pointing, ["ep/p0/s0", "ep/p1/s0"]))


def test_the_core_does_not_carry_on_into_talk_about_the_speaker() -> None:
    passages = [
        [
            "A replay buffer is a store of past experiences that the agent samples from when it trains.",
            "And so that's why I think this also changes my timelines from that perspective.",
        ]
    ]
    draft = _lesson(passages, ["ep/p0/s0"])
    assert draft.blocks[0].cites[0].sentence_ids == ["ep/p0/s0"]
