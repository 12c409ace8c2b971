"""Materialization, deep links, fuzzy quote location and card identity."""

from __future__ import annotations

import pytest

from coursegen.citations import (
    CitationError,
    EpisodeIndex,
    card_identity,
    deep_link,
    fact_key,
    locate_quote,
    materialize,
)
from coursegen.ir import Claim, Episode, Passage, Sentence
from tests.validate.coursebuilder import current_episode


def test_materialize_joins_sentences_with_times_and_youtube_link() -> None:
    episode = current_episode()
    citation = materialize(EpisodeIndex([episode]), "talk", ["talk/p1/s0", "talk/p1/s1"])
    assert citation.quote == (
        "A TPU is a chip that Google designed to run matrix multiplication very quickly. "
        "The TPU gives up general flexibility in exchange for raw throughput."
    )
    assert (citation.start, citation.end, citation.time_estimated) == (18.0, 33.0, False)
    assert citation.url == "https://www.youtube.com/watch?v=Xq3kT9vLp2A&t=18s"


@pytest.mark.parametrize(
    ("ids", "message"),
    [
        (["talk/p9/s0"], "does not exist"),
        (["talk/p0/s1", "talk/p1/s0"], "different passages"),
        (["talk/p5/s0", "talk/p5/s2"], "not consecutive"),
        ([], "at least one"),
    ],
)
def test_materialize_rejects_bad_ids(ids: list[str], message: str) -> None:
    with pytest.raises(CitationError, match=message):
        materialize(EpisodeIndex([current_episode()]), "talk", ids)


def test_materialize_rejects_unknown_episode() -> None:
    with pytest.raises(CitationError, match="unknown episode"):
        materialize(EpisodeIndex([current_episode()]), "nope", ["talk/p0/s0"])


@pytest.mark.parametrize(
    ("url", "seconds", "expected"),
    [
        ("https://www.youtube.com/watch?v=abc&t=5s", 75.9, "https://www.youtube.com/watch?v=abc&t=75s"),
        ("https://youtu.be/abc", 3, "https://youtu.be/abc?t=3s"),
        ("https://example.com/ep1.mp3", 61.2, "https://example.com/ep1.mp3#t=61"),
        ("https://example.com/ep1.mp3", None, "https://example.com/ep1.mp3"),
        (None, 5, None),
    ],
)
def test_deep_links(url: str | None, seconds: float | None, expected: str | None) -> None:
    assert deep_link(url, seconds) == expected


def test_locate_quote_tolerates_asr_noise_and_whitespace() -> None:
    episode = current_episode()
    noisy = "the tpu  gives up generel flexibility in exchange for  raw through put"
    assert locate_quote(episode, noisy) == ["talk/p1/s1"]
    spanning = (
        "most of their running time doing matrix multiplication a matrix multiplication combines every row"
    )
    assert locate_quote(episode, spanning) == ["talk/p0/s0", "talk/p0/s1"]
    assert locate_quote(episode, "Bananas are an excellent source of potassium for athletes") is None


def test_fact_key_survives_renumbering_and_rewording() -> None:
    quote = "Batching groups many user requests so the chip multiplies them together."
    assert fact_key("basic", quote) == fact_key(
        "basic", "batching groups many  user requests, so the chip multiplies them together"
    )
    assert fact_key("basic", quote) != fact_key("cloze", quote)
    assert card_identity("c", "batching", fact_key("basic", quote)).startswith("c/batching/")


def test_untimed_sentences_get_an_estimated_time_from_timed_claims() -> None:
    texts = [f"Sentence number {n} talks about topic {n} at some length here." for n in range(10)]
    sentences = [
        Sentence(id=f"u/p0/s{n}", text=t, line_start=n + 1, line_end=n + 1) for n, t in enumerate(texts)
    ]
    episode = Episode(
        id="u",
        title="t",
        source="u.txt",
        sha256="0",
        format="plain-text",
        url="https://youtu.be/xyz",
        claims=[Claim(text="x", quote=texts[2], start=100.0), Claim(text="y", quote=texts[6], start=300.0)],
        passages=[Passage(id="u/p0", line_start=1, line_end=10, sentences=sentences)],
    )
    citation = materialize(EpisodeIndex([episode]), "u", ["u/p0/s4"])
    assert citation.time_estimated is True
    assert citation.start == 200.0
    assert citation.url == "https://youtu.be/xyz?t=200s"
    plain = episode.model_copy(update={"claims": []})
    assert materialize(EpisodeIndex([plain]), "u", ["u/p0/s4"]).start is None
