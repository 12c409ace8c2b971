"""Episode titles from the source's own words: a describing sentence, else a friendlier file name."""

from __future__ import annotations

from pathlib import Path

from coursegen.ingest import IngestReport, ingest_file
from coursegen.ingest.titles import MAX_TITLE_CHARS, title_from_description, title_from_stem
from tests.ingest.conftest import SEEDS


def test_a_sentence_describing_the_episode_becomes_its_title() -> None:
    assert title_from_description("- This episode covers the history of attention.") == \
        "The history of attention"
    assert title_from_description("The conversation centers on scaling laws.") == "Scaling laws"
    # "A discussion with X about Y" names who and what: "X on Y".
    assert title_from_description(
        "The episode focuses on a discussion with Ann Lee from Acme about the future of robots."
    ) == "Ann Lee from Acme on the future of robots"


def test_a_sentence_that_does_not_describe_the_episode_gives_no_title() -> None:
    assert title_from_description("- Jeff Dean is Google's Senior Fellow and SVP of Google Research.") is None
    assert title_from_description("No specific guest company is featured.") is None
    assert title_from_description("The episode is short.") is None  # one word is not a title


def test_a_long_description_is_cut_at_a_word() -> None:
    title = title_from_description("This episode covers " + "very " * 40 + "long things.")
    assert title is not None and len(title) <= MAX_TITLE_CHARS and title.endswith("very…")


def test_a_number_and_hash_file_name_reads_as_an_episode_number() -> None:
    assert title_from_stem("003_9859fa03d6cc2246", []) == "Episode 003"
    assert title_from_stem("003", ["Ann Lee"]) == "Episode 003 with Ann Lee"
    four = ["Ann", "Bob", "Cy", "Dee"]
    assert title_from_stem("12-9859fa03d6cc", four) == "Episode 12 with Ann, Bob and Cy"
    # Names that say something, dates, or a bare hash stay as they are.
    for stem in ("lex_fridman_123", "2024-05-01", "9859fa03d6cc2246", "deadbeef", "ep_12"):
        assert title_from_stem(stem, []) == stem


def test_seed_titles_come_from_the_sources(seed_report: IngestReport) -> None:
    titles = {episode.id[:3]: episode.title for episode in seed_report.episodes}
    # 000 has no title line: its EPISODE CONTEXT says what the episode is.
    assert titles["000"] == ("Jeff Dean and Noam Shazir from Google on the past, present and future of AI "
                             "technology at Google")
    assert titles["003"] == "Episode 003"  # whisper.cpp output: only the file name
    assert titles["004"].startswith("Andrej Karpathy")
    # Ids stay the file names: cards and citations depend on them.
    assert [e.id for e in seed_report.episodes][0] == "000-293b57aa9e5c01cf"


def test_an_analysis_without_episode_context_falls_back_to_its_file_name(tmp_path: Path) -> None:
    text = (SEEDS / "000_293b57aa9e5c01cf.txt").read_text(encoding="utf-8")
    header, transcript = text.split("# Transcript", 1)
    start = header.index("EPISODE CONTEXT")
    header = header[:start] + header[header.index("KEY INSIGHTS"):]
    path = tmp_path / "talk_0042_ab12cd34ef.txt"
    path.write_text(header + "# Transcript" + transcript, encoding="utf-8")
    episode = ingest_file(path)
    assert episode.format == "seed-analysis"
    assert episode.title == "talk_0042_ab12cd34ef"
    assert episode.id == "talk-0042-ab12cd34ef"
