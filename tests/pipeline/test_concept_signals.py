"""Concepts are topics, named as written, linked by what the speakers explain with what.

Small talk is dropped (its talk uses few of the episode's technical words), acronyms keep their
case, an acronym counts as a mention of what it stands for, and transcription errors are told
from jargon the speakers repeat.
"""

from __future__ import annotations

from coursegen.engines.extractive.terms import find_terms, initials, lower_but_acronyms, signal_sentences
from coursegen.engines.extractive.topical import TopicalityIndex
from tests.pipeline.conftest import TALK_A, TALK_B, make_episode

ANECDOTE = [
    [
        "Early days were super fun, and we knew everybody on the floor by name.",
        "We still like being in person a lot, it just feels better than calls.",
        "Oh, we have a coffee corner in the building where everybody hangs out in the morning.",
        "The coffee corner has a big espresso machine and a bunch of snacks, so it is always noisy.",
        "Somebody is always grinding beans and talking about their weekend plans.",
    ],
    [
        "People love the coffee corner because you bump into friends and chat about holidays.",
        "Honestly the coffee corner is the nicest part of the office, we sit there most days.",
        "There are plants, a couch and a window with a view of the parking lot.",
        "It is a nice place to spend time with friends before lunch.",
        "Anyway, that is where you find us most mornings.",
    ],
]


def _talk() -> list[list[str]]:
    # The technical talk twice over, so its words are the episode's domain words.
    return ANECDOTE + TALK_A + TALK_B + TALK_A + TALK_B


def test_small_talk_is_told_from_technical_talk() -> None:
    episode = make_episode("mixed", _talk())
    index = TopicalityIndex(episode)
    assert {"gradient", "reward", "policy"} <= index.domain
    sentences = {s.id: s.text for p in episode.passages for s in p.sentences}
    corner = [sid for sid, text in sentences.items() if "coffee corner" in text]
    descent = [sid for sid, text in sentences.items() if "gradient descent" in text]
    anecdote = index.of(corner, {"coffee", "corner"})
    technical = index.of(descent, {"gradient", "descent"})
    assert anecdote is not None and anecdote.small_talk, anecdote
    assert technical is not None and not technical.small_talk, technical


def test_a_short_talk_is_not_judged() -> None:
    episode = make_episode("short", ANECDOTE)
    ids = [s.id for p in episode.passages for s in p.sentences]
    assert TopicalityIndex(episode).of(ids, {"coffee", "corner"}) is None


def test_transcription_errors_are_not_jargon() -> None:
    talk = _talk() + [["The nanochat repo is small.", "We ship nanochat weekly.", "Everyone forks nanochat."]]
    index = TopicalityIndex(make_episode("garbles", talk))
    assert index.garbled("But the core piece of neural network training is microat.", set())
    assert not index.garbled("Everyone can read the nanochat code in an afternoon.", set())
    assert not index.garbled("Gradient descent moves the weights downhill.", set())


def test_acronyms_keep_their_case() -> None:
    assert lower_but_acronyms("World GDP") == "world GDP"
    assert lower_but_acronyms("RL-based Agents") == "RL-based agents"
    assert lower_but_acronyms("Mixture of Experts") == "mixture of experts"
    talk = [
        [
            "People will spend some fraction of world GDP on compute.",
            "The world GDP is going to go way up with artificial engineers.",
            "What fraction of world GDP goes to chips is the real question.",
        ],
        ["If world GDP grows tenfold, the demand for compute grows with it."],
    ]
    terms = {t.key: t for t in find_terms(make_episode("gdp", talk))}
    assert terms["world gdp"].surface == "world GDP"


def test_an_acronym_counts_for_what_it_stands_for() -> None:
    assert initials("large language model") == "llm" and initials("mixture of experts") == "moe"
    talk = [
        [
            "A large language model predicts the next token from the previous ones.",
            "Every large language model is trained on trillions of tokens.",
            "The large language model then gets fine-tuned on conversations.",
        ],
        ["LLMs are good at code.", "An LLM forgets what it read last week.", "Most LLMs share one recipe."],
        ["RL is slow.", "RL needs rewards.", "With RL the model tries things."],
    ]
    episode = make_episode("llm", talk)
    terms = [t for t in find_terms(episode) if t.key == "large language model"]
    signals = signal_sentences(terms, episode)
    ids, pattern = signals["large language model"]
    assert len(ids) == 6 and pattern.search("Most LLMs share one recipe.")
    assert len(signals["rl"][0]) == 3  # spelled out nowhere: keyed by itself


def test_evidence_ranks_technical_whole_sentences_over_fragments_and_anecdotes() -> None:
    import re

    from coursegen.engines.extractive.concepts import _evidence_score

    mention = re.compile(r"\btest time compute\b", re.I)
    whole = "test time compute lets the model think longer before it answers"
    fragment = _evidence_score("for " + whole, mention, None, False)
    assert fragment < _evidence_score(whole, mention, None, False)
    same = "Test time compute is what we talked about over lunch with friends."
    technical = _evidence_score(same, mention, None, True, technical=0.4)
    assert technical > _evidence_score(same, mention, None, True)
