"""The change report matches items by identity, not by text or position."""

from __future__ import annotations

import random

from coursegen.changes import compare_courses
from coursegen.changes_render import render_markdown
from coursegen.ir import Card, Concept, Course, Episode, Lesson, Question


def _course(cards: list[Card], lessons: list[Lesson], concepts: list[Concept]) -> Course:
    return Course(
        id="course",
        title="Course",
        episodes=[Episode(id="ep", title="Ep", source="ep.txt", sha256="a" * 64, format="plain-text")],
        concepts=concepts,
        lessons=lessons,
        questions=[Question(id="q1", lesson="l-a", concept="a", kind="short", stem="Why?", answer="Because")],
        cards=cards,
    )


def _card(identity: str, front: str) -> Card:
    return Card(
        id=identity, identity=identity, kind="basic", front=front, back="x", concept="a", lesson="l-a"
    )


def _lesson(lesson_id: str, position: int) -> Lesson:
    return Lesson(
        id=lesson_id, position=position, title=lesson_id, level=1, concepts=["a"], problem="p", prediction="?"
    )


def test_reworded_card_is_changed_new_fact_is_added_and_old_retired() -> None:
    concepts = [Concept(id="a", name="A", definition="d")]
    old = _course([_card("k1", "What is A?"), _card("k2", "Old fact?")], [_lesson("l-a", 1)], concepts)
    new = _course(
        [_card("k1", "What, exactly, is A?"), _card("k3", "New fact?")],
        [_lesson("l-b", 1), _lesson("l-a", 2)],
        concepts,
    )
    report = compare_courses(old, new)
    assert [c.id for c in report.cards.changed] == ["k1"]
    assert report.cards.added == ["k3"]
    assert report.cards.removed == ["k2"]
    assert report.retired_cards_search == "tag:coursegen::retired"
    assert report.lessons.added == ["l-b"]
    assert report.lessons_moved == [], "l-a only shifted because l-b was inserted before it"
    text = render_markdown(report, old, new)
    assert "Cards reworded" in text and "What, exactly, is A?" in text
    assert "tag:coursegen::retired" in text


def test_only_lessons_whose_order_changed_are_reported_as_moved() -> None:
    concepts = [Concept(id="a", name="A", definition="d")]
    old_order = ["l-a", "l-b", "l-c", "l-d"]
    old = _course([], [_lesson(name, index) for index, name in enumerate(old_order)], concepts)
    # l-new inserted first shifts everything; l-d jumping ahead of l-b is the one real move.
    new_order = ["l-new", "l-a", "l-d", "l-b", "l-c"]
    new = _course([], [_lesson(name, index) for index, name in enumerate(new_order)], concepts)
    report = compare_courses(old, new)
    assert [(m.id, m.before, m.after) for m in report.lessons_moved] == [("l-d", 3, 2)]
    assert "l-d: position 4 → 3" in render_markdown(report, old, new)


def test_renamed_concept_kept_as_alias_is_reported_as_merged() -> None:
    old = _course([], [], [Concept(id="noam-shazir", name="Noam Shazir", definition="d")])
    new = _course(
        [], [], [Concept(id="noam-shazeer", name="Noam Shazeer", aliases=["noam-shazir"], definition="d")]
    )
    report = compare_courses(old, new)
    assert [(m.id, m.into) for m in report.concepts_merged] == [("noam-shazir", "noam-shazeer")]
    assert report.concepts.removed == []
    assert report.concepts.added == ["noam-shazeer"]


def test_identical_courses_report_nothing() -> None:
    course = _course([_card("k1", "Q?")], [_lesson("l-a", 1)], [Concept(id="a", name="A", definition="d")])
    report = compare_courses(course, course)
    assert report.empty
    assert "Nothing in the course changed" in render_markdown(report, course, course)


def test_release_note_escapes_transcript_text_and_summarizes() -> None:
    from coursegen.regen import summary_line

    concepts = [Concept(id="a", name="A <b>bold</b>", definition="d")]
    hostile = "# Heading? <script>alert(1)</script> [link](http://x) *stars* | pipe"
    old = _course([_card("k1", "What is A?")], [_lesson("l-a", 1)], concepts)
    new = _course([_card("k1", "What is A?"), _card("k2", hostile)], [_lesson("l-a", 1)], concepts)
    new.build.usage = {"calls": 3, "calls_full_rebuild": 40, "cost_usd": 0.01, "cost_full_rebuild_usd": 0.2}
    report = compare_courses(old, new)
    text = render_markdown(report, old, new)
    assert "<script>" not in text and "<b>" not in text and "[link](http" not in text
    assert "\\<script\\>" in text and "\\# Heading" in text
    assert "This update brings 1 new card." in text
    assert "This build made 3 model calls ($0.0100); a full rebuild would have made 40 ($0.2000)." in text
    line = summary_line(report)
    assert line.startswith("changes: cards +1; 3 model calls (a full rebuild: 40)")


def test_card_sections_are_exact_set_differences_whatever_the_order() -> None:
    from hypothesis import given
    from hypothesis import strategies as st

    fronts = st.dictionaries(
        st.sampled_from([f"k{i}" for i in range(12)]), st.sampled_from(["A?", "B?", "C?"])
    )

    @given(fronts, fronts, st.randoms())
    def check(old_cards: dict[str, str], new_cards: dict[str, str], rnd: random.Random) -> None:
        lessons, concepts = [_lesson("l-a", 1)], [Concept(id="a", name="A", definition="d")]
        new_list = [_card(k, v) for k, v in new_cards.items()]
        rnd.shuffle(new_list)
        report = compare_courses(
            _course([_card(k, v) for k, v in old_cards.items()], lessons, concepts),
            _course(new_list, lessons, concepts),
        )
        assert report.cards.added == sorted(set(new_cards) - set(old_cards))
        assert report.cards.removed == sorted(set(old_cards) - set(new_cards))
        assert [c.id for c in report.cards.changed] == sorted(
            k for k in set(old_cards) & set(new_cards) if old_cards[k] != new_cards[k]
        )
        assert report.empty == (old_cards == new_cards)

    check()


def test_questions_with_only_new_choices_are_listed_compactly() -> None:
    concepts = [Concept(id="a", name="A", definition="d")]

    def mcq(options: list[str], answer: int) -> Question:
        return Question(
            id="q-mcq", lesson="l-a", concept="a", kind="mcq", stem="Which?", options=options, answer=answer
        )

    old = _course([], [_lesson("l-a", 1)], concepts)
    old.questions.append(mcq(["x", "right", "y"], 1))
    same_answer = _course([], [_lesson("l-a", 1)], concepts)
    same_answer.questions.append(mcq(["right", "z", "y"], 0))
    text = render_markdown(compare_courses(old, same_answer), old, same_answer)
    assert "Questions with new answer choices (same stem and answer) (1)" in text
    assert "**Questions changed" not in text
    # Same index, different choice behind it: the answer changed, so it is listed in full.
    moved_answer = _course([], [_lesson("l-a", 1)], concepts)
    moved_answer.questions.append(mcq(["x", "wrong", "y"], 1))
    text = render_markdown(compare_courses(old, moved_answer), old, moved_answer)
    assert "**Questions changed (1)**" in text and "new answer choices" not in text


def test_a_changed_course_id_is_loudly_reported() -> None:
    from coursegen.regen import summary_line

    concepts = [Concept(id="a", name="A", definition="d")]
    old = _course([_card("course/a/f1", "Q?")], [_lesson("l-a", 1)], concepts)
    new = _course([_card("other/a/f1", "Q?")], [_lesson("l-a", 1)], concepts)
    new.id = "other"
    report = compare_courses(old, new)
    assert "**The course id changed**" in render_markdown(report, old, new)
    assert summary_line(report).startswith("changes: COURSE ID CHANGED (course → other)")


def test_a_lesson_whose_text_changed_and_an_episode_retitled_are_reported() -> None:
    """A newer engine rewrote one lesson's opening and ingest read a better title: an instructor
    who publishes the lessons must hear about both (the report said "Nothing changed")."""
    from coursegen.regen import summary_line

    concepts = [Concept(id="a", name="A", definition="d")]
    old = _course([], [_lesson("l-a", 0), _lesson("l-b", 1)], concepts)
    new = old.model_copy(deep=True)
    new.lessons[0].problem = "A clearer opening question?"
    new.episodes[0].title = "Jeff Dean on TPUs"
    report = compare_courses(old, new)
    assert report.lessons_rewritten == ["l-a"]
    assert [(c.before, c.after) for c in report.episodes_retitled] == [("Ep", "Jeff Dean on TPUs")]
    assert not report.empty
    text = render_markdown(report, old, new)
    assert "Lessons rewritten" in text and "Ep → Jeff Dean on TPUs" in text
    assert "1 lesson rewritten" in summary_line(report)
