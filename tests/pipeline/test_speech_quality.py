"""Sentence choice and course wording of the extractive engine: statements over chatter."""

from __future__ import annotations

import re

from coursegen.engines.extractive.assessment import _negate, _other_word, deletable_words
from coursegen.engines.extractive.speech import clean_lead, frame, is_pain, statement_score
from coursegen.engines.types import GraphConcept

RL = re.compile(r"\breinforcement learning\b", re.IGNORECASE)


def test_clean_lead_drops_openers_but_keeps_short_sentences_whole() -> None:
    assert clean_lead("Yeah, right, yeah, the beautiful thing about it is memory.") == (
        "The beautiful thing about it is memory."
    )
    assert clean_lead("So I mean, reinforcement learning is bad.") == "Reinforcement learning is bad."
    assert clean_lead("Yeah, I mean, sure.") == "Yeah, I mean, sure."  # nothing left worth showing


def test_a_clear_definition_outranks_chatter_questions_and_fragments() -> None:
    definition = "Reinforcement learning is a way to train a model from rewards instead of examples."
    chatty = "I I think they do something like yeah you know reinforcement learning is like kind of bad."
    question = "So how do you think about reinforcement learning these days?"
    fragment = "Given breakthrough in like reinforcement learning"
    meta = "We talked about reinforcement learning and what's going to make it usable."
    best = statement_score(definition, RL)
    for other in (chatty, question, fragment, meta):
        assert statement_score(other, RL) < best, other


def test_frames_follow_what_a_sentence_does() -> None:
    assert frame("For example, a robot gets a reward when it stacks a block.", "RL").startswith("An example")
    assert frame("It works because the reward is sparse.", "RL").startswith("A speaker's reasoning")
    assert frame("It took 10 times more compute.", "RL").startswith("A concrete figure")
    # A year or a number of speech is no figure (readers: "a concrete figure with no figure").
    assert frame("We expect it all in 2030.", "RL") == "Another point about RL"
    assert frame("RL, search, hardware and there's like a thousand more.", "RL") == "Another point about RL"
    # "Problem" as a task set is no difficulty.
    task = "You're given a math problem and you try lots of things in RL."
    assert frame(task, "RL") == "Another point about RL"
    assert frame("The problem with RL is the noise.", "RL").startswith("A difficulty")
    assert is_pain("The bottleneck is research.") and not is_pain("It goes well.")
    # "in practice" only for a sentence about using it; "not" is a contrast, "but" a caveat.
    assert frame("We trained it on every robot we had.", "RL") == "RL in practice"
    assert frame("It just got around, thankfully.", "RL") == "Another point about RL"
    assert frame("A knowledge base is not like training weights.", "RL").startswith("A contrast")
    assert frame("It learns, but slowly.", "RL").startswith("A caveat")


def test_false_twin_turns_the_main_verb_only_when_safe() -> None:
    assert _negate("Reinforcement learning is terrible.") == "Reinforcement learning is not terrible."
    assert _negate("Reinforcement learning can scale.") == "Reinforcement learning cannot scale."
    # The reverse: a denial turned into a claim the source denies.
    assert _negate("Reinforcement learning is not enough.") == "Reinforcement learning is enough."
    assert _negate("Small models don't have enough memory.") == "Small models do have enough memory."
    # A softener next to the verb goes ("can also" -> "cannot").
    assert _negate("Transformers can also read audio.") == "Transformers cannot read audio."
    # Other verbs only in a clause hanging off the main one.
    assert (
        _negate("Memory will emerge if the model is rewarded.")
        == "Memory will not emerge if the model is rewarded."
    )
    # A clause before the verb, two main clauses, a scoped word, a second negation: left alone.
    assert _negate("I think reinforcement learning, as it stands, is terrible.") is None
    assert _negate("Reinforcement learning is hard and it is slow.") is None
    assert _negate("Reinforcement learning is only one part.") is None
    assert _negate("Models don't learn without data.") is None
    # The verb closes an inner clause ("how big each step is,"): negating it garbles the claim.
    assert _negate("The rate sets how big each step is, and a bad one diverges.") is None


def _concept(name: str) -> GraphConcept:
    return GraphConcept(id=name.replace(" ", "-"), name=name, definition=name)


def test_cloze_cards_delete_facts_not_vague_words() -> None:
    concept = _concept("reinforcement learning")
    # "notion" is rare enough to pass a frequency test, but recalling it tests nothing.
    assert _other_word("The notion behind reinforcement learning is simple.", concept, []) is None
    # A number is a fact worth recalling.
    assert _other_word("Reinforcement learning needed 320 kilobytes per token.", concept, []) == "320"
    # A word the speakers repeat around the concept wins over a one-off rare word.
    picked = _other_word(
        "Reinforcement learning upweights every trajectory in the rollout.",
        concept,
        [],
        topical=frozenset({"rollout"}),
    )
    assert picked == "rollout"


def test_cloze_cards_delete_things_not_verbs_comparisons_or_misheard_names() -> None:
    """Deletions a learner read in the seed deck and could only recall as one sentence's wording."""
    nets = _concept("neural network")
    for sentence, wording in [
        (
            "The way I put this is that anything that happens during the training of the neural network.",
            "happens",
        ),
        (
            "If you released a neural network that couldn't make a mistake, it would be much harder to use.",
            "harder",
        ),
        ("I would say Alex reoriented everyone and everyone started to train neural networks.", "train"),
        ("Even from a practical point of view we try to serve one neural network at scale.", "serve"),
        ("Enthropike trained a very sparse neural network to see what one neuron does.", "Enthropike"),
    ]:
        assert wording not in deletable_words(sentence, nets, []), sentence
    # A thing stays deletable, a verb's noun twin where it is a noun, and a plain adjective.
    assert (
        _other_word(
            "If you released a neural network that couldn't make a mistake, it would be much harder to use.",
            nets,
            [],
        )
        == "mistake"
    )
    assert "stores" in deletable_words(
        "Neural networks with key value stores could focus on the past.", nets, []
    )
    assert "sparse" in deletable_words("The neural network we built was very sparse in the end.", nets, [])
    assert "parallelization" in deletable_words(
        "Neural networks need parallelization across many chips.", nets, []
    )


def test_word_classes_come_from_the_dictionary_and_the_word_before() -> None:
    from coursegen.engines.extractive.wordclass import names_a_thing

    assert names_a_thing("latency") and names_a_thing("experts", "only")
    assert not names_a_thing("explains") and not names_a_thing("smaller")
    assert names_a_thing("train", "the") and not names_a_thing("train", "started to")
    assert not names_a_thing("convert", "would just directly")
    assert names_a_thing("trade-offs") and not names_a_thing("ATCGS")
    # A lower-case word neither knows is a coinage of the field; a capitalized one, a misheard name.
    assert names_a_thing("rmsprop") and not names_a_thing("Enthropike")


def test_false_twin_can_put_a_quantity_off_by_ten() -> None:
    from coursegen.engines.extractive.assessment import _wrong_figure

    assert _wrong_figure("It is five times faster with 10 times more compute.") == (
        "It is five times faster with 100 times more compute."
    )
    assert _wrong_figure("It took 10 times more compute and 50x more data.") is None  # two figures
    assert _wrong_figure("In 2007 they trained it.") is None  # a year is not a quantity


def test_no_cloze_card_on_a_sentence_holding_cloze_syntax() -> None:
    from coursegen.engines.extractive.assessment import _cards
    from coursegen.engines.types import Cite

    concept = _concept("gradient descent")
    pattern = re.compile("gradient descent", re.I)
    texts = [
        "With gradient descent the hessian is what we get.",
        "With gradient descent the momentum {{c1::boom}} is what we get.",  # a speaker's braces
        "With gradient descent the curvature is what we get.",
    ]
    evidence = [(Cite(episode="e", sentence_ids=[f"e/p1/s{n}"]), t) for n, t in enumerate(texts)]
    cards = _cards(concept, evidence, pattern, [], frozenset(), set())
    assert [c.cites[0].sentence_ids[0] for c in cards] == ["e/p1/s0", "e/p1/s2"]
    assert all("boom" not in c.front for c in cards)
