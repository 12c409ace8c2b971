"""Fixtures for the pipeline tests: small hand-written episodes and one seed build per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from coursegen.fsutil import sha256_text
from coursegen.ir import Claim, Episode, Passage, Sentence
from coursegen.pipeline import BuildOptions, BuildResult, build_course

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

# A short talk about two techniques, written like a real conversation (questions, filler,
# repeated technical terms), so the extractive engine has something to find.
TALK_A = [
    [
        "So what problem does gradient descent actually solve when you train a neural network?",
        "Gradient descent is the procedure that nudges every weight of the neural network a "
        "little downhill on the loss.",
        "Yeah, you know, it's kind of the workhorse, right?",
        "Every step of gradient descent looks at a batch of examples and moves the weights "
        "against the gradient.",
    ],
    [
        "And why does the learning rate matter so much for gradient descent?",
        "The learning rate sets how big each step of gradient descent is, and a bad learning "
        "rate makes training diverge.",
        "Um, people tune the learning rate more than anything else, honestly.",
        "With a tiny learning rate the neural network barely moves, and with a huge one the loss explodes.",
    ],
    [
        "How does this connect to the neural network itself?",
        "A neural network is a stack of layers whose weights are all trained by gradient "
        "descent on one loss.",
        "The neural network only learns what the loss rewards, so the loss design is the whole game.",
        "Okay, so a neural network plus gradient descent plus a sensible learning rate is the basic recipe.",
    ],
    [
        "What happens when the neural network gets really large?",
        "A large neural network trained with gradient descent needs a smaller learning rate and "
        "a warmup period.",
        "Warmup means the learning rate starts tiny and grows over the first thousand steps of training.",
        "So the learning rate schedule is part of the recipe for a large neural network, not an "
        "afterthought.",
    ],
]

TALK_B = [
    [
        "Why do people keep talking about reinforcement learning for language models?",
        "Reinforcement learning trains a policy from a reward signal instead of from labelled examples.",
        "The reward model scores each answer, and reinforcement learning pushes the policy "
        "toward higher reward.",
        "Yeah, it's like, the policy tries things and the reward model grades them.",
    ],
    [
        "What goes wrong with the reward model in practice?",
        "A policy trained by reinforcement learning can exploit the reward model and find "
        "answers that score high but are wrong.",
        "That failure is called reward hacking, and reward hacking gets worse the longer you optimise.",
        "So people refresh the reward model and cap how far the policy drifts during reinforcement learning.",
    ],
    [
        "Is reward hacking a solved problem?",
        "No, reward hacking still shows up whenever the reward model has blind spots the policy can find.",
        "Checking answers with verifiable rewards, like unit tests for code, limits reward hacking a lot.",
        "Verifiable rewards make reinforcement learning far more reliable on math and coding tasks.",
    ],
]


def make_episode(
    episode_id: str,
    passages: list[list[str]],
    claims: list[str] | None = None,
    language: str = "en",
    timed: bool = True,
) -> Episode:
    """An Episode built from passages of sentences, with times and line numbers."""
    built = []
    line = 1
    clock = 0.0
    for p_index, sentences in enumerate(passages):
        items = []
        for s_index, text in enumerate(sentences):
            start = clock if timed else None
            clock += 4.0
            items.append(
                Sentence(
                    id=f"{episode_id}/p{p_index}/s{s_index}",
                    text=text,
                    start=start,
                    end=clock if timed else None,
                    line_start=line,
                    line_end=line,
                )
            )
            line += 1
        built.append(
            Passage(
                id=f"{episode_id}/p{p_index}",
                start=items[0].start,
                end=items[-1].end,
                line_start=items[0].line_start,
                line_end=items[-1].line_end,
                sentences=items,
            )
        )
    text = "\n".join(s for p in passages for s in p)
    return Episode(
        id=episode_id,
        title=f"Talk {episode_id}",
        source=f"{episode_id}.txt",
        sha256=sha256_text(text),
        format="plain-text",
        language=language,
        claims=[Claim(text=c) for c in claims or []],
        passages=built,
    )


@pytest.fixture
def talk_a() -> Episode:
    """A short talk on gradient descent, learning rates and neural networks."""
    return make_episode("talk-a", TALK_A)


@pytest.fixture
def talk_b() -> Episode:
    """A short talk on reinforcement learning, reward models and reward hacking."""
    return make_episode("talk-b", TALK_B)


@pytest.fixture(scope="module")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuildResult]:
    """The five seeds built once per module with the extractive engine."""
    out = tmp_path_factory.mktemp("seed-course")
    yield build_course([SEEDS], out, BuildOptions(engine="extractive"))
