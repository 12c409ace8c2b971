"""Benchmark: validate a programmatically built 2,000-item course citing the five seeds.

Prints `validate_2000_items_s <seconds>` (target < 2 s): the figure covers validate_course end
to end (index, source reads, every rule). Also `validate_per_item_ms`: the mean cost of one
check_question/check_card call with a fresh context, as the generation pipeline makes them.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coursegen.citations import EpisodeIndex, card_identity, fact_key, materialize  # noqa: E402
from coursegen.ingest import ingest_paths  # noqa: E402
from coursegen.ir import (  # noqa: E402
    Block,
    Card,
    Citation,
    Concept,
    Course,
    Episode,
    Lesson,
    Question,
)
from coursegen.textnorm import STOP_WORDS, words  # noqa: E402
from coursegen.validate import CheckContext, check_card, check_question, validate_course  # noqa: E402

SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
ITEMS = 2000


def load_episodes() -> list[Episode]:
    """The five seeds, ingested by the real ingester."""
    report = ingest_paths(SEEDS)
    if report.errors or len(report.episodes) != len(SEEDS):
        raise SystemExit(f"ingest failed: {report.errors}")
    return list(report.episodes)


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

    def next_citation() -> Citation:
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
    episodes = load_episodes()
    course = build_course(episodes)
    items = len(course.questions) + len(course.cards) + sum(len(lesson.blocks) for lesson in course.lessons)
    started, cpu_started = time.perf_counter(), time.process_time()
    report = validate_course(course)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    print(
        f"# {len(episodes)} seed episodes; {items} items, {report.citations_total} citations, "
        f"{len(report.findings)} findings, validity {report.citation_validity_rate:.1%}, cpu {cpu:.3f} s",
        file=sys.stderr,
    )
    print(f"validate_2000_items_s {elapsed:.3f}")
    # The pipeline's view: one context, then one call per generated item (cold caches).
    ctx = CheckContext.for_course(course)
    started = time.perf_counter()
    for question in course.questions:
        check_question(question, ctx)
    for card in course.cards:
        check_card(card, ctx)
    per_item = (time.perf_counter() - started) / (len(course.questions) + len(course.cards))
    print(f"validate_per_item_ms {per_item * 1000:.3f}")


if __name__ == "__main__":
    main()
