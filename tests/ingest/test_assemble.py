"""The assembler on hand-built cues: repeats, markup, sentences, times, lines, passages."""

from __future__ import annotations

from coursegen.ingest.assemble import assemble
from coursegen.ingest.base import Cue, ParsedTranscript
from coursegen.ingest.clean import clean_text, split_turns
from coursegen.ir import Episode


def _episode(cues: list[Cue], rolling: bool = False, speaker_names: dict[str, str] | None = None) -> Episode:
    parsed = ParsedTranscript(format="plain-text", cues=cues, rolling=rolling)
    return assemble(
        parsed, episode_id="ep", source="x", sha256="0" * 64, default_title="x", speaker_names=speaker_names
    )


def _timed(texts: list[str], step: float = 2.0) -> list[Cue]:
    return [
        Cue(text=t, line_start=i + 1, line_end=i + 1, start=i * step, end=(i + 1) * step)
        for i, t in enumerate(texts)
    ]


def _sentences(episode: Episode) -> list[str]:
    return [s.text for p in episode.passages for s in p.sentences]


def test_rolling_repeats_exact_and_partial_are_removed() -> None:
    cues = _timed(
        [
            "so the first thing we did was",
            "the first thing we did was look at the data",
            "look at the data and then",
            "And then we trained the model.",
            "We trained the model.",
        ]
    )
    text = " ".join(_sentences(_episode(cues, rolling=True)))
    assert text == "so the first thing we did was look at the data and then we trained the model."


def test_non_rolling_keeps_short_and_cross_turn_repeats() -> None:
    cues = _timed(["I said no.", "No. That is final.", "We agree.", "We agree."])
    cues[3].new_turn = True
    assert _sentences(_episode(cues)) == ["I said no.", "No.", "That is final.", "We agree.", "We agree."]


def test_non_rolling_removes_three_word_overlap() -> None:
    cues = _timed(["it is a ton of fun to", "a ton of fun to get to talk."])
    assert _sentences(_episode(cues)) == ["it is a ton of fun to get to talk."]


def test_markup_and_stage_directions() -> None:
    assert clean_text("<i>Hello</i> [Music] there (laughing) &amp; <v Ann>you</v>") == "Hello there & you"
    assert clean_text("the cost (in dollars) is high ♪ la la ♪") == "the cost (in dollars) is high"
    assert clean_text("<00:00:01.230><c> word</c><00:00:01.500><c> two</c>") == "word two"
    assert split_turns("yes >> no way >> ok") == [("yes", False), ("no way", True), ("ok", True)]
    # Seed 004 line 963 writes ">>> and um normally ...": the third ">" is no word of the speech.
    assert split_turns("so >>> and then") == [("so", False), ("and then", True)]


def test_sentence_times_and_lines_come_from_their_cues() -> None:
    cues = _timed(["Dr. Smith met Mr. Jones in the U.S. today. He", "said hello. Then", "they left!"])
    episode = _episode(cues)
    sentences = [s for p in episode.passages for s in p.sentences]
    assert [s.text for s in sentences] == [
        "Dr. Smith met Mr. Jones in the U.S. today.",
        "He said hello.",
        "Then they left!",
    ]
    assert [(s.start, s.end, s.line_start, s.line_end) for s in sentences] == [
        (0.0, 2.0, 1, 1),
        (0.0, 4.0, 1, 2),
        (2.0, 6.0, 2, 3),
    ]


def test_missing_ends_are_the_next_start() -> None:
    cues = [Cue(text=f"Line {i}.", line_start=i + 1, line_end=i + 1, start=float(i * 5)) for i in range(3)]
    sentences = [s for p in _episode(cues).passages for s in p.sentences]
    assert [(s.start, s.end) for s in sentences] == [(0.0, 5.0), (5.0, 10.0), (10.0, 10.0)]


def test_unpunctuated_captions_become_short_pseudo_sentences() -> None:
    words = ("so we looked at the scaling laws and the thing is they hold for a long time " * 40).split()
    cues = [
        Cue(text=" ".join(words[i : i + 8]), line_start=n + 1, line_end=n + 1)
        for n, i in enumerate(range(0, len(words), 8))
    ]
    sentences = _sentences(_episode(cues))
    assert " ".join(sentences).split() == words
    assert max(len(s.split()) for s in sentences) <= 32
    assert min(len(s.split()) for s in sentences) >= 5


def test_passages_follow_speakers_and_size() -> None:
    cues = []
    for i in range(120):
        speaker = "Speaker 1" if (i // 30) % 2 == 0 else "Speaker 2"
        cues.append(
            Cue(
                text=f"This is sentence {i}.",
                line_start=i + 1,
                line_end=i + 1,
                start=i * 3.0,
                end=i * 3.0 + 3,
                speaker=speaker,
            )
        )
    episode = _episode(cues, speaker_names={"Speaker 1": "Ada"})
    assert episode.speakers == ["Ada", "Speaker 2"]
    for passage in episode.passages:
        assert passage.speaker in ("Ada", "Speaker 2")
        assert passage.end is not None and passage.start is not None
        assert passage.end - passage.start <= 90
    # 30 sentences of 3 s per turn = 90 s: each turn is one or two passages, never mixed.
    assert 4 <= len(episode.passages) <= 8


def test_stalled_times_still_give_teaching_sized_passages() -> None:
    cues = [
        Cue(text=f"Word {i} is said here now.", line_start=i + 1, line_end=i + 1, start=7.0, end=7.0)
        for i in range(5000)
    ]
    episode = _episode(cues)
    assert max(sum(len(s.text.split()) for s in p.sentences) for p in episode.passages) <= 400


def test_a_short_exchange_sharing_a_passage_records_where_each_turn_starts() -> None:
    cues = _timed(["So does that mean more training?", "Training your inference.", "Or just split it up."])
    cues[1].new_turn = True
    cues[2].new_turn = True
    passages = _episode(cues).passages
    # Too short to be passages of their own: one passage, its turns marked (s2 and s3 open one).
    assert len(passages) == 1
    assert passages[0].turn_starts == [2, 3]
    one_voice = _episode(_timed(["One speaker says this.", "And goes on with that."]))
    assert one_voice.passages[0].turn_starts == []
