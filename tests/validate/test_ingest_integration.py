"""The verbatim check against what the real ingester makes of the five seeds."""

from __future__ import annotations

import shutil
from pathlib import Path

from coursegen import ingest
from coursegen.citations import EpisodeIndex, materialize
from coursegen.ir import Block, Course, Lesson
from coursegen.validate import validate_course


def _course_citing_every_sentence(seeds: list[Path]) -> Course:
    episodes = list(ingest.ingest_paths(seeds).episodes)
    index = EpisodeIndex(episodes)
    blocks = [
        Block(text="b", citations=[materialize(index, episode.id, [sentence.id])])
        for episode in episodes
        for passage in episode.passages
        for sentence in passage.sentences
    ]
    lesson = Lesson(
        id="l", position=0, title="t", level=1, concepts=[], problem="p", prediction="q", blocks=blocks
    )
    return Course(id="c", title="t", episodes=episodes, lessons=[lesson])


def test_every_ingested_seed_sentence_is_verbatim_at_its_lines(seeds_dir: Path) -> None:
    course = _course_citing_every_sentence(sorted(seeds_dir.glob("*.txt")))
    report = validate_course(course)
    assert report.citations_total > 3000
    assert report.citation_validity_rate == 1.0, [f for f in report.findings if f.code.startswith("CIT")][:5]


def test_editing_one_seed_line_fails_only_the_sentences_on_it(seeds_dir: Path, tmp_path: Path) -> None:
    seed = tmp_path / "003_9859fa03d6cc2246.txt"
    shutil.copy(seeds_dir / seed.name, seed)
    course = _course_citing_every_sentence([seed])
    sentences = [s for p in course.episodes[0].passages for s in p.sentences]
    target = sentences[len(sentences) // 2]
    lines = seed.read_text(encoding="utf-8").split("\n")
    line = target.line_start
    lines[line - 1] = "[00:00:00.000 --> 00:00:01.000]   completely different words here"
    seed.write_text("\n".join(lines), encoding="utf-8")
    report = validate_course(course)
    failing = {f.item for f in report.findings if f.code == "CIT006"}
    on_line = [
        number
        for number, lesson_block in enumerate(course.lessons[0].blocks)
        for sid in lesson_block.citations[0].sentence_ids
        if any(s.id == sid and s.line_start <= line <= s.line_end for s in sentences)
    ]
    assert failing == {f"l#block{number}" for number in on_line}
    assert report.citations_valid == report.citations_total - len(on_line)
