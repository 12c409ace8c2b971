"""Small files shaped like what real tools write, checked cue by cue by hand.

Each expectation was worked out from the file itself (line numbers as an editor shows
them, times as the format defines them), not copied from the parser's output.
"""

from __future__ import annotations

import pytest

from tests.ingest.formats.conftest import LEAKS, REAL, assert_cues_traceable, parse

# (line_start, line_end, start, end, speaker, new_turn, text)
Row = tuple[int, int, float | None, float | None, str | None, bool, str]

EXPECTED: dict[str, tuple[str, list[Row]]] = {
    "yt-dlp-auto.en.vtt": ("youtube-vtt", [
        (7, 7, 0.0, 2.149, None, False, "[Music]"),
        (15, 15, 2.159, 4.789, None, False, "so today we're going to talk about"),
        (23, 23, 4.799, 7.349, None, False, "gradient descent and why it works"),
        (31, 31, 7.359, 8.83, None, False, "yeah"),
        (39, 39, 8.84, 11.47, None, True, "so the loss goes down"),
        (47, 47, 11.48, 14.31, None, False, "every step that's the idea"),
    ]),
    "youtube-dl-auto-plain.en.vtt": ("youtube-vtt", [
        # Auto captions saved without word timings: carried rows recognised by their text.
        (6, 6, 0.0, 3.0, None, False, "hello and welcome"),
        (14, 14, 3.01, 6.0, None, False, "to the lecture on graphs"),
        (22, 22, 6.01, 9.5, None, False, "a graph has nodes and edges"),
    ]),
    "timedtext-srv1.xml": ("youtube-srv1", [
        (1, 1, 0.5, 2.84, None, False, "Welcome back to the channel."),
        (1, 2, 2.84, 5.94, None, False, "Today we're looking at \"attention\" and why it's all you need."),
        (2, 2, 5.94, 7.54, None, False, "[Music]"),
        (2, 2, 7.54, 10.5, None, False, "Q & A comes at the end"),
        (2, 2, 7.54, 10.5, None, True, "right?"),
        (2, 2, 10.5, 13.52, None, False, "Let's dive in."),
    ]),
    "timedtext-srv3.xml": ("youtube-srv3", [
        (10, 10, 0.16, 4.24, None, False, "so what is a transformer"),
        (13, 13, 2.48, 6.4, None, False, "it's a stack of attention layers"),
        (16, 16, 4.24, 8.241, None, False, "[Music]"),
    ]),
    "timedtext.json3": ("youtube-json3", [
        (28, 44, 0.08, 4.399, None, False, "hi everyone welcome"),
        (52, 72, 2.399, 6.96, None, False, "to the café podcast"),
    ]),
    "transcript-api.json": ("youtube-transcript-api", [
        (1, 1, 0.0, 3.6, None, False, "[Music]"),
        (1, 1, 3.6, 5.12, None, False, "hey there how's it going everybody"),
        (1, 1, 5.12, 8.0, None, False, "in this video we're going to build a tokenizer"),
        (1, 1, 8.0, 10.16, None, False, "from scratch"),
    ]),
    "whisper-words.json": ("whisper-json", [
        (1, 1, 0.0, 1.4, None, False, "The model learns."),
        (1, 1, 2.02, 4.24, None, False, "Then it generalizes"),
        (1, 1, 4.24, 5.96, None, False, "to new data."),
    ]),
    "whisper-cpp.json": ("whisper-json", [
        (17, 27, 0.0, 3.52, None, False, "And so my fellow Americans, ask not"),
        (28, 38, 3.52, 11.0, None, False, "what your country can do for you."),
    ]),
    "podcast2.json": ("podcast-json", [
        # One word per segment, joined into phrases that end at a sentence end.
        (4, 6, 0.8, 2.19, "Adam Curry", True, "We're live today."),
        (7, 8, 2.5, 3.45, "Dave Jones", True, "Good morning!"),  # speaker carried over
    ]),
    "rev-api.json": ("rev-json", [
        (1, 1, 0.27, 1.12, "Ada Lovelace", True, "Hello, everyone."),
        (1, 1, 1.5, 3.31, "Ada Lovelace", False, "Engines compute?"),  # <inaudible> dropped
        (1, 1, 4.02, 4.4, "Speaker 1", True, "They do!"),
    ]),
    "rev-speaker-shapes.json": ("rev-json", [
        # Speaker as an object with a name, as a name, as an object with only an id.
        (1, 1, 1.0, 1.5, "Grace", True, "Hi."),
        (1, 1, 2.0, 2.5, "Bob", True, "Hello"),
        (1, 1, 3.0, 3.5, "Speaker 7", True, "Bye"),
    ]),
    "podcast-host.srt": ("srt", [
        # `Name:` prefixes (a podcast host's SRT): the name carries to unprefixed cues, and a
        # guest who speaks once still counts because the file names its speakers.
        (3, 4, 0.0, 2.76, "Sarah", True, "In today's episode, you'll learn whether or not you"),
        (8, 8, 2.76, 6.09, "Sarah", False, "should have a podcast trailer."),
        (12, 13, 19.08, 21.45, "Gillian", True, "Hi Buzzsprout, Gillian here from breaking through"),
        (17, 17, 21.45, 23.0, "Sarah", True, "Welcome, Gillian."),
    ]),
    "zoom-meeting.vtt": ("webvtt", [
        # Zoom writes `Name: ` before every cue; "Note:" mid-cue is speech.
        (5, 5, 3.27, 5.16, "Maria Lopez", True, "Okay, can everyone hear me?"),
        (9, 9, 5.9, 7.02, "Tom", True, "Yes, loud and clear."),
        (13, 13, 7.5, 11.84, "Maria Lopez", True, "Great. Note: we are recording today."),
        (17, 17, 12.0, 14.3, "Tom", True, "Thanks for the heads up."),
    ]),
    "movie.srt": ("srt", [
        (8, 8, 5.12, 8.4, None, False, "Previously, on “The Lab”…"),
        (12, 12, 8.9, 11.25, None, True, "Where’s the café?"),
        (13, 13, 8.9, 11.25, None, True, "Down the hall."),
        (17, 17, 11.3, 11.3, None, False, "It’s closed."),  # end before start → start
        (20, 20, 13.005, 15.5, None, False, "Then we wait & see."),  # no index; entity
        (24, 26, 15.6, 18.75, None, False, "This line has a blank line inside the cue."),
        (30, 30, 3723.456, 3725.0, None, False, "[Music]"),
    ]),
    "lecture.vtt": ("webvtt", [
        (16, 16, 0.5, 4.25, "Dr. Smith", True, "Welcome to lecture four & the <fun> part."),
        (20, 20, 4.25, 7.0, "Dr. Smith", False, "We'll start with entropy."),
        (24, 24, 7.1, 9.9, "Student", True, "Is it on the exam?"),
        (25, 25, 7.1, 9.9, "Dr. Smith", True, "Yes."),
        (31, 31, 3600.0, 3602.5, "Dr. Smith", False, "Thanks for coming."),
    ]),
    "interview-otter.txt": ("otter-text", [
        (2, 2, 3.0, 11.0, "Jane Doe", True, "Thanks for joining us. Today we talk about sleep and memory."),
        (5, 5, 11.0, 3727.0, "Speaker 2", True,
         "Happy to be here. Sleep matters more than most people think."),
        (8, 8, 3727.0, None, "Jane Doe", True, "So what happens at night?"),
    ]),
    "otter-no-names.txt": ("otter-text", [
        # Otter without speaker identification: bare `m:ss  ` headers.
        (2, 2, 0.0, 15.0, None, False, "When I was a kid, apples were garbage."),
        (5, 5, 15.0, None, None, False, "It was a really bad time to be an apple eater."),
    ]),
    "captions.sbv": ("sbv", [
        (2, 3, 0.19, 3.88, None, True, "Welcome to the show. Glad you're here."),
        (6, 6, 4.02, 6.5, None, False, "[Music]"),
        (9, 9, 6.6, 9.21, None, True, "Thanks, it's great to be back."),
    ]),
    "netflix-style.ttml": ("ttml", [
        # div begin 10 s + frames at 25 fps; ticks at 10 MHz; dur; minutes and ms offsets.
        (8, 8, 11.48, 13.0, "Grace Hopper", True, "A ship in port is safe, but that is not"),
        (9, 9, 13.5, 16.0, "Grace Hopper", False, "what ships are built for."),
        (12, 12, 90.0, 95.0, None, False, "Applause."),
    ]),
    "meeting.txt": ("plain-text", [
        (1, 1, None, None, None, False, "Note: this transcript was cleaned by hand."),
        (3, 3, None, None, "ALICE", True, "Did you run the benchmark?"),
        (4, 4, None, None, "BOB", True, "Twice. Both runs agree."),
        (5, 5, None, None, "BOB", False, "It took under a second."),
        (7, 7, None, None, "ALICE", True, "Good. Then we ship it."),
    ]),
    "podcast-strings.json": ("podcast-json", [
        # Some hosts write times as strings.
        (1, 1, 0.5, 2.0, "Sidney", True, "Numbers as strings."),
    ]),
    "openai-verbose-words.json": ("whisper-json", [
        # verbose_json with word timestamps only: words grouped into sentences.
        (7, 8, 0.0, 0.9, None, False, "Hello there."),
        (9, 11, 1.5, 3.9, None, False, "How are you?"),
    ]),
    "span-timed.ttml": ("ttml", [
        (4, 4, 0.5, 1.25, None, False, "Guten Morgen,"),
        (5, 5, 1.25, 2.0, None, False, "liebe Hörer."),
    ]),
    "minutes-with-times.txt": ("plain-text", [
        # Lines ending in a clock time are not Otter headers: no names before them.
        (1, 1, None, None, None, False, "The meeting started at 10:30"),
        (2, 2, None, None, None, False, "and everyone was there."),
        (3, 3, None, None, None, False, "We ended at 11:45"),
        (4, 4, None, None, None, False, "after a long talk about budgets."),
    ]),
}  # fmt: skip

LANGUAGES = {
    "yt-dlp-auto.en.vtt": "en",
    "whisper-words.json": "en",
    "whisper-cpp.json": "en",
    "netflix-style.ttml": "en",
    "openai-verbose-words.json": "en",
    "span-timed.ttml": "de",
}


def test_every_real_sample_has_expectations() -> None:
    assert sorted(p.name for p in REAL.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_sample_cue_by_cue(name: str) -> None:
    fmt, rows = EXPECTED[name]
    detected, parsed = parse(REAL / name)
    assert detected == fmt
    got = [(c.line_start, c.line_end, c.start, c.end, c.speaker, c.new_turn, c.text) for c in parsed.cues]
    assert got == rows
    if name in LANGUAGES:
        assert parsed.language == LANGUAGES[name]
    # Word-timed YouTube VTT is deduplicated exactly by the parser; only without word
    # timings is the assembler asked to remove overlaps left.
    assert parsed.rolling is (name == "youtube-dl-auto-plain.en.vtt")
    assert_cues_traceable(REAL / name, parsed)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_sample_has_no_format_syntax_in_text(name: str) -> None:
    _, parsed = parse(REAL / name)
    for cue in parsed.cues:
        assert not LEAKS.search(cue.text), cue
