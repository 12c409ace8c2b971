"""Hostile transcripts, built by the LLM engine and exported to every format: nothing runs, nothing escapes.

The sources carry HTML/JS, GIFT and Anki cloze syntax, Jinja, prompt injection, bidi and
zero-width characters, a 250 KB caption line and hostile file names (see hostile.py). The build
goes through the real pipeline and the real `openai` client against the rule stub; every export
is then read back the way its consumer would read it (HTML parser and Chromium, Anki's own
library, the GIFT grammar, an XML parser, a CSV reader).
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from coursegen.export import export_course
from coursegen.ir import Course
from coursegen.validate import all_citations, validate_course
from tests.export.gift_grammar import parse_gift
from tests.reliability.conftest import llm_build, make_engine
from tests.reliability.hostile import EXECUTION_TRACES, HOSTILE_NAMES, write_hostile_sources
from tests.reliability.obedient_model import GHOST_ID, MARK, ObedientModel
from tests.support.browser_fixtures import Watched
from tests.support.rule_stub import RuleModel
from tests.support.stub_openai import StubOpenAI


@dataclass
class Built:
    """The hostile build and its exports."""

    root: Path
    course: Course
    export_dir: Path
    written: list[Path]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("hostile")
    sources = write_hostile_sources(root / "src" / "deep")
    # The traversal-looking spelling of a path is still just a path to that file.
    sources[0] = root / "src" / "deep" / ".." / "deep" / sources[0].name
    out = root / "course"
    with StubOpenAI() as stub:
        stub.responder = RuleModel().reply
        result = llm_build(sources, out, make_engine(stub.url, out))
    assert not result.ingest_errors, [e.message for e in result.ingest_errors]
    export_dir = out / "export"
    written = export_course(result.course, export_dir, timestamp=1_700_000_000)
    return Built(root, result.course, export_dir, written)


def text_files(built: Built) -> dict[str, str]:
    """Every exported text, by name (the QTI zip's members included)."""
    texts: dict[str, str] = {}
    for path in built.written:
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                for name in archive.namelist():
                    texts[f"{path.name}/{name}"] = archive.read(name).decode("utf-8")
        elif path.suffix != ".apkg":
            texts[str(path.relative_to(built.export_dir))] = path.read_text(encoding="utf-8")
    return texts


def test_build_kept_the_hostile_text_as_data(built: Built) -> None:
    course = built.course
    assert len(course.episodes) == len(HOSTILE_NAMES)
    titles = {e.title for e in course.episodes}
    assert any("<script>" in t for t in titles), titles  # the file name reached the IR verbatim
    report = validate_course(course)
    assert report.errors == []
    assert report.citations_valid == report.citations_total > 0
    quoted = json.dumps([q.model_dump(mode="json") for q in course.questions], ensure_ascii=False)
    assert "{{c1::" in json.dumps([e.title for e in course.episodes]) or "{{c1::" in quoted


def test_every_output_file_stays_inside_the_output_folder(built: Built) -> None:
    root = built.export_dir.resolve()
    assert built.written
    for path in built.written:
        assert path.resolve().is_relative_to(root), path
        # Names come from slugs of ids, whatever the titles, file names or model output said.
        assert re.fullmatch(r"[a-z0-9_.-]+", path.name), path.name
    on_disk = {p.resolve() for p in built.root.rglob("*") if p.is_file()}
    allowed = (built.root / "src", built.root / "course")
    assert all(any(p.is_relative_to(a.resolve()) for a in allowed) for p in on_disk)
    assert not (built.root / "x.txt").exists() and not (built.root.parent / "x.txt").exists()
    for archive in [p for p in built.written if p.suffix in {".zip", ".apkg"}]:
        with zipfile.ZipFile(archive) as members:
            for name in members.namelist():  # an unzip must not write outside its folder either
                assert not name.startswith("/") and ".." not in Path(name).parts, (archive.name, name)


def test_no_template_or_markup_payload_ran_in_any_text_export(built: Built) -> None:
    texts = text_files(built)
    assert {n.rsplit(".", 1)[-1] for n in texts} >= {"html", "md", "gift", "csv", "json", "xml"}
    for name, text in texts.items():
        for trace in EXECUTION_TRACES:
            assert trace not in text, f"{name}: {trace} - a template payload was evaluated"
        # CSV and JSON are plain-text data by design (docs/export.md); the rest are markup.
        if not name.endswith((".json", ".js", ".css", ".csv")):
            assert "<script>alert" not in text, name
            assert "<iframe" not in text and "onerror=" not in text, name


OWN_SCRIPTS = ({"src": "assets/site.js"}, {"type": "application/json", "id": "page-data"})


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.script_bodies: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.script_bodies.append(data)


def test_site_html_has_no_injected_tags_handlers_or_urls(built: Built) -> None:
    pages = sorted((built.export_dir / "site").glob("*.html"))
    assert len(pages) == len(built.course.lessons) + 1
    for page in pages:
        parser = _Tags()
        parser.feed(page.read_text(encoding="utf-8"))
        names = {tag for tag, _ in parser.tags}
        assert not names & {"iframe", "img", "object", "embed"}, (page.name, names)
        for tag, attrs in parser.tags:
            for attr, value in attrs:
                assert not attr.startswith("on"), (page.name, tag, attr)
                assert not (value or "").strip().lower().startswith("javascript:"), (page.name, tag, attr)
            if tag == "script":
                # Only the site's own script file and its inert JSON data island.
                assert dict(attrs) in OWN_SCRIPTS, (page.name, attrs)
        for body in parser.script_bodies:
            json.loads(body)  # the data island is pure JSON: a payload cannot have closed it early
            assert "</" not in body, page.name


@pytest.mark.browser
def test_site_pages_run_no_payload_in_chromium(built: Built, watched: Watched) -> None:  # noqa: F811
    pages = sorted((built.export_dir / "site").glob("*.html"))
    for page in pages:
        watched.page.goto(page.as_uri())
        assert watched.page.locator("h1").count() >= 1
    text = watched.page.locator("body").inner_text()
    assert "94011" not in text
    watched.assert_clean()  # no dialog (alert), no page error, no request off the machine


def test_gift_files_parse_to_exactly_the_course_questions(built: Built) -> None:
    quizzes = built.export_dir / "quizzes"
    lesson_files = [p for p in quizzes.glob("*.gift") if p.name != "_placement.gift"]
    parsed = [q for p in lesson_files for q in parse_gift(p.read_text(encoding="utf-8"))]
    assert len(parsed) == len(built.course.questions)
    placement = parse_gift((quizzes / "_placement.gift").read_text(encoding="utf-8"))
    assert len(placement) == len(built.course.placement)


def test_qti_is_well_formed_xml_without_doctype_or_entities(built: Built) -> None:
    texts = text_files(built)
    xml_files = {n: t for n, t in texts.items() if n.endswith(".xml")}
    assert xml_files
    items = 0
    for name, text in xml_files.items():
        assert "<!DOCTYPE" not in text and "<!ENTITY" not in text, name
        root = ElementTree.fromstring(text.encode("utf-8"))
        items += sum(1 for el in root.iter() if el.tag.endswith("item"))
    assert items >= len(built.course.questions)


def test_csv_cells_never_start_a_formula_and_rows_match_cards(built: Built) -> None:
    (path,) = (built.export_dir / "csv").glob("*.csv")
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert rows[0] == ["front", "back", "source", "tags"]
    assert len(rows) - 1 == len(built.course.cards)
    for row in rows[1:]:
        for value in row:
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value[:40]


def test_markdown_escapes_every_markup_payload(built: Built) -> None:
    shown_as_text = 0
    for path in sorted((built.export_dir / "markdown").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        # Every `<`, `[`, `]` and `{` that came from a transcript is backslash-escaped.
        assert not re.search(r"(?<!\\)<", text), path.name
        assert not re.search(r"(?<!\\)\]\(javascript:", text), path.name
        assert not re.search(r"(?<!\\)\{\{", text), path.name
        shown_as_text += "\\<script\\>alert(5)" in text  # the hostile title is there, escaped
    assert shown_as_text


@pytest.mark.anki
def test_anki_cards_render_inert_and_no_cloze_comes_from_transcript(built: Built, tmp_path: Path) -> None:
    from anki.collection import Collection

    from tests.export.conftest import import_apkg

    (package,) = [p for p in built.written if p.suffix == ".apkg"]
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        import_apkg(col, package)
        card_ids = col.find_cards("")
        # One Anki card per course card: transcript `{{c2::...}}` created no extra cloze card.
        assert len(card_ids) == len(built.course.cards) > 0
        rendered: list[Any] = []
        for cid in card_ids:
            card = col.get_card(cid)
            rendered += [card.question(), card.answer()]
        for html in rendered:
            assert "<script>alert" not in html and "<iframe" not in html and "onerror=" not in html
            for trace in EXECUTION_TRACES:
                assert trace not in html
        assert any("&lt;script&gt;alert(5)" in html for html in rendered)  # the title, shown as text
    finally:
        col.close()


def test_obedient_model_following_injected_orders_gets_every_invented_item_dropped(tmp_path: Path) -> None:
    sources = write_hostile_sources(tmp_path / "src")
    out = tmp_path / "course"
    obedient = ObedientModel()
    with StubOpenAI() as stub:
        stub.responder = obedient.reply
        result = llm_build(sources, out, make_engine(stub.url, out))
    # The injected order reached the model and it obeyed, in every stage that writes items.
    assert obedient.injected["ConceptsAnswer"] > 0 and obedient.injected["AssessmentAnswer"] > 0, \
        obedient.injected
    course = result.course
    content = course.model_dump(mode="json")
    record = content.pop("build")
    assert MARK not in json.dumps(content, ensure_ascii=False), "an invented item reached the course"
    episodes = {e.id for e in course.episodes}
    for citation in all_citations(course):
        assert citation.episode in episodes
        assert not any(sid.endswith(GHOST_ID) for sid in citation.sentence_ids)
    report = validate_course(course)
    assert report.errors == []
    assert report.citations_valid == report.citations_total > 0
    # Nothing disappeared silently: the build record lists the drops, each with a reason.
    stages = {d["stage"] for d in record["dropped"]}
    assert {"concepts", "assessment"} <= stages, stages
    assert all(d["reason"].strip() for d in record["dropped"])
    reasons = " ".join(d["reason"] for d in record["dropped"])
    assert GHOST_ID in reasons
