"""Builds the validate fixtures from the small source transcript, through the IR.

`tests/fixtures/validate/make_fixtures.py` writes them to JSON; tests also call these
functions directly to get fresh, mutable courses.
"""

from __future__ import annotations

import re
from pathlib import Path

from coursegen.citations import EpisodeIndex, card_identity, fact_key, materialize
from coursegen.fsutil import sha256_bytes
from coursegen.ir import (
    Block,
    Card,
    Citation,
    Concept,
    Course,
    Episode,
    Lesson,
    Passage,
    PlacementItem,
    Question,
    Sentence,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "validate"
SOURCE = FIXTURES / "source" / "talk.txt"
SOURCE_REL = "source/talk.txt"  # relative to the folder holding the course files
COURSE_ID = "accelerators"
_LINE = re.compile(r"^\[(\d\d):(\d\d):(\d\d)\] (\w+): (.*)$")
# The wording of line 14 when the defect course was "built"; the file now says otherwise.
STALE_LINE = 14
OLD_LINE_14 = "[00:00:56] Bob: Batching raises throughput because the chip stays busy all the time."


def parse_talk(text: str, source: str = SOURCE_REL) -> Episode:
    """The fixture format: header lines, then timed lines (one sentence each) in blank-line passages."""
    lines = text.split("\n")
    title = lines[0].removeprefix("# Title: ").strip()
    url = lines[1].removeprefix("# URL: ").strip()
    groups: list[list[tuple[int, float, str, str]]] = [[]]
    for number, line in enumerate(lines, start=1):
        match = _LINE.match(line)
        if match:
            h, m, s, speaker, said = match.groups()
            groups[-1].append((number, int(h) * 3600 + int(m) * 60 + int(s), speaker, said.strip()))
        elif not line.strip() and groups[-1]:
            groups.append([])
    flat = [row for group in groups for row in group]
    ends = {row[0]: nxt[1] for row, nxt in zip(flat, flat[1:], strict=False)}
    passages: list[Passage] = []
    for p, group in enumerate(g for g in groups if g):
        sentences = [
            Sentence(
                id=f"talk/p{p}/s{k}",
                text=said,
                start=float(start),
                end=float(ends.get(number, start + 5)),
                line_start=number,
                line_end=number,
            )
            for k, (number, start, _, said) in enumerate(group)
        ]
        passages.append(
            Passage(
                id=f"talk/p{p}",
                start=sentences[0].start,
                end=sentences[-1].end,
                speaker=group[0][2],
                line_start=group[0][0],
                line_end=group[-1][0],
                sentences=sentences,
            )
        )
    return Episode(
        id="talk",
        title=title,
        source=source,
        sha256=sha256_bytes(text.encode("utf-8")),
        format="plain-text",
        speakers=sorted({g[0][2] for g in groups if g}),
        url=url,
        passages=passages,
    )


def current_episode() -> Episode:
    """The episode as the source file is now."""
    return parse_talk(SOURCE.read_text(encoding="utf-8"))


def old_episode() -> Episode:
    """The episode as it was when the defect course was built (line 13 said something else)."""
    lines = SOURCE.read_text(encoding="utf-8").split("\n")
    lines[STALE_LINE - 1] = OLD_LINE_14
    return parse_talk("\n".join(lines))


class _Cite:
    def __init__(self, episode: Episode) -> None:
        self.index = EpisodeIndex([episode])

    def __call__(self, *refs: str) -> Citation:
        """cite("p0s0", "p0s1") → a materialized citation of talk/p0/s0..s1."""
        ids = [f"talk/{r[: r.index('s')]}/{r[r.index('s') :]}" for r in refs]
        return materialize(self.index, "talk", ids)


L0 = "lesson-matrix-multiplication-tpu"
L1 = "lesson-quantization-batching"
L2 = "lesson-distillation-speculative-decoding"


def _card(kind: str, cid: str, concept: str, lesson: str, front: str, back: str, cite: Citation) -> Card:
    return Card(
        id=cid,
        identity=card_identity(COURSE_ID, concept, fact_key(kind, cite.quote)),
        kind=kind,  # type: ignore[arg-type]
        front=front,
        back=back,
        concept=concept,
        lesson=lesson,
        citations=[cite],
    )


def build_clean_course(episode: Episode | None = None) -> Course:
    """A small course that passes every rule."""
    episode = episode or current_episode()
    cite = _Cite(episode)
    concepts = [
        Concept(
            id="matrix-multiplication",
            name="Matrix multiplication",
            kind="technique",
            definition="Combining every row of one table with every column of another.",
            citations=[cite("p0s0", "p0s1")],
            importance=1.0,
        ),
        Concept(
            id="tpu",
            name="TPU",
            aliases=["tensor processing unit"],
            kind="system",
            definition="A chip Google designed to run matrix multiplication quickly.",
            citations=[cite("p1s0")],
            prerequisites=["matrix-multiplication"],
            importance=0.9,
        ),
        Concept(
            id="quantization",
            name="Quantization",
            kind="technique",
            definition="Storing each weight with fewer bits.",
            citations=[cite("p2s0")],
            prerequisites=["tpu"],
            importance=0.8,
        ),
        Concept(
            id="batching",
            name="Batching",
            kind="technique",
            definition="Grouping many user requests so the chip multiplies them together.",
            citations=[cite("p3s0")],
            prerequisites=["tpu"],
            importance=0.7,
        ),
        Concept(
            id="distillation",
            name="Distillation",
            aliases=["knowledge distillation"],
            kind="technique",
            definition="Training a small student model to imitate a large teacher model.",
            citations=[cite("p4s0")],
            importance=0.7,
        ),
        Concept(
            id="speculative-decoding",
            name="Speculative decoding",
            kind="technique",
            definition="A small draft model guesses tokens that the large model checks in one pass.",
            citations=[cite("p5s0", "p5s1")],
            prerequisites=["distillation"],
            importance=0.6,
        ),
    ]
    lessons = [
        Lesson(
            id=L0,
            position=0,
            title="Why one operation dominates the hardware",
            level=1,
            concepts=["matrix-multiplication", "tpu"],
            problem="Why would a company build a chip that can do only one kind of arithmetic?",
            prediction="Guess which single operation takes most of a neural network's running time.",
            prediction_reveal="Matrix multiplication.",
            blocks=[
                Block(
                    text="Most of the work inside a network is matrix multiplication.",
                    citations=[cite("p0s0")],
                ),
                Block(
                    text="A TPU is built for exactly that operation and trades flexibility for speed.",
                    citations=[cite("p1s0", "p1s1")],
                ),
            ],
            reading_minutes=1.0,
            question_ids=["q-matmul-mcq", "q-tpu-tf"],
        ),
        Lesson(
            id=L1,
            position=1,
            title="Getting more out of one chip",
            level=2,
            concepts=["quantization", "batching"],
            problem="A model is too big for the memory of the chip you own and users are waiting. "
            "What can you change without buying hardware?",
            prediction="Predict: if you store each weight in fewer bits, what size of model fits?",
            prediction_reveal="A bigger one.",
            blocks=[
                Block(
                    text="Quantization shrinks each weight so a bigger model fits.",
                    citations=[cite("p2s0", "p2s1")],
                ),
                Block(
                    text="Batching multiplies many requests together on the chip.", citations=[cite("p3s0")]
                ),
            ],
            reading_minutes=1.0,
            question_ids=["q-quant-cloze", "q-batching-mcq"],
            prerequisite_lessons=[L0],
        ),
        Lesson(
            id=L2,
            position=2,
            title="Making small models do big work",
            level=2,
            concepts=["distillation", "speculative-decoding"],
            problem="A large model is accurate but slow. How can a small model help without losing quality?",
            prediction="Predict: can a small model speed up a large one without changing its answers?",
            prediction_reveal="Yes, if the large model checks the small one's guesses.",
            blocks=[
                Block(
                    text="Distillation trains a small student to imitate a large teacher.",
                    citations=[cite("p4s0", "p4s1")],
                ),
                Block(
                    text="Speculative decoding lets a draft model guess tokens that the large model checks.",
                    citations=[cite("p5s0", "p5s1")],
                ),
            ],
            reading_minutes=1.0,
            question_ids=["q-distill-short", "q-specdec-mcq"],
        ),
    ]
    questions = [
        Question(
            id="q-matmul-mcq",
            lesson=L0,
            concept="matrix-multiplication",
            kind="mcq",
            stem="Which operation takes most of a neural network's running time?",
            options=["Matrix multiplication", "Sorting lists", "Disk compression", "Text parsing"],
            answer=0,
            citations=[cite("p0s0")],
            difficulty=1,
        ),
        Question(
            id="q-tpu-tf",
            lesson=L0,
            concept="tpu",
            kind="true_false",
            stem="A TPU trades general flexibility for raw throughput.",
            answer=True,
            citations=[cite("p1s0", "p1s1")],
            bloom="understand",
            difficulty=2,
        ),
        Question(
            id="q-quant-cloze",
            lesson=L1,
            concept="quantization",
            kind="cloze",
            stem="____ stores each weight with fewer bits so a bigger model fits in memory.",
            answer="Quantization",
            citations=[cite("p2s0", "p2s1")],
            difficulty=1,
        ),
        Question(
            id="q-batching-mcq",
            lesson=L1,
            concept="batching",
            kind="mcq",
            stem="What does batching group together so the chip can multiply them at once?",
            options=["Model weights", "User requests", "Disk drives", "Training runs"],
            answer=1,
            citations=[cite("p3s0")],
            difficulty=2,
        ),
        Question(
            id="q-distill-short",
            lesson=L2,
            concept="distillation",
            kind="short",
            stem="In your own words, what does distillation do?",
            answer="It trains a small student model to imitate a large teacher model, keeping most "
            "of the quality.",
            citations=[cite("p4s0", "p4s1")],
            bloom="understand",
            difficulty=2,
        ),
        Question(
            id="q-specdec-mcq",
            lesson=L2,
            concept="speculative-decoding",
            kind="mcq",
            stem="In speculative decoding, what does the large model do with the draft model's guesses?",
            options=["Ignores them", "Checks them in one pass", "Retrains on them", "Deletes them"],
            answer=1,
            citations=[cite("p5s1")],
            bloom="understand",
            difficulty=3,
        ),
    ]
    cards = [
        _card(
            "basic",
            "card-matmul",
            "matrix-multiplication",
            L0,
            "Which operation dominates the running time of neural networks?",
            "Matrix multiplication",
            cite("p0s0"),
        ),
        _card(
            "basic",
            "card-tpu",
            "tpu",
            L0,
            "What does a TPU give up in exchange for raw throughput?",
            "General flexibility",
            cite("p1s1"),
        ),
        _card(
            "cloze",
            "card-quant",
            "quantization",
            L1,
            "{{c1::Quantization}} stores each weight with fewer bits.",
            "",
            cite("p2s0"),
        ),
        _card(
            "basic",
            "card-batching",
            "batching",
            L1,
            "What does batching group so the chip multiplies them together?",
            "Many user requests",
            cite("p3s0"),
        ),
        _card(
            "basic",
            "card-distill",
            "distillation",
            L2,
            "What does distillation train a small student model to do?",
            "Imitate a large teacher model",
            cite("p4s0"),
        ),
        _card(
            "cloze",
            "card-specdec",
            "speculative-decoding",
            L2,
            "In {{c1::speculative decoding}}, a small draft model guesses several tokens ahead.",
            "",
            cite("p5s0"),
        ),
    ]
    return Course(
        id=COURSE_ID,
        title="How accelerators changed deep learning",
        episodes=[episode],
        concepts=concepts,
        lessons=lessons,
        questions=questions,
        cards=cards,
        placement=[
            PlacementItem(question_id="q-matmul-mcq", start_lesson=L0),
            PlacementItem(question_id="q-quant-cloze", start_lesson=L1),
            PlacementItem(question_id="q-specdec-mcq", start_lesson=L2),
        ],
    )


def _tf(
    qid: str,
    lesson: str,
    concept: str,
    stem: str,
    citations: list[Citation],
    answer: bool = True,
    explanation: str = "",
) -> Question:
    return Question(
        id=qid,
        lesson=lesson,
        concept=concept,
        kind="true_false",
        stem=stem,
        answer=answer,
        explanation=explanation,
        citations=citations,
        difficulty=2,
    )


def _mcq(
    qid: str, lesson: str, concept: str, stem: str, options: list[str], answer: int, citations: list[Citation]
) -> Question:
    return Question(
        id=qid,
        lesson=lesson,
        concept=concept,
        kind="mcq",
        stem=stem,
        options=options,
        answer=answer,
        citations=citations,
        difficulty=2,
    )


# Every planted defect of the defect course: (code, item id). Each defect appears once.
EXPECTED_DEFECTS: list[tuple[str, str]] = [
    ("CIT001", "lesson-shape-defects#block0"),  # explanation block without citation
    ("CIT001", "q-no-citation"),  # question without citation
    ("CIT002", "q-missing-sentence"),  # sentence id that does not exist
    ("CIT003", "q-span-passages"),  # ids from two passages
    ("CIT004", "q-quote-edited"),  # quote not in the source (hand-edited)
    ("CIT005", "q-wrong-passage"),  # quote from the wrong passage
    ("CIT006", "card-stale"),  # stale citation: the source line changed after the build
    ("CIT008", "talk"),  # the source file changed since the build (warning)
    ("CIT009", "q-unsupported"),  # answer not supported by its quote
    ("CIT010", "q-short-quote"),  # quote under 6 words (warning)
    ("CIT012", "q-bad-time"),  # start time not the sentence's
    ("CIT013", "q-bad-link"),  # deep link to the wrong place
    ("CARD001", "card-long-answer"),
    ("CARD002", "card-list-answer"),
    ("CARD003", "card-enumeration"),
    ("CARD005", "card-not-self-contained"),
    ("CARD006", "card-cloze-syntax"),
    ("CARD007", "card-stopword-cloze"),
    ("CARD008", "card-giveaway-cloze"),
    ("CARD009", "card-near-duplicate"),
    ("QST002", "q-false-without-truth"),
    ("MCQ002", "q-duplicate-options"),
    ("MCQ004", "q-all-of-the-above"),
    ("MCQ005", "q-length-tell"),
    ("MCQ008", "q-kind-mismatch"),  # warning
    ("MCQ009", "q-two-correct"),
    ("MCQ010", "q-stem-contains-answer"),
    ("RAMP001", "matrix-multiplication"),  # prerequisite cycle matrix-multiplication <-> tpu
    ("RAMP002", "card-forward-concept"),  # card about a concept taught two lessons later
    ("RAMP003", L0),  # lesson 0 text names speculative decoding (taught in lesson 2)
    ("RAMP006", "lesson-shape-defects"),  # level jumps from 2 to 4
    ("RAMP007", "lesson-shape-defects"),  # no opening problem
    ("RAMP008", "lesson-shape-defects"),  # no prediction
    ("RAMP009", "lesson-shape-defects"),  # no check-yourself questions
]


def build_defect_course() -> Course:
    """The clean course, built from an older source, plus one item per planted defect."""
    episode = old_episode()
    course = build_clean_course(episode)
    cite = _Cite(episode)
    concepts = {c.id: c for c in course.concepts}
    concepts["matrix-multiplication"].prerequisites = ["tpu"]  # closes a cycle with tpu
    lesson0 = course.lessons[0]
    lesson0.blocks.append(
        Block(
            text="Later tricks such as speculative decoding also rely on fast multiplication.",
            citations=[cite("p0s1")],
        )
    )
    course.lessons.append(
        Lesson(
            id="lesson-shape-defects",
            position=3,
            title="Review",
            level=4,
            concepts=[],
            problem="",
            prediction="",
            blocks=[Block(text="Review.")],
        )
    )
    edited = cite("p0s0").model_copy(
        update={"quote": "Neural networks spend all of their time doing matrix multiplication."}
    )
    wrong = cite("p1s0").model_copy(update={"quote": cite("p4s0").quote})
    missing = Citation(episode="talk", sentence_ids=["talk/p2/s9"], quote="Quantization is magic.")
    spanning = Citation(
        episode="talk",
        sentence_ids=["talk/p4/s1", "talk/p5/s0"],
        quote=cite("p4s1").quote + " " + cite("p5s0").quote,
    )
    bad_time = cite("p0s1").model_copy(
        update={"start": 99.0, "url": cite("p0s1").url.replace("t=11s", "t=99s")}
    )
    bad_link = cite("p3s0").model_copy(update={"url": "https://example.com/other"})
    course.questions += [
        _tf(
            "q-quote-edited",
            L0,
            "matrix-multiplication",
            "Neural networks spend most of their running time doing matrix multiplication.",
            [edited],
        ),
        _tf(
            "q-wrong-passage",
            L0,
            "tpu",
            "A TPU is a chip designed to run matrix multiplication quickly.",
            [wrong],
        ),
        _tf(
            "q-no-citation",
            L0,
            "matrix-multiplication",
            "Matrix multiplication combines rows with columns.",
            [],
        ),
        _tf(
            "q-missing-sentence",
            L1,
            "quantization",
            "Quantization stores weights with fewer bits.",
            [missing],
        ),
        _tf("q-span-passages", L2, "distillation", "A student model keeps most of the quality.", [spanning]),
        _tf(
            "q-short-quote",
            L2,
            "speculative-decoding",
            "The large model checks the guessed tokens.",
            [cite("p5s2")],
        ),
        _tf(
            "q-bad-time",
            L0,
            "matrix-multiplication",
            "A matrix multiplication combines every row of one table with every column of another.",
            [bad_time],
        ),
        _tf("q-bad-link", L1, "batching", "Batching groups many user requests.", [bad_link]),
        _tf(
            "q-false-without-truth",
            L1,
            "quantization",
            "Quantization stores each weight with more bits.",
            [cite("p2s0")],
            answer=False,
        ),
        _mcq(
            "q-unsupported",
            L1,
            "quantization",
            "What does quantization reduce?",
            ["Cable length", "Fan noise level of the laptop", "Screen brightness"],
            2,
            [cite("p2s0")],
        ),
        _mcq(
            "q-two-correct",
            L0,
            "tpu",
            "What is true of the TPU?",
            [
                "It stores weights on disk",
                "Google designed it for matrix multiplication",
                "It gives up general flexibility for raw throughput",
            ],
            1,
            [cite("p1s0", "p1s1")],
        ),
        _mcq(
            "q-length-tell",
            L2,
            "distillation",
            "What does distillation produce?",
            [
                "A small student model that keeps most of the quality while running faster",
                "A bigger GPU",
                "A new dataset",
                "A faster disk",
            ],
            0,
            [cite("p4s0", "p4s1")],
        ),
        _mcq(
            "q-all-of-the-above",
            L2,
            "distillation",
            "Which describes distillation?",
            [
                "Deleting half of the network's layers",
                "Training a student to imitate a teacher",
                "All of the above",
            ],
            1,
            [cite("p4s0")],
        ),
        _mcq(
            "q-stem-contains-answer",
            L2,
            "speculative-decoding",
            "In speculative decoding, a small draft model guesses tokens ahead. What guesses the tokens?",
            ["The user", "The compiler of the program", "The small draft model"],
            2,
            [cite("p5s0")],
        ),
        _mcq(
            "q-duplicate-options",
            L1,
            "quantization",
            "How many bits does a quantized weight use in the example?",
            ["Eight bits", "eight bits!", "Sixteen bits"],
            0,
            [cite("p2s0")],
        ),
        _mcq(
            "q-kind-mismatch",
            L1,
            "quantization",
            "How many bits per weight does the quantized example use?",
            ["32", "Eight bits", "Sixteen bits"],
            1,
            [cite("p2s0")],
        ),
    ]
    course.cards += [
        _card(
            "basic",
            "card-forward-concept",
            "speculative-decoding",
            L0,
            "What does the large model keep after one checking pass?",
            "The correct guessed tokens",
            cite("p5s1"),
        ),
        _card(
            "basic",
            "card-enumeration",
            "quantization",
            L1,
            "Name the three benefits of quantization.",
            "Fewer bits",
            cite("p2s0"),
        ),
        _card("basic", "card-stale", "batching", L1, "What does batching raise?", "Throughput", cite("p3s1")),
        _card(
            "cloze",
            "card-cloze-syntax",
            "quantization",
            L1,
            "{{c1:Quantization}} lets the same chip hold a bigger model.",
            "",
            cite("p2s1"),
        ),
        _card(
            "basic",
            "card-not-self-contained",
            "distillation",
            L2,
            "According to the speaker, what does the student model keep?",
            "Most of the quality",
            cite("p4s1"),
        ),
        _card(
            "basic",
            "card-near-duplicate",
            "matrix-multiplication",
            L0,
            "Which operation dominates the running time of a neural network?",
            "Matrix multiplication of tables",
            cite("p0s0", "p0s1"),
        ),
        _card(
            "basic",
            "card-list-answer",
            "tpu",
            L0,
            "What is a TPU?",
            "Google designed it, runs matrix multiplication, gives up flexibility",
            cite("p1s0", "p1s1"),
        ),
        _card(
            "basic",
            "card-long-answer",
            "distillation",
            L2,
            "Why use distillation?",
            "Because the student model keeps most of the quality of the large teacher model while running "
            "much faster",
            cite("p4s0", "p4s1"),
        ),
        _card(
            "cloze",
            "card-stopword-cloze",
            "matrix-multiplication",
            L0,
            "Neural networks spend most {{c1::of their}} running time doing matrix multiplication.",
            "",
            cite("p0s0"),
        ),
        _card(
            "cloze",
            "card-giveaway-cloze",
            "distillation",
            L2,
            "{{c1::Distillation}} trains a student model; distillation imitates a teacher.",
            "",
            cite("p4s0"),
        ),
    ]
    return course
