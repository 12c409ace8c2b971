"""What makes an extractive concept a topic a reader recognises: no vague talk-nouns, one
concept per idea, names spelled the way the source writes them, evidence that explains."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from coursegen.engines.extractive.concepts import _evidence_score, _one_per_idea
from coursegen.engines.extractive.terms import Term, _eligible, _spell_as_written
from coursegen.pipeline import BuildResult


@pytest.mark.parametrize(
    "words",
    [
        ("code", "base"),
        ("feedback", "loop"),
        ("model", "capabilities"),
        ("model", "parameters"),
        ("analogy",),
        ("analogies",),
        ("capable", "models"),
        ("state-of-the-art",),
        ("open-ended",),
    ],
)
def test_vague_phrases_are_not_terms(words: tuple[str, ...]) -> None:
    assert not _eligible(words)


@pytest.mark.parametrize(
    "words",
    [
        ("mixture", "of", "experts"),
        ("test-time", "compute"),
        ("pre-training",),
        ("bitter", "lesson"),
        ("world", "model"),
        ("continual", "learning"),
    ],
)
def test_topics_stay_terms(words: tuple[str, ...]) -> None:
    assert _eligible(words)


def _term(key: str, forms: dict[str, int], sentence_ids: list[str] | None = None) -> Term:
    ids = sentence_ids or [f"e/p{i}/s0" for i in range(sum(forms.values()))]
    return Term(key, forms=Counter(forms), sentence_ids=ids, passages={s.rsplit("/", 1)[0] for s in ids})


def test_surface_prefers_singular_and_written_hyphens() -> None:
    assert _term("language model", {"language models": 9, "language model": 4}).surface == "language model"
    # A plural the episode never says in the singular stays plural; "of" phrases keep their plural.
    assert _term("open source model", {"open source models": 4}).surface == "open source models"
    assert _term("mixture of expert", {"mixture of experts": 6, "mixture of expert": 3}).surface == (
        "mixture of experts"
    )
    assert _term("pre training", {"pre-training": 3, "pre training": 5}).surface == "pre-training"


def test_names_follow_the_written_summary_and_compound_modifiers() -> None:
    spoken = _term("test time compute", {"test time compute": 8})
    _spell_as_written(spoken, "Noam Shazeer and Jack Rae: Scaling Test-time Compute")
    assert spoken.surface == "test-time compute"
    in_context = _term("in context learning", {"in context learning": 12})
    _spell_as_written(in_context, "")
    assert in_context.surface == "in-context learning"
    plain = _term("gradient descent", {"gradient descent": 5})
    _spell_as_written(plain, "gradient descent, explained")
    assert plain.surface == "gradient descent"


def test_one_concept_per_idea_within_an_episode() -> None:
    network = _term("neural network", {"neural network": 10})
    network.score = 9.0
    net = _term("neural net", {"neural nets": 4}, [f"e/p{i}/s1" for i in range(4)])
    net.score = 5.0
    kept = _one_per_idea([network, net])
    assert kept == [network]
    assert "neural nets" in network.forms and network.count == 14


def test_bounded_ideas_still_gather_late_spellings() -> None:
    network = _term("neural network", {"neural network": 10})
    descent = _term("gradient descent", {"gradient descent": 8})
    attention = _term("attention head", {"attention head": 6})
    heads = _term("attention heads", {"attention heads": 2}, ["e/p7/s1", "e/p8/s1"])
    net = _term("neural net", {"neural nets": 4}, [f"e/p{i}/s1" for i in range(4)])
    # "neural net" comes after ideas left out by the bound and still folds into the kept idea;
    # "attention heads" folds into a left-out idea and touches nothing kept.
    kept = _one_per_idea([network, descent, attention, heads, net], ideas=2)
    assert kept == [network, descent]
    assert "neural nets" in network.forms and network.count == 14
    assert descent.count == 8 and set(descent.forms) == {"gradient descent"}


def _gap(better: str, worse: str, name: str) -> float:
    mention = re.compile(rf"\b{re.escape(name)}\b", re.I)
    return _evidence_score(better, mention, None, True) - _evidence_score(worse, mention, None, True)


def test_evidence_demotes_unmarked_questions_bios_and_caption_debris() -> None:
    # Each pair differs by the flaw alone, so the gap is the penalty for that flaw.
    assert (
        _gap(
            "You think compute is the real bottleneck for research at frontier labs today.",
            "Do you think compute is the real bottleneck for research at frontier labs today.",
            "compute",
        )
        >= 2.0
    )
    assert (
        _gap(
            "Jeff has been pioneering deep learning at Google for more than a decade now.",
            "He has been pioneering deep learning at Google for more than a decade now.",
            "deep learning",
        )
        >= 2.0
    )
    assert (
        _gap(
            "And pre-training gives us knowledge, they're not that far from the analogy.",
            "And. pre-training gives us knowledge they're. not that far from the analogy.",
            "pre-training",
        )
        >= 2.0
    )


VAGUE_NAMES = {"analogy", "code base", "feedback loop", "model capabilities", "model parameters"}


def test_seed_concepts_are_topics_with_written_names(seed_build: BuildResult) -> None:
    names = {c.name for c in seed_build.course.concepts}
    assert not names & VAGUE_NAMES
    assert {"test-time compute", "in-context learning", "pre-training"} <= names
    # One concept for the language-model idea, whatever size word the speakers put before it.
    language = [c for c in seed_build.course.concepts if "language model" in c.name]
    assert len(language) == 1 and "large language model" in language[0].aliases


def test_a_compound_modifier_said_alone_is_the_same_idea() -> None:
    alone = _term("self driving", {"self-driving": 18})
    alone.score = 9.0
    with_noun = _term("self driving car", {"self-driving cars": 3}, [f"e/p{i}/s2" for i in range(3)])
    with_noun.score = 7.0
    assert _one_per_idea([alone, with_noun]) == [alone]
    other = _term("driving test", {"driving test": 3})
    other.score = 6.0
    assert len(_one_per_idea([alone, other])) == 2
