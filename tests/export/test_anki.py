"""Anki packages imported into a real collection with Anki's own library."""

from __future__ import annotations

import html
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coursegen.course_io import course_fingerprint
from coursegen.export._common import dollar_math_to_tex
from coursegen.export.anki import (
    BASIC_FIELDS,
    CLOZE_FIELDS,
    RETIRED_TAG,
    deck_id_for,
    export_anki,
    package_summary,
    read_previous,
)
from coursegen.ir import Card, Course
from tests.export.conftest import import_apkg
from tests.export.sample_course import HOSTILE, S_HOSTILE, expected_anki_card_count, sample_course

pytestmark = pytest.mark.anki

T1 = 1_800_000_000.0


def _rebuilt(previous: Course, course: Course) -> Course:
    """`course` as a rebuild of `previous` in the same --out would record it."""
    course.build.previous_course = course_fingerprint(previous)
    return course


def _note_by_identity(col: Any, identity: str) -> Any:
    ids = col.find_notes(f'"Identity:{identity}"')
    assert len(ids) == 1, (identity, ids)
    return col.get_note(ids[0])


def test_import_counts_deck_fields_and_tags(course: Course, anki_collection: Any, tmp_path: Path) -> None:
    [path] = export_anki(course, tmp_path / "decks", timestamp=T1)
    assert path == tmp_path / "decks" / "sample-course.apkg"
    log = import_apkg(anki_collection, path)
    col = anki_collection
    assert len(log.new) == len(course.cards)
    assert col.note_count() == len(course.cards)
    assert col.card_count() == expected_anki_card_count(course) == 7
    names = {d.name for d in col.decks.all_names_and_ids()}
    assert "Transformers <i>from</i> podcasts" in names
    assert col.decks.id_for_name("Transformers <i>from</i> podcasts") is not None

    basic = _note_by_identity(col, "sample-course/attention/what-tokens-see")
    assert list(basic.keys()) == list(BASIC_FIELDS)
    assert basic["Front"] == "Under attention, which tokens does a token look at?"
    assert basic["Back"] == "Every token in the sequence, at once."
    assert basic["ConceptId"] == "attention"
    assert "Attention lets every token look at every other token" in basic["Source"]
    assert 'href="https://www.youtube.com/watch?v=abcDEF12345&amp;t=61">1:01</a>' in basic["Source"]
    assert "Ada Lovelace" in basic["Source"]
    assert sorted(basic.tags) == [
        "coursegen::concept::attention", "coursegen::episode::ep-attention",
        "coursegen::lesson::attention", "coursegen::level::1",
    ]
    # Math written with dollars arrives as MathJax delimiters.
    cost = _note_by_identity(col, "sample-course/attention/cost")
    assert cost["Back"] == "\\(O(n^2)\\)"
    assert cost["Front"].endswith("length \\(n\\)?")

    cloze = _note_by_identity(col, "sample-course/scaling-laws/loss-falls")
    assert list(cloze.keys()) == list(CLOZE_FIELDS)
    assert len(cloze.cards()) == 2
    assert "coursegen::level::2" in cloze.tags
    # Estimated time without a link, and a time past the hour.
    kv = _note_by_identity(col, "sample-course/kv-cache/stores")
    assert "≈2:00" in kv["Source"] and "<a " not in kv["Source"]
    scale_source = cloze["Source"]
    assert ">1:02:05</a>" in scale_source


def test_rendered_back_shows_citation_and_hostile_text_is_inert(
    course: Course, anki_collection: Any, tmp_path: Path
) -> None:
    [path] = export_anki(course, tmp_path, timestamp=T1)
    import_apkg(anki_collection, path)
    col = anki_collection
    note = _note_by_identity(col, "sample-course/attention/hostile-chat")
    answer = note.cards()[0].answer()
    # The verbatim quote is on the back, escaped, and decodes back to the exact transcript words.
    assert html.escape(S_HOSTILE.split(" <script>")[0]) in answer
    for field in note.fields:
        assert "<script" not in field and "<img" not in field and "{{" not in field
    assert "<script" not in answer and "<img" not in answer and "onerror=alert(1)>" not in answer
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in answer
    assert html.unescape(note["Back"]) == HOSTILE
    source_quote = note["Source"].split("<blockquote class=\"tex2jax_ignore\">")[1].split("</blockquote>")[0]
    assert html.unescape(source_quote) == S_HOSTILE
    # The `{{c1::x}}` inside the quote did not become a cloze, the Jinja did not run.
    assert "49" not in answer
    assert len(note.cards()) == 1
    # Attribution credits the episode title and speakers, escaped.
    assert "Source: <i><bdi>Attention &amp; scaling &lt;b&gt;live&lt;/b&gt;" in note["Attribution"]
    assert "<bdi>Mallory &lt;img src=x onerror=alert(1)&gt;</bdi>" in note["Attribution"]
    # Cloze cards render their deletions for real.
    cloze = _note_by_identity(col, "sample-course/scaling-laws/loss-falls")
    questions = sorted(card.question() for card in cloze.cards())
    assert any("[...]" in q and "data" in q for q in questions)
    assert any("[...]" in q and "model" in q for q in questions)


def _first_new_cards(col: Any, deck: str, count: int) -> list[Any]:
    """Study the deck like a learner; return the new cards in the order they were offered."""
    col.decks.select(col.decks.id_for_name(deck))
    seen: list[Any] = []
    for _ in range(count * 4):
        card = col.sched.getCard()
        if card is None or len(seen) == count:
            break
        if card.type == 0:  # a new card (learning cards coming back are skipped)
            seen.append(card)
        card.start_timer()
        col.sched.answerCard(card, 3)
    return seen


def _lesson_of(card: Any) -> str:
    return next(t for t in card.note().tags if t.startswith("coursegen::lesson::")).split("::")[-1]


def test_scheduler_offers_new_cards_in_ramp_order(
    course: Course, anki_collection: Any, tmp_path: Path
) -> None:
    # Shuffle the course's card list: the ramp, not the list order, must decide.
    course.cards.reverse()
    [path] = export_anki(course, tmp_path, timestamp=T1)
    import_apkg(anki_collection, path)
    seen = _first_new_cards(anki_collection, "Transformers <i>from</i> podcasts", 10)
    assert len(seen) == 7
    rank = {"attention": 1, "scaling-laws": 2, "serving": 3}
    # Anki's default new-card sort is "card type, then order gathered": every note's first
    # card follows the ramp; second cloze deletions (ord 1) come after (documented).
    first_cards = [rank[_lesson_of(c)] for c in seen if c.ord == 0]
    assert first_cards == sorted(first_cards) and first_cards[0] == 1 and first_cards[-1] == 3
    assert [rank[_lesson_of(c)] for c in seen[:3]] == [1, 1, 1]


def test_gathered_order_follows_ramp_strictly(course: Course, anki_collection: Any, tmp_path: Path) -> None:
    from anki.deck_config_pb2 import DeckConfig

    [path] = export_anki(course, tmp_path, timestamp=T1)
    import_apkg(anki_collection, path)
    col = anki_collection
    conf = col.decks.config_dict_for_deck_id(col.decks.id_for_name("Transformers <i>from</i> podcasts"))
    conf["newSortOrder"] = DeckConfig.Config.NEW_CARD_SORT_ORDER_NO_SORT
    col.decks.update_config(conf)
    seen = _first_new_cards(col, "Transformers <i>from</i> podcasts", 10)
    rank = {"attention": 1, "scaling-laws": 2, "serving": 3}
    assert [rank[_lesson_of(c)] for c in seen] == [1, 1, 1, 2, 2, 3, 3]


def test_reimport_updates_in_place_keeps_history_and_adds_new(
    course: Course, anki_collection: Any, tmp_path: Path
) -> None:
    col = anki_collection
    [path] = export_anki(course, tmp_path, timestamp=T1)
    import_apkg(col, path)
    reviewed = _first_new_cards(col, "Transformers <i>from</i> podcasts", 3)
    reviewed_ids = {c.id for c in reviewed}
    before = _note_by_identity(col, "sample-course/attention/what-tokens-see")
    card_before = col.get_card(before.cards()[0].id)
    assert card_before.id in reviewed_ids
    revlog_before = col.db.scalar("select count() from revlog where cid = ?", card_before.id)
    assert revlog_before >= 1

    newer = _rebuilt(course, sample_course())
    newer.cards[0].front = "Which tokens does one token attend to?"  # reworded, same identity
    newer.cards.append(Card(id="c-attn-new", identity="sample-course/attention/softmax", kind="basic",
                            front="What turns attention scores into weights?", back="A softmax.",
                            concept="attention", lesson="attention", citations=newer.cards[0].citations))
    [path2] = export_anki(newer, tmp_path, timestamp=T1 + 60)
    log = import_apkg(col, path2)
    assert len(log.new) == 1 and len(log.conflicting) == 0
    assert col.note_count() == len(newer.cards) == 7
    after = _note_by_identity(col, "sample-course/attention/what-tokens-see")
    assert after.id == before.id
    assert after["Front"] == "Which tokens does one token attend to?"
    card_after = col.get_card(card_before.id)
    assert card_after.nid == before.id
    assert (card_after.type, card_after.queue, card_after.due, card_after.ivl) == (
        card_before.type, card_before.queue, card_before.due, card_before.ivl)
    assert col.db.scalar("select count() from revlog where cid = ?", card_before.id) == revlog_before
    added = _note_by_identity(col, "sample-course/attention/softmax")
    assert added.cards()[0].type == 0  # new
    # Although it belongs to lesson 1, the updating learner meets the new card after the
    # cards they already had (Anki keeps existing positions), not mixed into finished lessons.
    remaining = _first_new_cards(col, "Transformers <i>from</i> podcasts", 10)
    assert len(remaining) == 5
    assert [c.nid for c in remaining if c.ord == 0][-1] == added.id  # (ord 1: see the ramp-order test)


def test_positions_kept_across_builds_fresh_build_in_ramp_order(course: Course, tmp_path: Path) -> None:
    def previous_positions(path: Path) -> dict[str, int]:
        return read_previous(path).positions

    [path] = export_anki(course, tmp_path, timestamp=T1)
    first = previous_positions(path)
    assert sorted(first.values()) == [1, 2, 3, 4, 5, 6]
    newer = _rebuilt(course, sample_course())
    newer.cards.insert(0, Card(id="n", identity="sample-course/attention/new", kind="basic", front="New?",
                               back="Yes.", concept="attention", lesson="attention"))
    [path] = export_anki(newer, tmp_path, timestamp=T1 + 1)
    second = previous_positions(path)
    assert {g: d for g, d in second.items() if g in first} == first
    assert sorted(set(second.values()) - set(first.values())) == [7]
    # A fresh decks folder (no previous package) orders purely by the ramp.
    [fresh] = export_anki(newer, tmp_path / "fresh", timestamp=T1 + 1)
    assert sorted(previous_positions(fresh).values()) == [1, 2, 3, 4, 5, 6, 7]


def test_same_timestamp_updates_nothing_so_builds_must_move_forward(
    course: Course, anki_collection: Any, tmp_path: Path
) -> None:
    # Why export_anki bumps its timestamp: an equal timestamp is ignored by Anki's importer.
    col = anki_collection
    [path] = export_anki(course, tmp_path, timestamp=T1)
    import_apkg(col, path)
    course.cards[0].front = "Reworded"
    export_anki(course, tmp_path, timestamp=T1)
    import_apkg(col, path)
    assert _note_by_identity(col, "sample-course/attention/what-tokens-see")["Front"] != "Reworded"
    # Without an explicit timestamp the next package is newer than the previous one, even if
    # the clock says otherwise (previous was written "in the future" here).
    [path] = export_anki(course, tmp_path)
    previous = read_previous(path).timestamp
    assert previous is not None and previous > T1
    import_apkg(col, path)
    assert _note_by_identity(col, "sample-course/attention/what-tokens-see")["Front"] == "Reworded"


def test_retired_cards_are_tagged(course: Course, anki_collection: Any, tmp_path: Path) -> None:
    [path] = export_anki(course, tmp_path, timestamp=T1, retired=["sample-course/kv-cache/stores"])
    import_apkg(anki_collection, path)
    retired = anki_collection.find_notes(f"tag:{RETIRED_TAG}")
    assert [anki_collection.get_note(n)["Identity"] for n in retired] == ["sample-course/kv-cache/stores"]


def test_subdecks_one_per_lesson_in_ramp_order(course: Course, anki_collection: Any, tmp_path: Path) -> None:
    [path] = export_anki(course, tmp_path, timestamp=T1, subdecks=True)
    import_apkg(anki_collection, path)
    names = sorted(d.name for d in anki_collection.decks.all_names_and_ids())
    title = "Transformers <i>from</i> podcasts"
    assert names == sorted(["Default", title, f"{title}::01 Attention: every token sees every token",
                            f"{title}::02 Scaling laws {{{{ 7*7 }}}}",
                            f"{title}::03 Serving: KV cache and experts ~ = # {{ }}"])
    assert len(anki_collection.find_cards(f'"deck:{title}::01*"')) == 3


def test_package_is_deterministic_and_ids_stable(course: Course, tmp_path: Path) -> None:
    [a] = export_anki(course, tmp_path / "a", timestamp=T1)
    [b] = export_anki(sample_course(), tmp_path / "b", timestamp=T1)
    assert a.read_bytes() == b.read_bytes()
    assert deck_id_for("sample-course") == deck_id_for("sample-course") != deck_id_for("other")
    with zipfile.ZipFile(a) as archive:
        assert sorted(archive.namelist()) == ["collection.anki2", "media"]
        db = tmp_path / "c.anki2"
        db.write_bytes(archive.read("collection.anki2"))
    conn = sqlite3.connect(db)
    guids = [row[0] for row in conn.execute("select guid from notes")]
    conn.close()
    assert len(set(guids)) == len(course.cards)
    # GUIDs follow identity, not text: rewording keeps them.
    course.cards[0].front = "Completely different words"
    [c] = export_anki(course, tmp_path / "c", timestamp=T1)
    with zipfile.ZipFile(c) as archive:
        db.write_bytes(archive.read("collection.anki2"))
    conn = sqlite3.connect(db)
    assert sorted(row[0] for row in conn.execute("select guid from notes")) == sorted(guids)
    conn.close()


def test_cloze_card_without_deletion_is_a_clear_error(course: Course, tmp_path: Path) -> None:
    from coursegen.errors import CourseFileError

    course.cards[3].front = "No deletion here."
    with pytest.raises(CourseFileError, match=r"card c-scale-cloze: a cloze card without a \{\{c1::"):
        export_anki(course, tmp_path, timestamp=T1)
    assert not (tmp_path / "sample-course.apkg").exists()


def test_removed_card_ships_once_more_tagged_retired(
    course: Course, anki_collection: Any, tmp_path: Path
) -> None:
    col = anki_collection
    [path] = export_anki(course, tmp_path, timestamp=T1)
    import_apkg(col, path)
    kv_note = _note_by_identity(col, "sample-course/kv-cache/stores")
    v2 = _rebuilt(course, sample_course())
    v2.cards = [c for c in v2.cards if c.id != "c-kv-basic"]
    [path] = export_anki(v2, tmp_path, timestamp=T1 + 10)
    assert package_summary(path) == (6, 7, 1)
    log = import_apkg(col, path)
    assert len(log.new) == 0 and col.note_count() == 6
    retired = [col.get_note(n) for n in col.find_notes(f"tag:{RETIRED_TAG}")]
    assert [n.id for n in retired] == [kv_note.id]
    assert retired[0]["Front"] == "What does the KV cache store?"  # content untouched
    # A learner starting with this package gets the retired card too, tagged; it arrives
    # suspended only when they import with scheduling (Anki resets it otherwise).
    from anki.collection import Collection

    for with_scheduling, queue in ((False, 0), (True, -1)):
        fresh_dir = tmp_path / f"fresh-{with_scheduling}"
        fresh_dir.mkdir()
        fresh = Collection(str(fresh_dir / "c.anki2"))
        try:
            import_apkg(fresh, path, with_scheduling=with_scheduling)
            [fresh_retired] = fresh.find_cards(f"tag:{RETIRED_TAG}")
            assert fresh.get_card(fresh_retired).queue == queue
        finally:
            fresh.close()
    # The same course again gives the same package, the retired note still in it (a learner who
    # did not import the last one must still get the tag: a new user's second rebuild dropped it).
    [path] = export_anki(v2, tmp_path, timestamp=T1 + 20)
    assert package_summary(path) == (6, 7, 1)
    # Shipped with one version: the next version of the course drops it.
    v3 = v2.model_copy(deep=True)
    v3.cards = [
        c.model_copy(update={"back": f"{c.back} (reworded)"}) if c.kind == "basic" else c for c in v3.cards
    ]
    v3 = _rebuilt(v2, v3)
    [path] = export_anki(v3, tmp_path, timestamp=T1 + 30)
    assert package_summary(path) == (5, 6, 0)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=40)
       | st.sampled_from(["{{c1::x}}", "{{cloze:Text}}", "{{Front}}", "</div><script>x</script>", "\\(x\\)"]))
def test_any_transcript_text_reads_back_verbatim(text: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    from anki.collection import Collection

    folder = tmp_path_factory.mktemp("prop")
    course = sample_course()
    course.cards[0].back = text
    course.cards[0].citations[0].quote = text
    [path] = export_anki(course, folder, timestamp=T1)
    col = Collection(str(folder / "c.anki2"))
    try:
        import_apkg(col, path)
        assert col.card_count() == 7  # no stray cloze or field reference created a card
        note = _note_by_identity(col, "sample-course/attention/what-tokens-see")
        assert html.unescape(note["Back"]) == dollar_math_to_tex(text)
        quote = note["Source"].split('<blockquote class="tex2jax_ignore">')[1].split("</blockquote>")[0]
        assert html.unescape(quote) == text
        assert "<" not in quote and "{" not in quote
    finally:
        col.close()
