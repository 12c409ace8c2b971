"""A card that reappears word for word under another concept keeps its identity (its Anki note)."""

from __future__ import annotations

from pathlib import Path

from coursegen.course_io import load_course
from coursegen.regen import keep_previous_card_identities

CLEAN = Path(__file__).resolve().parents[1] / "fixtures" / "validate" / "clean_course.json"


def test_a_card_that_changed_concept_keeps_its_identity_and_no_identity_is_given_twice() -> None:
    previous = load_course(CLEAN)
    moved, other = previous.cards[0], previous.cards[1]
    # The rebuild files the same card under another concept: a new identity, a second note.
    again = moved.model_copy(update={"concept": "tpu", "identity": "accelerators/tpu/0000000000000000"})
    twin = again.model_copy(update={"id": "twin", "identity": "accelerators/tpu/1111111111111111"})
    kept = keep_previous_card_identities([again, other, twin], previous)
    assert [c.identity for c in kept] == [moved.identity, other.identity, twin.identity]
    assert kept[0].concept == "tpu"  # only the identity is the old one
    # Reworded, it is another card: no identity is borrowed.
    reworded = again.model_copy(update={"front": again.front + " Really?"})
    assert keep_previous_card_identities([reworded], previous)[0].identity == reworded.identity
    assert keep_previous_card_identities([again], None)[0].identity == again.identity
