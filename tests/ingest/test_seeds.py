"""The five seeds ingest into episodes with the promised shape and quality."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coursegen.ingest import IngestReport
from coursegen.ir import Episode
from tests.ingest.conftest import SEEDS
from tests.ingest.trace import assert_traceable, tokens

CJK = re.compile(r"[\u3000-\u303f\u3040-\u30ff\u4e00-\u9fff\uff00-\uffef]")


def _by_prefix(report: IngestReport, prefix: str) -> Episode:
    return next(e for e in report.episodes if e.id.startswith(prefix))


def _words(episode: Episode) -> list[str]:
    return [w for p in episode.passages for s in p.sentences for w in s.text.split()]


def test_five_episodes_sorted_with_expected_formats(seed_report: IngestReport) -> None:
    assert seed_report.errors == []
    assert [e.id for e in seed_report.episodes] == sorted(
        re.sub(r"[^a-z0-9]+", "-", p.stem) for p in SEEDS.iterdir()
    )
    assert [e.format for e in seed_report.episodes] == [
        "seed-analysis",
        "seed-summary-page",
        "seed-summary-page",
        "whisper-cpp",
        "seed-bilingual-captions",
    ]
    for episode in seed_report.episodes:
        assert episode.language == "en"
        assert len(episode.sha256) == 64


@pytest.mark.parametrize("seed", sorted(p.name for p in SEEDS.iterdir()))
def test_every_sentence_traceable(seed_report: IngestReport, seed: str) -> None:
    episode = next(e for e in seed_report.episodes if e.source.endswith(seed))
    assert_traceable(episode, SEEDS / seed)


def test_timed_seeds_have_times_on_every_passage(seed_report: IngestReport) -> None:
    for prefix in ("003", "004"):
        episode = _by_prefix(seed_report, prefix)
        for passage in episode.passages:
            assert passage.start is not None and passage.end is not None, passage.id
            assert all(s.start is not None for s in passage.sentences), passage.id
        starts = [p.start for p in episode.passages]
        assert starts == sorted(starts)
    assert _by_prefix(seed_report, "004").passages[-1].end == pytest.approx(2 * 3600 + 26 * 60 + 4, abs=5)


def test_untimed_seeds_have_no_invented_times(seed_report: IngestReport) -> None:
    for prefix in ("000", "001", "002"):
        episode = _by_prefix(seed_report, prefix)
        assert all(p.start is None and p.end is None for p in episode.passages)


def test_004_has_no_translations_and_no_rolling_repeats(seed_report: IngestReport) -> None:
    episode = _by_prefix(seed_report, "004")
    assert episode.url == "https://www.youtube.com/watch?v=lXUZvyajciY"
    assert episode.title.startswith("Andrej Karpathy")
    for passage in episode.passages:
        for sentence in passage.sentences:
            assert not CJK.search(sentence.text), sentence.id
            # Line 610 is the translation "  ATCGs。": no sentence may start on a translation line.
    lines = (SEEDS / "004_81e8968b19920830.txt").read_text(encoding="utf-8").split("\n")
    assert lines[609].startswith("  ") and not CJK.search(lines[609].replace("。", ""))
    cited_lines = {s.line_start for p in episode.passages for s in p.sentences}
    assert all(not lines[n - 1].startswith(" ") for n in cited_lines)
    # No rolling repeat: no run of 6 words occurs twice in a row across the text.
    words = [w for w in tokens(" ".join(_words(episode)))]
    for index in range(len(words) - 12):
        assert words[index : index + 6] != words[index + 6 : index + 12], " ".join(words[index : index + 12])
    # The second part (rolling two-row captions) must shrink to about half its raw size.
    raw_second = sum(len(line.split()) - 1 for line in lines[1900:] if line.startswith("["))
    kept_second = sum(
        len(s.text.split()) for p in episode.passages for s in p.sentences if s.line_start > 1900
    )
    assert kept_second < 0.65 * raw_second


def test_004_turn_markers_are_not_words(seed_report: IngestReport) -> None:
    episode = _by_prefix(seed_report, "004")
    assert not any(">>" in s.text for p in episode.passages for s in p.sentences)


def test_001_pseudo_sentences_are_short_and_junk_is_gone(seed_report: IngestReport) -> None:
    episode = _by_prefix(seed_report, "001")
    lengths = [len(s.text.split()) for p in episode.passages for s in p.sentences]
    assert max(lengths) <= 40
    assert sum(lengths) / len(lengths) >= 8
    text = " ".join(_words(episode))
    assert "Loading video analysis" not in text
    assert "[Music]" not in text
    assert episode.title.startswith("Noam Shazeer and Jack Rae")
    assert len(episode.claims) == 6
    assert all(c.start is not None for c in episode.claims)
    assert episode.claims[0].start == 151.0  # [02:31]
    assert episode.claims[-1].start == 23 * 60 + 30  # times are not sorted in the source


def test_002_overlapping_lines_are_not_repeated(seed_report: IngestReport) -> None:
    episode = _by_prefix(seed_report, "002")
    text = " ".join(_words(episode))
    assert "AI. And so Oriel and I hit AI. And so Oriel" not in text
    assert text.count("And so Oriel and I hit all of them.") == 1
    # Lines there repeat even one word of the line before: "unsupervised machine / machine translation".
    assert "an unsupervised machine translation where" in text
    assert "these models today and there's obviously so much" in text
    assert "Loading video analysis" not in text
    assert episode.claims == []


def test_000_claims_and_turns(seed_report: IngestReport) -> None:
    episode = _by_prefix(seed_report, "000")
    assert len(episode.claims) == 5
    assert all(c.quote and not c.quote.startswith('"') for c in episode.claims)
    assert episode.claims[0].quote is not None and episode.claims[0].quote.startswith("I like about Google")
    text = " ".join(_words(episode))
    assert "(laughing)" not in text
    assert "EPISODE CONTEXT" not in text and "KEY INSIGHTS" not in text
    first = episode.passages[0].sentences[0]
    assert first.text == "Today, I have the honor of chatting with Jeff Dean and Noam Shazir."
    # "- Yeah. - And then once you have that," holds a turn change mid-line.
    line_241 = [s for p in episode.passages for s in p.sentences if s.line_start == 241]
    assert [s.text for s in line_241][:1] == ["Yeah."]
    # "then you want to-- - Right." : a cut-off then a new turn on the same line.
    texts = [s.text for p in episode.passages for s in p.sentences]
    assert "Right." in texts and not any(t.endswith("want to-- Right.") for t in texts)


def test_003_turns_split_sentences(seed_report: IngestReport) -> None:
    episode = _by_prefix(seed_report, "003")
    sentences = [s for p in episode.passages for s in p.sentences]
    assert sentences[0].text.startswith("In the model of the intelligence explosion")
    assert sentences[0].start == 0.0
    tpus = next(s for s in sentences if s.text == "TPUs please.")
    assert (tpus.start, tpus.end) == (62.12, 62.96)
    assert not any("(all laughing)" in s.text for s in sentences)
    # "- Synthetic data. - Synthetic data, right?" holds two turns in one segment.
    line_89 = [s.text for s in sentences if s.line_start == 89]
    assert line_89 == ["Synthetic data.", "Synthetic data, right?"]


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_passages_have_teaching_size(seed_report: IngestReport, prefix: str) -> None:
    episode = _by_prefix(seed_report, prefix)
    sizes = [sum(len(s.text.split()) for s in p.sentences) for p in episode.passages]
    assert sum(sizes) / len(sizes) >= 60
    if episode.passages[0].start is not None:
        durations = [p.end - p.start for p in episode.passages if p.end is not None and p.start is not None]
        assert max(durations) <= 120
        assert sorted(durations)[len(durations) // 2] >= 25
    else:
        assert max(sizes) <= 300


def test_nothing_said_is_lost_in_untimed_seeds(seed_report: IngestReport) -> None:
    # Seeds 000 and 001 have no repeats: every transcript word (bar stage directions) is kept.
    for prefix, marker in (("000", "# Transcript"), ("001", "Full Transcript")):
        episode = _by_prefix(seed_report, prefix)
        path = Path(episode.source)
        text = path.read_text(encoding="utf-8")
        body = text.split(marker, 1)[1].replace("Loading video analysis...", "")
        body = re.sub(r"\[Music\]|\((?:all )?laughing\)|\(laughs\)", " ", body)
        assert len(tokens(" ".join(_words(episode)))) >= 0.995 * len(tokens(body))


def test_stamped_lines_with_names_become_speakers(tmp_path: Path) -> None:
    from coursegen.ingest import ingest_file

    lines = []
    for i in range(60):
        name = ("Ann Lee", "Bob")[i // 5 % 2]
        lines.append(f"[{i // 60:02d}:{i % 60:02d}] {name}: Point number {i} is made here.")
    path = tmp_path / "named.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    episode = ingest_file(path)
    assert episode.format == "timestamped-text"
    assert episode.speakers == ["Ann Lee", "Bob"]
    assert episode.passages[0].speaker == "Ann Lee"
    assert episode.passages[0].sentences[0].text == "Point number 0 is made here."
    assert len(episode.passages) == 12  # one per turn: a passage never mixes named speakers
    assert_traceable(episode, path)


def test_transcript_section_with_names_gets_speakers(tmp_path: Path) -> None:
    from coursegen.ingest import ingest_file

    lines = ["KEY INSIGHTS", "1. Caching matters.", '"cache it"', "", "# Transcript", ""]
    for i in range(40):
        lines.append(f"{('Ann', 'Bob')[i // 4 % 2]}: We discuss point {i} in some detail here.")
    path = tmp_path / "notes.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    episode = ingest_file(path)
    assert episode.format == "seed-analysis"
    assert episode.speakers == ["Ann", "Bob"]
    assert episode.claims[0].quote == "cache it"
    assert all(p.speaker in ("Ann", "Bob") for p in episode.passages)
    assert_traceable(episode, path)
