"""Properties of the assembler on random cues: nothing invented, nothing lost, order kept."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from coursegen.ingest.assemble import assemble
from coursegen.ingest.base import Cue, ParsedTranscript
from tests.ingest.trace import is_subsequence

PUNCT = ["", "", "", ",", ".", "?", "!"]


@st.composite
def transcripts(draw: st.DrawFn, unique_words: bool) -> list[Cue]:
    count = draw(st.integers(min_value=1, max_value=40))
    cues: list[Cue] = []
    clock = 0.0
    serial = 0
    timed = draw(st.booleans())
    for number in range(1, count + 1):
        size = draw(st.integers(min_value=0, max_value=14))
        words = []
        for _ in range(size):
            serial += 1
            stem = f"w{serial}" if unique_words else draw(st.sampled_from(["a", "b", "the", "so", "Yes"]))
            words.append(stem + draw(st.sampled_from(PUNCT)))
        duration = draw(st.floats(min_value=0.0, max_value=6.0))
        cues.append(
            Cue(
                text=" ".join(words),
                line_start=number,
                line_end=number,
                start=clock if timed else None,
                end=clock + duration if timed else None,
                speaker=draw(st.sampled_from([None, None, "Ann", "Bob"])),
                new_turn=draw(st.booleans()),
            )
        )
        clock += duration + draw(st.floats(min_value=0.0, max_value=2.0))
    return cues


def _assemble(cues: list[Cue], rolling: bool) -> list[tuple[str, float | None, int, int]]:
    parsed = ParsedTranscript(format="plain-text", cues=cues, rolling=rolling)
    episode = assemble(parsed, episode_id="e", source="s", sha256="0" * 64, default_title="t")
    out = []
    for n, passage in enumerate(episode.passages, start=1):
        assert passage.id == f"e/p{n}"
        for sentence in passage.sentences:
            # A sentence never mixes voices; a passage with a speaker holds only that voice.
            # Checked on the cues its first and last words come from (the ends of its line span):
            # a rolling caption in between may have been dropped whole as a repeat, and its label
            # with it, so it is no voice of the sentence.
            ends = (cues[sentence.line_start - 1], cues[sentence.line_end - 1])
            voices = {c.speaker for c in ends if c.text.strip()}
            assert len(voices) == 1
            assert passage.speaker is None or voices == {passage.speaker}
        for k, sentence in enumerate(passage.sentences, start=1):
            assert sentence.id == f"e/p{n}/s{k}"
            out.append((sentence.text, sentence.start, sentence.line_start, sentence.line_end))
    return out


@settings(max_examples=120, deadline=None, derandomize=True)
@given(cues=transcripts(unique_words=True), rolling=st.booleans())
def test_distinct_words_are_all_kept_in_order(cues: list[Cue], rolling: bool) -> None:
    sentences = _assemble(cues, rolling)
    assert " ".join(text for text, *_ in sentences).split() == " ".join(c.text for c in cues).split()
    lines = [(start, end) for _, _, start, end in sentences]
    assert lines == sorted(lines)
    for text, start, line_start, line_end in sentences:
        own = [c for c in cues[line_start - 1 : line_end]]
        assert text.split()[0] in " ".join(c.text for c in own).split()
        if start is not None:
            assert min(c.start for c in own if c.start is not None) <= start


@settings(max_examples=120, deadline=None, derandomize=True)
@given(cues=transcripts(unique_words=False), rolling=st.booleans())
def test_repeats_only_ever_remove_words(cues: list[Cue], rolling: bool) -> None:
    sentences = _assemble(cues, rolling)
    kept = " ".join(text for text, *_ in sentences).split()
    assert is_subsequence(kept, " ".join(c.text for c in cues).split())
    for text, _, line_start, line_end in sentences:
        region = " ".join(c.text for c in cues[line_start - 1 : line_end]).split()
        assert is_subsequence(text.split(), region)
