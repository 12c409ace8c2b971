"""QTI 1.2 package: zip layout, manifest references, well-formed XML, item types and keys."""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from coursegen.export.qti import CP_NS, QTI_NS, export_qti
from coursegen.ir import Course
from tests.export.sample_course import HOSTILE, sample_course

Q = f"{{{QTI_NS}}}"
CP = f"{{{CP_NS}}}"


def _load(course: Course, tmp_path: Path) -> tuple[list[str], ET.Element, dict[str, ET.Element]]:
    [path] = export_qti(course, tmp_path)
    assert path == tmp_path / "qti" / "sample-course-qti.zip"
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        manifest = ET.fromstring(archive.read("imsmanifest.xml"))
        docs = {n: ET.fromstring(archive.read(n)) for n in names if n != "imsmanifest.xml"}
    return names, manifest, docs


def _items(docs: dict[str, ET.Element]) -> dict[str, ET.Element]:
    """Lesson quiz items by question id (the placement quiz repeats some of them)."""
    return {item.get("title", ""): item for name, doc in docs.items() if not name.startswith("placement/")
            for item in doc.iter(f"{Q}item")}


def _type(item: ET.Element) -> str:
    for field in item.iter(f"{Q}qtimetadatafield"):
        if field.findtext(f"{Q}fieldlabel") == "question_type":
            return field.findtext(f"{Q}fieldentry") or ""
    raise AssertionError("no question_type")


def _key(item: ET.Element) -> list[str]:
    return [v.text or "" for cond in item.iter(f"{Q}respcondition")
            if cond.find(f"{Q}setvar") is not None for v in cond.iter(f"{Q}varequal")]


def test_zip_layout_and_manifest(course: Course, tmp_path: Path) -> None:
    names, manifest, docs = _load(course, tmp_path)
    assert names[0] == "imsmanifest.xml"
    assert manifest.tag == f"{CP}manifest"
    hrefs = [r.get("href") for r in manifest.iter(f"{CP}resource")]
    assert all(r.get("type") == "imsqti_xmlv1p2" for r in manifest.iter(f"{CP}resource"))
    assert hrefs == ["attention/attention.xml", "scaling-laws/scaling-laws.xml", "serving/serving.xml",
                     "placement/placement.xml"]
    assert sorted(hrefs) == sorted(docs)  # every file referenced, every reference present
    for name, doc in docs.items():
        assert doc.tag == f"{Q}questestinterop", name
        [assessment] = doc.findall(f"{Q}assessment")
        assert assessment.get("ident") and assessment.get("title", "").startswith(("Lesson ", "Placement: "))
        assert [s.get("ident") for s in assessment.findall(f"{Q}section")] == ["root_section"]
    idents = [i.get("ident") for doc in docs.values() for i in doc.iter(f"{Q}item")]
    assert len(idents) == len(set(idents)) == len(course.questions) + len(course.placement)
    placement = docs["placement/placement.xml"].find(f"{Q}assessment")
    assert placement is not None and placement.get("title", "").startswith("Placement: where to start")
    hint = placement.findtext(f".//{Q}itemfeedback//{Q}mattext") or ""
    assert hint.startswith("Missed it? Start at Lesson 1: Attention")


def test_item_types_and_answer_keys(course: Course, tmp_path: Path) -> None:
    _, _, docs = _load(course, tmp_path)
    items = _items(docs)
    expected_types = {"mcq": "multiple_choice_question", "true_false": "true_false_question",
                      "cloze": "short_answer_question", "short": "essay_question"}
    for question in course.questions:
        item = items[question.id]
        assert _type(item) == expected_types[question.kind]
        # Structure every item needs.
        for part in ("itemmetadata", "presentation", "resprocessing"):
            assert item.find(f"{Q}{part}") is not None, (question.id, part)
        if question.kind in ("mcq", "true_false"):
            found = list(item.iter(f"{Q}response_label"))
            labels = [lab.get("ident") for lab in found]
            texts = [html.unescape(lab.findtext(f".//{Q}mattext") or "") for lab in found]
            key = _key(item)
            assert len(key) == 1 and key[0] in labels
            if question.kind == "mcq":
                assert texts == question.options
                assert texts[labels.index(key[0])] == question.options[int(question.answer)]
            else:
                assert texts[labels.index(key[0])] == str(question.answer)
        elif question.kind == "cloze":
            assert item.find(f".//{Q}response_str/{Q}render_fib") is not None
            assert _key(item) == [question.answer]
            stem = item.find(f"{Q}presentation/{Q}material/{Q}mattext")
            assert stem is not None and "_____" in (stem.text or "") and "{{c1" not in (stem.text or "")
        else:
            assert item.find(f".//{Q}response_str") is not None and _key(item) == []
            feedback = item.findtext(f".//{Q}itemfeedback//{Q}mattext") or ""
            assert f"Model answer: {question.answer}" in html.unescape(feedback)


def test_hostile_text_is_escaped_and_control_chars_dropped(tmp_path: Path) -> None:
    course = sample_course()
    course.questions[0].stem += " bell\x07 nul\x00"
    _, _, docs = _load(course, tmp_path)
    items = _items(docs)
    for item in items.values():
        for mattext in item.iter(f"{Q}mattext"):
            assert mattext.get("texttype") == "text/html"
            assert "<script" not in (mattext.text or "") and "<img" not in (mattext.text or "")
    stem = items["q-hostile-short"].findtext(f"{Q}presentation/{Q}material/{Q}mattext") or ""
    assert html.unescape(stem) == f"Quote the chat message: {HOSTILE}"
    first = items["q-attn-mcq"].findtext(f"{Q}presentation/{Q}material/{Q}mattext") or ""
    assert first.endswith("bell nul")


def test_same_course_same_bytes(course: Course, tmp_path: Path) -> None:
    [a] = export_qti(course, tmp_path / "a")
    [b] = export_qti(sample_course(), tmp_path / "b")
    assert a.read_bytes() == b.read_bytes()
