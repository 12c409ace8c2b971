"""QTI 1.2 quiz package for Canvas and Blackboard: one assessment per lesson in one zip.

Layout: `imsmanifest.xml` plus `<lesson>/<lesson>.xml`; item types follow Canvas's
`question_type` metadata (multiple_choice, true_false, short_answer = fill-in, essay).
Text goes into `mattext texttype="text/html"` HTML-escaped, so markup in a transcript
shows as text; ElementTree does the XML escaping.
"""

from __future__ import annotations

import html
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from coursegen.export._quiz import QuizItem, QuizSet, quiz_sets
from coursegen.fsutil import atomic_write_bytes, slugify
from coursegen.ir import Course

QTI_DIR = "qti"
QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
CP_NS = "http://www.imsglobal.org/xsd/imscp_v1p1"
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed, so the same course gives the same bytes
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

QUESTION_TYPES = {
    "mcq": "multiple_choice_question",
    "true_false": "true_false_question",
    "cloze": "short_answer_question",
    "short": "essay_question",
}


def xml_safe(text: str) -> str:
    """Drop the characters XML 1.0 cannot hold (control characters, lone surrogates)."""
    return _XML_FORBIDDEN.sub("", text)


def _html(text: str) -> str:
    return xml_safe(html.escape(text, quote=False))


def _material(parent: ET.Element, text: str) -> None:
    mattext = ET.SubElement(ET.SubElement(parent, "material"), "mattext", texttype="text/html")
    mattext.text = _html(text)


def _metadata(parent: ET.Element, fields: list[tuple[str, str]]) -> None:
    meta = ET.SubElement(parent, "qtimetadata")
    for label, entry in fields:
        field = ET.SubElement(meta, "qtimetadatafield")
        ET.SubElement(field, "fieldlabel").text = label
        ET.SubElement(field, "fieldentry").text = entry


def _choice(item_el: ET.Element, labels: list[tuple[str, str]]) -> ET.Element:
    lid = ET.SubElement(item_el, "response_lid", ident="response1", rcardinality="Single")
    render = ET.SubElement(lid, "render_choice")
    for ident, text in labels:
        _material(ET.SubElement(render, "response_label", ident=ident), text)
    return lid


def _correct(proc: ET.Element, value: str) -> None:
    cond = ET.SubElement(proc, "respcondition", {"continue": "No"})
    ET.SubElement(ET.SubElement(cond, "conditionvar"), "varequal", respident="response1").text = value
    ET.SubElement(cond, "setvar", action="Set", varname="SCORE").text = "100"


def build_item(item: QuizItem, ident: str) -> ET.Element:
    """One QTI `<item>` with presentation, scoring and general feedback."""
    element = ET.Element("item", ident=ident, title=xml_safe(item.id))
    _metadata(ET.SubElement(element, "itemmetadata"),
              [("question_type", QUESTION_TYPES[item.kind]), ("points_possible", "1.0")])
    presentation = ET.SubElement(element, "presentation")
    _material(presentation, item.stem)
    if item.kind == "mcq":
        _choice(presentation, [(f"a{i}", option) for i, option in enumerate(item.options)])
    elif item.kind == "true_false":
        _choice(presentation, [("true", "True"), ("false", "False")])
    else:
        response = ET.SubElement(presentation, "response_str", ident="response1", rcardinality="Single")
        fib = ET.SubElement(response, "render_fib")
        ET.SubElement(fib, "response_label", ident="answer1", rshuffle="No")
    proc = ET.SubElement(element, "resprocessing")
    ET.SubElement(ET.SubElement(proc, "outcomes"), "decvar", maxvalue="100", minvalue="0",
                  varname="SCORE", vartype="Decimal")
    feedback = item.feedback
    if item.kind == "short":
        feedback = " ".join(x for x in (f"Model answer: {item.answer_text}", item.feedback) if x)
    if feedback:
        general = ET.SubElement(proc, "respcondition", {"continue": "Yes"})
        ET.SubElement(ET.SubElement(general, "conditionvar"), "other")
        ET.SubElement(general, "displayfeedback", feedbacktype="Response", linkrefid="general_fb")
    if item.kind == "mcq":
        _correct(proc, f"a{item.correct_index}")
    elif item.kind == "true_false":
        _correct(proc, "true" if item.truth else "false")
    elif item.kind == "cloze":
        _correct(proc, xml_safe(item.answer_text))
    if feedback:
        flow = ET.SubElement(ET.SubElement(element, "itemfeedback", ident="general_fb"), "flow_mat")
        _material(flow, feedback)
    return element


def assessment_xml(quiz: QuizSet, ident: str) -> bytes:
    """The QTI document of one quiz."""
    root = ET.Element("questestinterop", xmlns=QTI_NS)
    assessment = ET.SubElement(root, "assessment", ident=ident, title=xml_safe(quiz.title))
    _metadata(assessment, [("cc_maxattempts", "1")])
    section = ET.SubElement(assessment, "section", ident="root_section")
    used: set[str] = set()
    for item in quiz.items:
        item_ident = _unique(f"{ident}-{slugify(item.id, 'question')}", used)
        section.append(build_item(item, item_ident))
    return _serialize(root)


def manifest_xml(course: Course, resources: list[tuple[str, str]]) -> bytes:
    """`imsmanifest.xml` naming every assessment file."""
    root = ET.Element("manifest", identifier=f"coursegen-{slugify(course.id, 'course')}", xmlns=CP_NS)
    metadata = ET.SubElement(root, "metadata")
    ET.SubElement(metadata, "schema").text = "IMS Content"
    ET.SubElement(metadata, "schemaversion").text = "1.1.3"
    ET.SubElement(root, "organizations")
    res_el = ET.SubElement(root, "resources")
    for ident, href in resources:
        resource = ET.SubElement(res_el, "resource", identifier=ident, type="imsqti_xmlv1p2", href=href)
        ET.SubElement(resource, "file", href=href)
    return _serialize(root)


def _serialize(root: ET.Element) -> bytes:
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="UTF-8", xml_declaration=True)
    return data


def _unique(ident: str, used: set[str]) -> str:
    candidate, n = ident, 2
    while candidate in used:
        candidate, n = f"{ident}-{n}", n + 1
    used.add(candidate)
    return candidate


def qti_package(course: Course) -> bytes:
    """The zip bytes: manifest plus one assessment per lesson with questions, and the placement quiz."""
    files: list[tuple[str, bytes]] = []
    resources: list[tuple[str, str]] = []
    used: set[str] = set()
    for quiz in quiz_sets(course):
        ident = _unique(quiz.slug.lstrip("_"), used)
        href = f"{ident}/{ident}.xml"
        files.append((href, assessment_xml(quiz, ident)))
        resources.append((f"res-{ident}", href))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in [("imsmanifest.xml", manifest_xml(course, resources)), *files]:
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def export_qti(course: Course, out_dir: Path) -> list[Path]:
    """Write `out_dir/qti/<course>-qti.zip` (import it in Canvas or Blackboard as a QTI package)."""
    path = Path(out_dir) / QTI_DIR / f"{slugify(course.id, 'course')}-qti.zip"
    atomic_write_bytes(path, qti_package(course))
    return [path]
