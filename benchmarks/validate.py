"""Benchmark: validate a programmatically built 2,000-item course citing the five seeds.

Prints `validate_2000_items_s <seconds>` (target < 2 s): load nothing from disk but the
seeds; the figure covers validate_course end to end (index, source reads, every rule).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coursegen.citations import EpisodeIndex, card_identity, fact_key, materialize  # noqa: E402
from coursegen.fsutil import sha256_bytes  # noqa: E402
from coursegen.ir import (  # noqa: E402
    Block,
    Card,
    Concept,
    Course,
    Episode,
    Lesson,
    Passage,
    Question,
    Sentence,
)
from coursegen.textnorm import STOP_WORDS, words  # noqa: E402
from coursegen.validate import validate_course  # noqa: E402

SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
ITEMS = 2000


def _line_episodes() -> list[Episode]:
    """Fallback while the ingester is not merged: one sentence per non-empty line, 6 per passage."""
    episodes: list[Episode] = []
    for path in SEEDS:
        data = path.read_bytes()
        lines = data.decode("utf-8").split("\n")
        stem = path.stem.split("_")[0]
        passages: list[Passage] = []
        current: list[Sentence] = []
        for number, line in enumerate(lines, start=1):
            if len(words(line)) >= 8:
                p = len(passages)
                current.append(
                    Sentence(
                        id=f"e{stem}/p{p}/s{len(current)}",
                        text=line.strip(),
                        line_start=number,
                        line_end=number,
                    )
                )
            if len(current) == 6 or (current and number == len(lines)):
                p = len(passages)
                passages.append(
                    Passage(
                        id=f"e{stem}/p{p}",
                        line_start=current[0].line_start,
                        line_end=current[-1].line_end,
                        sentences=current,
                    )
                )
                current = []
        episodes.append(
            Episode(
                id=f"e{stem}",
                title=path.name,
                source=str(path),
                sha256=sha256_bytes(data),
                format="plain-text",
                passages=passages,
            )
        )
    return episodes


def load_episodes() -> tuple[list[Episode], str]:
    """Episodes of the five seeds: from the ingester when merged, else the line fallback."""
    try:
        from coursegen.ingest import ingest_paths  # type: ignore[attr-defined]
    except ImportError:
        return _line_episodes(), "line-fallback"
    return list(ingest_paths(SEEDS).episodes), "coursegen.ingest"


def build_course(episodes: list[Episode]) -> Course:
    """2,000 items (questions, cards, lesson blocks) each citing one seed sentence."""
    index = EpisodeIndex(episodes)
    sentences = [s for e in episodes for p in e.passages for s in p.sentences if len(words(s.text)) >= 8]
    n_concepts, n_lessons = 60, 30
    concepts = [Concept(id=f"c{i}", name=f"Concept {i}", definition="d") for i in range(n_concepts)]
    lessons: list[Lesson] = []
    questions: list[Question] = []
    cards: list[Card] = []
    blocks_per_lesson = 4
    items = 0
    step = max(len(sentences) // ITEMS, 1)
    pick = 0

    def next_citation():  # type: ignore[no-untyped-def]
        nonlocal pick
        sentence = sentences[(pick * step) % len(sentences)]
        pick += 1
        return materialize(index, sentence.id.split("/")[0], [sentence.id])

    for position in range(n_lessons):
        lid = f"l{position}"
        blocks = [Block(text=f"Block {b}", citations=[next_citation()]) for b in range(blocks_per_lesson)]
        items += blocks_per_lesson
        lessons.append(
            Lesson(
                id=lid,
                position=position,
                title=f"Lesson {position}",
                level=1 + position // 10,
                concepts=[f"c{2 * position}", f"c{2 * position + 1}"],
                problem="p",
                prediction="q",
                blocks=blocks,
            )
        )
    remaining = ITEMS - items
    for position, lesson in enumerate(lessons):
        share = remaining // n_lessons + (1 if position < remaining % n_lessons else 0)
        for k in range(share):
            citation = next_citation()
            content = [w for w in words(citation.quote) if w not in STOP_WORDS and len(w) > 3] or ["thing"]
            term = content[len(content) // 2]
            concept = lesson.concepts[k % 2]
            if k % 2 == 0:
                qid = f"q{position}-{k}"
                options = [term, "alpha", "beta", "gamma"]
                answer = k % 4
                options[0], options[answer] = options[answer], options[0]
                questions.append(
                    Question(
                        id=qid,
                        lesson=lesson.id,
                        concept=concept,
                        kind="mcq",
                        stem=f"Which word fits item {qid}?",
                        options=options,
                        answer=answer,
                        citations=[citation],
                        difficulty=1 + k % 3,
                    )
                )
                lesson.question_ids.append(qid)
            else:
                front = citation.quote.replace(term, "{{c1::" + term + "}}", 1)
                cards.append(
                    Card(
                        id=f"k{position}-{k}",
                        identity=card_identity("bench", concept, fact_key("cloze", citation.quote)),
                        kind="cloze",
                        front=front,
                        concept=concept,
                        lesson=lesson.id,
                        citations=[citation],
                    )
                )
    return Course(
        id="bench",
        title="Benchmark",
        episodes=episodes,
        concepts=concepts,
        lessons=lessons,
        questions=questions,
        cards=cards,
    )


def main() -> None:
    episodes, origin = load_episodes()
    course = build_course(episodes)
    items = len(course.questions) + len(course.cards) + sum(len(lesson.blocks) for lesson in course.lessons)
    started = time.perf_counter()
    report = validate_course(course)
    elapsed = time.perf_counter() - started
    print(
        f"# episodes from {origin}; {items} items, {report.citations_total} citations, "
        f"{len(report.findings)} findings, validity {report.citation_validity_rate:.1%}",
        file=sys.stderr,
    )
    print(f"validate_2000_items_s {elapsed:.3f}")


if __name__ == "__main__":
    main()
