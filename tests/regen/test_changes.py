"""The change report matches items by identity, not by text or position."""

from __future__ import annotations

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
    assert [(m.id, m.before, m.after) for m in report.lessons_moved] == [("l-a", 1, 2)]
    text = render_markdown(report, old, new)
    assert "Cards reworded" in text and "What, exactly, is A?" in text
    assert "tag:coursegen::retired" in text


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
