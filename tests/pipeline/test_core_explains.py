"""A lesson's core quote and a concept's definition explain the idea: a definition or what the
idea does wins over a price, an aside, a verdict, a list item or a garbled caption."""

from __future__ import annotations

import re

from coursegen.engines.base import LessonContext
from coursegen.engines.extractive.concepts import extract_concepts
from coursegen.engines.extractive.defining import asks_what, explains_idea
from coursegen.engines.extractive.lessons import write_lesson
from coursegen.engines.extractive.text import known_word
from coursegen.engines.sources import SourceIndex
from coursegen.engines.types import Cite, ConceptGraph, GraphConcept, LessonPlan
from scripts.core_report import anywhere, says_what
from tests.pipeline.conftest import make_episode
from tests.pipeline.test_assertions import _episode
from tests.pipeline.test_lesson_reading import _cited, _lesson

BUFFER = re.compile(r"\breplay buffers?\b", re.I)

DEFINITION = "A replay buffer is a store of past transitions that the agent samples from when it trains."


def test_a_definition_or_what_the_idea_does_counts_for_a_sentence() -> None:
    explaining = [
        DEFINITION,
        "The idea of a replay buffer is to keep old transitions around for later training.",
        "The replay buffer, which keeps every transition, is sampled at random during training.",
        "The replay buffer lets the agent revisit old transitions many times during training.",
        "With a replay buffer you can sample old experience in a random order.",
        "They don't have a replay buffer. You can't just replay a rare event and learn from it again.",
        "So what a replay buffer does is it keeps the moves that worked and samples them again.",
        "So the replay buffer, it's a table of past moves that the agent samples from.",
        "The agent keeps a replay buffer that holds every transition it has seen so far.",
    ]
    for sentence in explaining:
        assert explains_idea(sentence, BUFFER) >= 1.5, sentence
    assert explains_idea(DEFINITION, BUFFER) > explains_idea(explaining[3], BUFFER)


def test_a_passing_mention_counts_against_a_sentence() -> None:
    passing = [
        # a price or a count of the idea
        "The only reason is the price, since nobody would pay a dollar a replay buffer for it.",
        "You can now store millions of replay buffers on one cheap machine these days.",
        # an aside in a subordinate clause, or the complement closing a sentence about something else
        "That's gonna be a big engineering challenge because the naive replay buffer is quite slow.",
        "That exploration process was developed by gradient steps on the replay buffer.",
        # a verdict, a list, the modifier of another noun, an opinion
        "The replay buffer is terrible.",
        "Replay buffer is lacking or the reward model is lacking.",
        "We can now do things like the replay buffer and so on.",
        "It is a busy building because a lot of replay buffer researchers work in there.",
        # a property of something else measured in it
        "One thing current robots do is give all the arms roughly the same replay buffer cost.",
        "I believe the replay buffer will be the solution to a lot of these issues.",
        # a restart and a caption cut off
        "Maybe the way I put it is the replay buffer is what I've as I've said it before.",
        "Then so mind the only reason for the replay buffer is price and so if there's things yeah",
    ]
    for sentence in passing:
        assert explains_idea(sentence, BUFFER) < 0, sentence
    # A verdict after "which" is no apposition.
    assert explains_idea("Unless you use a replay buffer, which is all nice and fun.", BUFFER) < 1.5


def test_a_question_asking_what_the_idea_is() -> None:
    assert asks_what("So what is a replay buffer?", BUFFER)
    assert asks_what("What does the replay buffer actually do?", BUFFER)
    assert not asks_what("Is the replay buffer big enough?", BUFFER)
    assert not asks_what("What is a replay buffer", BUFFER)  # no question mark: a statement


def test_a_prefixed_compound_is_a_word_not_a_transcription_error() -> None:
    assert known_word("upweighted") and known_word("posttraining") and known_word("model")
    assert not known_word("microat") and not known_word("metalarns")


def test_core_prefers_the_definition_over_a_price_and_an_aside() -> None:
    passages = [
        [
            "The only reason is the price, since nobody would pay a dollar a replay buffer for it.",
            "That's gonna be a big engineering challenge because the naive replay buffer is quite slow.",
            "So what a replay buffer does is it keeps the moves that worked and samples them again.",
        ]
    ]
    draft = _lesson(passages, ["ep/p0/s0", "ep/p0/s1", "ep/p0/s2"])
    assert _cited(draft) == ["ep/p0/s2"]


def test_core_prefers_the_answer_to_a_question_asking_what_the_idea_is() -> None:
    passages = [
        ["A replay buffer sat on the robot arm for about three weeks in the lab."],
        [
            "So what is a replay buffer?",
            "Our replay buffer sat on a disk next to the robot arm for about three weeks.",
        ],
    ]
    draft = _lesson(passages, ["ep/p0/s0", "ep/p1/s1"])
    assert _cited(draft)[-1] == "ep/p1/s1"


def test_core_takes_the_pair_whose_second_sentence_explains_the_idea() -> None:
    passages = [
        ["The replay buffer came up again and again in our robot lab meetings last year."],
        [
            "We added a replay buffer to the robot controller in the second version.",
            "It stores every transition so the learner can sample old experience in random order.",
        ],
    ]
    draft = _lesson(passages, ["ep/p0/s0", "ep/p1/s0"])
    assert _cited(draft) == ["ep/p1/s0", "ep/p1/s1"]


def test_core_passes_over_a_quote_about_another_idea_of_the_course() -> None:
    passages = [
        [
            "The reward model process is shaped by gradient steps taken on replay buffer data.",
            "I keep a replay buffer beside the robot controller for the runs we do later.",
        ]
    ]
    episode = make_episode("ep", passages)
    buffer = GraphConcept(
        id="replay-buffer",
        name="replay buffer",
        definition="",
        evidence=[Cite(episode="ep", sentence_ids=[sid]) for sid in ("ep/p0/s0", "ep/p0/s1")],
    )
    reward = GraphConcept(id="reward-model", name="reward model", definition="")
    context = LessonContext(
        graph=ConceptGraph(concepts=[reward, buffer]),
        sources=SourceIndex([episode]),
        taught_before=frozenset(["reward-model"]),
    )
    plan = LessonPlan(id="replay-buffer", position=1, level=1, concepts=["replay-buffer"])
    draft = write_lesson(plan, context)
    assert [sid for cite in draft.blocks[0].cites for sid in cite.sentence_ids] == ["ep/p0/s1"]


def test_core_report_rule() -> None:
    assert says_what(DEFINITION, BUFFER)
    assert says_what("The replay buffer lets the agent revisit old transitions many times.", BUFFER)
    assert not says_what("You can now store millions of replay buffers on one cheap machine.", BUFFER)
    assert not says_what("The replay buffer is terrible.", BUFFER)


def test_core_report_finds_the_sentences_that_could_be_a_core_anywhere() -> None:
    course = {
        "concepts": [
            {"name": "replay buffer", "aliases": []},
            {"name": "reward model", "aliases": []},
        ],
        "episodes": [
            {
                "passages": [
                    {
                        "sentences": [
                            {"text": "The replay buffer is terrible."},
                            {"text": DEFINITION},
                            {"text": "We trained a reward model last year for the robots."},
                        ]
                    }
                ]
            }
        ],
    }
    assert anywhere(course) == [("replay buffer", 1, DEFINITION), ("reward model", 0, "")]


def test_the_definition_is_what_lacking_the_idea_costs_not_an_aside() -> None:
    lines = [
        "Our sparse routing team sits on the third floor of the building near the kitchen.",
        "Without sparse routing you can't grow a layer past a few experts before the cost explodes.",
        "The gradient flows back through the chosen experts and the router during the training run.",
        "We measured sparse routing against the dense baseline on the translation benchmark twice.",
        "The sparse routing layer picks two experts per token in most layers of our larger models.",
        "The balancing loss keeps the router from sending every token to the same expert.",
    ] * 3
    concepts = extract_concepts(_episode(lines)).concepts
    sparse = next(c for c in concepts if c.key == "sparse-routing")
    assert sparse.definition == lines[1]
