"""Every rule bites: the defect fixture reports each planted defect, and each other rule has a case."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from coursegen.citations import EpisodeIndex, materialize
from coursegen.ir import Course, Episode, Passage, Question, Sentence
from coursegen.validate import RULES, CheckContext, check_citation, validate_course
from tests.validate.coursebuilder import EXPECTED_DEFECTS, FIXTURES, L0, L1, L2


def _codes(course: Course) -> set[tuple[str, str]]:
    report = validate_course(course, base_dir=FIXTURES)
    return {(f.code, f.item) for f in report.findings}


def test_clean_course_passes_every_rule(clean_course: Course) -> None:
    report = validate_course(clean_course, base_dir=FIXTURES)
    assert report.findings == []
    assert report.citations_total == 24
    assert report.citation_validity_rate == 1.0


def test_defect_course_reports_exactly_the_planted_defects(defect_course: Course) -> None:
    assert _codes(defect_course) == set(EXPECTED_DEFECTS)


@pytest.mark.parametrize(("code", "item"), EXPECTED_DEFECTS)
def test_each_planted_defect_is_reported(defect_course: Course, code: str, item: str) -> None:
    assert (code, item) in _codes(defect_course)


def _question(course: Course, qid: str) -> Question:
    return next(q for q in course.questions if q.id == qid)


def _extra_mcqs(course: Course, answer_at: Callable[[int], int], long_correct: bool) -> None:
    base = _question(course, "q-matmul-mcq")
    for n in range(8):
        options = ["Sorting lists", "Disk compression", "Text parsing", "Image scaling"]
        correct = answer_at(n)
        options[correct] = "Matrix multiplication of tables" if long_correct else "Matrix multiplication"
        course.questions.append(
            base.model_copy(update={"id": f"q-extra-{n}", "options": options, "answer": correct})
        )


def _card(course: Course, cid: str):  # type: ignore[no-untyped-def]
    return next(c for c in course.cards if c.id == cid)


def _mutations() -> dict[str, tuple[Callable[[Course], None], str]]:
    def missing_source(c: Course) -> None:
        c.episodes[0].source = "nowhere/missing.txt"

    def long_card_question(c: Course) -> None:
        card = _card(c, "card-tpu")
        card.front = (
            "What does a TPU, the chip that Google built, " + "really " * 20 + "give up for throughput?"
        )

    def near_identical_answers(c: Course) -> None:
        c.cards.append(
            _card(c, "card-matmul").model_copy(
                update={
                    "id": "card-x",
                    "identity": "x",
                    "front": "What is a neural network mostly busy with?",
                }
            )
        )

    def answer_is_question(c: Course) -> None:
        c.cards.append(
            _card(c, "card-tpu").model_copy(
                update={
                    "id": "card-x",
                    "identity": "x",
                    "front": "Name a good review prompt.",
                    "back": "What does batching group so the chip multiplies them together?",
                }
            )
        )

    def empty_back(c: Course) -> None:
        _card(c, "card-tpu").back = ""

    def same_identity(c: Course) -> None:
        card = _card(c, "card-distill")
        c.cards.append(
            card.model_copy(
                update={
                    "id": "card-x",
                    "front": "Whom does a student model imitate?",
                    "back": "A large teacher model",
                }
            )
        )

    def tf_answer_text(c: Course) -> None:
        _question(c, "q-tpu-tf").answer = "yes"

    def cloze_without_blank(c: Course) -> None:
        _question(c, "q-quant-cloze").stem = "Quantization stores each weight with fewer bits."

    def stem_not_self_contained(c: Course) -> None:
        _question(
            c, "q-tpu-tf"
        ).stem = "According to the text, a TPU trades general flexibility for raw throughput."

    def question_again_later(c: Course) -> None:
        # The same true/false on the same quote, met again two lessons later.
        again = _question(c, "q-tpu-tf").model_copy(update={"id": "q-again", "lesson": L2})
        c.questions.append(again)
        next(lesson for lesson in c.lessons if lesson.id == L2).question_ids.append("q-again")

    def bad_index(c: Course) -> None:
        _question(c, "q-matmul-mcq").answer = 7

    def two_options(c: Course) -> None:
        q = _question(c, "q-matmul-mcq")
        q.options = q.options[:2]

    def correct_always_longest(c: Course) -> None:
        _extra_mcqs(c, lambda n: n % 4, long_correct=True)

    def correct_always_first(c: Course) -> None:
        _extra_mcqs(c, lambda n: 0, long_correct=False)

    def prerequisite_later(c: Course) -> None:
        next(x for x in c.concepts if x.id == "matrix-multiplication").prerequisites = ["distillation"]

    def unknown_concept(c: Course) -> None:
        _question(c, "q-tpu-tf").concept = "no-such-concept"

    def same_difficulty(c: Course) -> None:
        _question(c, "q-tpu-tf").difficulty = 1

    def concept_without_card(c: Course) -> None:
        c.cards = [card for card in c.cards if card.id != "card-tpu"]

    def concept_without_items(c: Course) -> None:
        c.cards = [card for card in c.cards if card.concept != "tpu"]
        c.questions = [q for q in c.questions if q.concept != "tpu"]

    def unused_episode(c: Course) -> None:
        c.episodes.append(c.episodes[0].model_copy(update={"id": "other", "passages": []}))

    def duplicate_id(c: Course) -> None:
        c.questions.append(_question(c, "q-tpu-tf").model_copy())

    def cloze_on_braces(c: Course) -> None:
        # A speaker said "{{c1::boom}}": in Anki that would be a second deletion of this card.
        citation = _card(c, "card-quant").citations[0]
        citation.quote = citation.quote + " {{c1::boom}}"

    def lesson_without_blocks(c: Course) -> None:
        c.lessons[2].blocks = []

    def lesson_prerequisite_later(c: Course) -> None:
        c.lessons[0].prerequisite_lessons = [L2]

    def quote_across_a_turn(c: Course) -> None:
        # Another speaker takes over at the second sentence the true/false item quotes.
        second = _question(c, "q-tpu-tf").citations[0].sentence_ids[1]
        passage = next(p for e in c.episodes for p in e.passages if any(s.id == second for s in p.sentences))
        position = next(k for k, s in enumerate(passage.sentences, start=1) if s.id == second)
        passage.turn_starts.append(position)

    return {
        "CIT007": (missing_source, "talk"),
        "CARD004": (long_card_question, "card-tpu"),
        "CARD010": (near_identical_answers, "card-x"),
        "CARD011": (answer_is_question, "card-x"),
        "CARD012": (empty_back, "card-tpu"),
        "CARD013": (same_identity, "card-x"),
        "CARD014": (cloze_on_braces, "card-quant"),
        "QST001": (tf_answer_text, "q-tpu-tf"),
        "QST003": (cloze_without_blank, "q-quant-cloze"),
        "QST004": (stem_not_self_contained, "q-tpu-tf"),
        "QST005": (question_again_later, "q-again"),
        "MCQ001": (bad_index, "q-matmul-mcq"),
        "MCQ003": (two_options, "q-matmul-mcq"),
        "MCQ006": (correct_always_longest, "accelerators"),
        "MCQ007": (correct_always_first, "accelerators"),
        "RAMP004": (prerequisite_later, "matrix-multiplication"),
        "RAMP005": (unknown_concept, "q-tpu-tf"),
        "RAMP010": (same_difficulty, L0),
        "RAMP011": (concept_without_card, "tpu"),
        "RAMP015": (concept_without_items, "tpu"),
        "RAMP012": (unused_episode, "other"),
        "RAMP013": (duplicate_id, "q-tpu-tf"),
        "RAMP014": (lesson_without_blocks, L2),
        "RAMP004 (lessons)": (lesson_prerequisite_later, L0),
        "CIT014": (quote_across_a_turn, "q-tpu-tf"),
    }


MUTATIONS = _mutations()


@pytest.mark.parametrize("case", sorted(MUTATIONS))
def test_rule_bites_on_a_single_mutation(clean_course: Course, case: str) -> None:
    mutate, item = MUTATIONS[case]
    mutate(clean_course)
    assert (case.split()[0], item) in _codes(clean_course)


def test_overlong_quote_is_reported() -> None:
    long_text = " ".join(["word"] * 85) + "."
    sentence = Sentence(id="e/p0/s0", text=long_text, line_start=1, line_end=1)
    episode = Episode(
        id="e",
        title="t",
        source="x.txt",
        sha256="0",
        format="plain-text",
        passages=[Passage(id="e/p0", line_start=1, line_end=1, sentences=[sentence])],
    )
    ctx = CheckContext.build([episode], verify_sources=False)
    citation = materialize(EpisodeIndex([episode]), "e", ["e/p0/s0"])
    result = check_citation(citation, ctx)
    assert ("CIT011", "quote has 85 words (at most 80)") in result.problems
    assert result.valid  # length is a readability warning, not an invalid citation


def test_every_rule_has_a_biting_test() -> None:
    covered = {code for code, _ in EXPECTED_DEFECTS} | {case.split()[0] for case in MUTATIONS} | {"CIT011"}
    assert covered == set(RULES)


def test_missing_source_makes_citations_invalid(clean_course: Course) -> None:
    clean_course.episodes[0].source = "nowhere/missing.txt"
    report = validate_course(clean_course, base_dir=FIXTURES)
    assert report.citations_valid == 0
    assert report.sources == {"talk": "missing"}
    assert [f.code for f in report.findings] == ["CIT007"]


def test_lessons_used_by_name_only_in_their_own_lesson_pass(clean_course: Course) -> None:
    # Mentioning a concept in the lesson that teaches it, or later, is no forward reference.
    clean_course.lessons[2].problem = "Quantization and batching were not enough; the model is still slow."
    assert _codes(clean_course) == set()
    clean_course.lessons[1].problem = "Distillation is coming, but first: the model does not fit."
    assert ("RAMP003", L1) in _codes(clean_course)


def test_docs_list_every_code() -> None:
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[2] / "docs" / "validate.md").read_text(encoding="utf-8")
    assert all(f"`{code}`" in docs for code in RULES)


def test_quoted_cloze_stems_are_not_judged_for_forward_references(clean_course: Course) -> None:
    # A stem cut from the speaker's words may name anything; the course did not write it.
    quoted = _question(clean_course, "q-quant-cloze")
    quoted.stem = "____ lets the same chip hold a bigger model; distillation trains a small student model."
    quoted.citations = quoted.citations + [_question(clean_course, "q-distill-short").citations[0]]
    assert not any(code == "RAMP003" for code, _ in _codes(clean_course))
    quoted.stem = 'Fill in: "____ lets the chip hold a bigger model; distillation is next."'
    assert not any(code == "RAMP003" for code, _ in _codes(clean_course))  # double-quoted
    quoted.stem = "____ matters because distillation comes next in this course."
    assert ("RAMP003", "q-quant-cloze") in _codes(clean_course)


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Name the three benefits of quantization.", True),
        ("List the steps of distillation.", True),
        ("Enumerate what batching changes.", True),
        ("What are the two costs of batching?", True),
        ("Name the technique that stores weights in fewer bits.", False),
        ("Which structure is a linked list?", False),
    ],
)
def test_enumeration_wording(text: str, flagged: bool) -> None:
    from coursegen.validate.wording import enumeration

    assert (enumeration(text) is not None) is flagged


@pytest.mark.parametrize(
    ("option", "flagged"),
    [
        ("All of the above", True),
        ("None of these", True),
        ("Both A and B", True),
        ("Both speed and memory", False),
        ("All layers run on the TPU", False),
    ],
)
def test_all_of_the_above_wording(option: str, flagged: bool) -> None:
    from coursegen.validate.wording import is_all_of_the_above

    assert is_all_of_the_above(option) is flagged


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("According to the speaker, what does a TPU give up?", True),
        ("In this episode, which chip is discussed?", True),
        ("What does the host machine send to the TPU?", False),
    ],
)
def test_self_contained_wording(text: str, flagged: bool) -> None:
    from coursegen.validate.wording import not_self_contained

    assert (not_self_contained(text) is not None) is flagged
