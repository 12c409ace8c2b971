"""Which sentences make fair check-yourself items (coursegen.engines.extractive.fairness)."""

from __future__ import annotations

import re

from coursegen.engines.extractive.fairness import (
    inside_longer_name,
    is_assertion,
    key_points,
    pinned,
    reads_cleanly,
    trim_fillers,
)

MOE = re.compile(r"\bmixture of experts?\b", re.I)
COMPUTE = re.compile(r"\bcompute\b", re.I)
NONE: frozenset[str] = frozenset()


def test_true_false_keeps_checkable_claims_and_refuses_remarks() -> None:
    claim = "Mixture of experts is a model that sends each token to a small part of the network."
    assert is_assertion(claim, MOE, NONE)
    remarks = [
        "This is one thing I think people don't really like talk about too much with mixture of experts",
        "The first mixture of experts paper, you could just like look at the expert.",
        "Mixture of experts, that's interesting to think about because the routing is not bottlenecked.",
        "If mixture of experts worked on every chip that would be incredible.",
        "It's a bit more convenient than putting mixture of experts models on one chip.",
        "Mixture of experts may be the answer to most of the serving cost.",
    ]
    assert not any(is_assertion(r, MOE, NONE) for r in remarks)


def test_a_stem_must_read_cleanly() -> None:
    assert reads_cleanly("Gradient descent moves every weight a little against the gradient.", NONE)
    assert not reads_cleanly("So gradient gradient descent is like, you know, kind of like the thing.", NONE)
    assert not reads_cleanly("The microat of gradient descent moves every weight a little.", NONE)
    assert not reads_cleanly("You mentioned gradient descent and I'm curious how you thought about it.", NONE)


def test_a_blank_is_pinned_by_words_the_concept_repeats() -> None:
    topical = frozenset({"expert", "token", "model", "machine"})
    assert pinned("The _____ models send each token to two experts.", "_____", topical)
    # No word of the concept's context: many words fit.
    assert not pinned(
        "Then more recently the general purpose thing _____ has not been as good.", "_____", topical
    )
    # A noun right before the blank that the evidence never uses: "CPU-based machines _____".
    assert not pinned("Every token on CPU-based servers _____ has not been as good.", "_____", topical)


def test_a_mention_next_to_a_longer_names_word_is_that_concept() -> None:
    text = "One of the big areas of improvement is this entrance time compute."
    assert inside_longer_name(text, COMPUTE, ["test time compute"])
    assert not inside_longer_name("More compute would convert into progress.", COMPUTE, ["test time compute"])


def test_model_answers_lose_fillers_and_name_what_to_cover() -> None:
    trimmed = trim_fillers(
        "Mixture of experts is, you know, kind of a model where like, each token goes to two experts."
    )
    assert trimmed == "Mixture of experts is a model where each token goes to two experts."
    assert (
        trim_fillers("What kind of model is it, the the router?") == "What kind of model is it, the router?"
    )
    points = key_points(
        "Mixture of experts routes each token to two experts out of many.", "mixture of experts"
    )
    assert "routes" in points and "mixture" not in points
