"""The generated site as files: structure, escaping, links, determinism (no browser needed)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from coursegen.export.site import export_site, script_json
from coursegen.ir import Block, Citation, Course, Lesson
from tests.site.sample_course import PAYLOAD, hostile_course, sample_course, skipping_placement_course

# Every element the templates may emit; an injected tag would show up as something else.
ALLOWED_TAGS = {
    "html", "head", "meta", "title", "link", "noscript", "style", "body", "a", "header", "div", "main",
    "section", "p", "h1", "h2", "h3", "progress", "figure", "svg", "defs", "marker", "path", "rect",
    "circle", "text", "tspan", "ol", "ul", "li", "form", "fieldset", "legend", "span", "label", "input",
    "textarea", "button", "strong", "blockquote", "footer", "cite", "nav", "article", "script", "bdi",
    "details", "summary",
}


class PageScan(HTMLParser):
    """Collects tags, attributes, ids and the page-data script of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: set[str] = set()
        self.scripts: list[dict[str, str | None]] = []
        self.page_data: str | None = None
        self._in_data = False
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if attributes.get("id"):
            self.ids.add(str(attributes["id"]))
        if tag == "script":
            self.scripts.append(attributes)
            self._in_data = attributes.get("id") == "page-data"

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_data = False

    def handle_data(self, data: str) -> None:
        if self._in_data:
            self.page_data = (self.page_data or "") + data
        else:
            self.text.append(data)


def scan(path: Path) -> PageScan:
    parser = PageScan()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def pages(site: Path) -> list[Path]:
    return sorted(site.glob("*.html"))


def test_writes_index_one_page_per_lesson_and_assets(tmp_path: Path) -> None:
    course = sample_course()
    written = export_site(course, tmp_path)
    site = tmp_path / "site"
    assert written == sorted(written)
    assert all(path.is_file() for path in written)
    names = {path.relative_to(site).as_posix() for path in written}
    lessons = {f"lesson-{lesson.id}.html" for lesson in course.lessons}
    assert names == {"index.html", "assets/site.css", "assets/site.js"} | lessons


def test_same_course_gives_byte_identical_site(tmp_path: Path) -> None:
    def build(name: str) -> dict[Path, bytes]:
        written = export_site(sample_course(), tmp_path / name)
        return {p.relative_to(tmp_path / name): p.read_bytes() for p in written}

    assert build("a") == build("b")


def test_hostile_text_never_becomes_markup(hostile_site_dir: Path) -> None:
    for page in pages(hostile_site_dir):
        parsed = scan(page)
        tags = {tag for tag, _ in parsed.tags}
        assert tags <= ALLOWED_TAGS, (page.name, tags - ALLOWED_TAGS)
        # Exactly our two scripts: the JSON data island and the site script.
        assert parsed.scripts == [{"type": "application/json", "id": "page-data"}, {"src": "assets/site.js"}]
        for tag, attributes in parsed.tags:
            assert not any(name.startswith("on") for name in attributes), (page.name, tag, attributes)
            href = attributes.get("href") or ""
            assert not href.strip().lower().startswith(("javascript:", "data:")), (page.name, href)
        # The payload is still there, as text a learner can read.
        assert "<script>alert(1)</script>" in "".join(parsed.text)


def test_payload_in_raw_html_is_escaped(hostile_site_dir: Path) -> None:
    raw = (hostile_site_dir / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in raw
    assert "<img src=x" not in raw
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw
    assert 'onerror=&#34;alert(2)&#34;' in raw or "onerror=&quot;alert(2)&quot;" in raw


def test_page_data_survives_script_context_and_round_trips(hostile_site_dir: Path) -> None:
    for page in pages(hostile_site_dir):
        data = scan(page).page_data
        assert data is not None
        assert "</" not in data and "<!--" not in data and "<" not in data
        decoded = json.loads(data)
        assert PAYLOAD in decoded["course"]


def test_script_json_escapes_everything_that_ends_a_script() -> None:
    value = {"a": "</script><!-- & \u2028 \u2029 <b>"}
    text = str(script_json(value))
    for bad in ("<", ">", "&", "\u2028", "\u2029"):
        assert bad not in text
    assert json.loads(text) == value


def test_every_relative_link_and_anchor_resolves(site_dir: Path) -> None:
    ids = {page.name: scan(page).ids for page in pages(site_dir)}
    checked = 0
    for page in pages(site_dir):
        for tag, attributes in scan(page).tags:
            for name in ("href", "src"):
                target = attributes.get(name)
                if target is None or (tag == "a" and urlsplit(target).scheme in ("http", "https")):
                    continue
                parts = urlsplit(target)
                assert parts.scheme == "" and parts.netloc == "", (page.name, target)
                file_name = unquote(parts.path) or page.name
                assert (site_dir / file_name).is_file(), (page.name, target)
                if parts.fragment and file_name.endswith(".html"):
                    assert parts.fragment in ids[Path(file_name).name], (page.name, target)
                checked += 1
    assert checked > 50


def test_only_citation_and_credit_links_leave_the_site(site_dir: Path) -> None:
    for asset in (site_dir / "assets").iterdir():
        assert not re.search(r"https?:", asset.read_text(encoding="utf-8")), asset.name
    outgoing: list[str] = []
    for page in pages(site_dir):
        for tag, attributes in scan(page).tags:
            for name, value in attributes.items():
                if value and re.match(r"\s*(https?:)?//", value):
                    assert tag == "a" and name == "href", (page.name, tag, name, value)
                    outgoing.append(value)
    assert outgoing, "the sample cites a YouTube video: its time links should be present"
    assert all(url.startswith("https://www.youtube.com/watch?v=lXUZvyajciY") for url in outgoing)


def test_lesson_page_puts_problem_before_guess_before_idea(site_dir: Path) -> None:
    html = (site_dir / "lesson-depends-on-before.html").read_text(encoding="utf-8")
    problem = html.index('class="problem"')
    predict = html.index('class="predict"')
    idea = html.index('class="idea"')
    check = html.index('class="check"')
    assert problem < predict < idea < check
    assert re.search(r'<div id="reveal" class="reveal" hidden', html)
    assert 'href="lesson-ramps-to-knowledge.html">Lesson 1: Education as building ramps' in html


def test_citations_show_speaker_episode_and_time(site_dir: Path) -> None:
    html = (site_dir / "lesson-first-order-terms.html").read_text(encoding="utf-8")
    assert '<span class="speaker"><bdi>Andrej Karpathy</bdi></span>' in html
    assert 'href="https://www.youtube.com/watch?v=lXUZvyajciY&amp;t=8257"' in html
    assert ">2:17:37</a>" in html
    # An untimed source is cited by its line range in the transcript instead.
    assert '<span class="lines">transcript line 132</span>' in html
    footer = html[html.index('class="site-footer"'):]
    assert "Oriol Vinyals" in footer and "third-party recordings" in footer
    # Quotes are the transcripts' words: the learner is told that misheard words may be in them.
    assert "speech-to-text errors included" in footer and "leave out fillers" in footer


def visible_text(html: str) -> str:
    """The page's text outside folded `<details>` and scripts, whitespace collapsed."""
    html = re.sub(r"<details.*?</details>|<script.*?</script>", " ", html, flags=re.DOTALL)
    parser = PageScan()
    parser.feed(html)
    return " ".join("".join(parser.text).split())


def test_a_quote_the_prose_already_gives_is_attributed_not_repeated(site_dir: Path) -> None:
    html = (site_dir / "lesson-curse-of-knowledge.html").read_text(encoding="utf-8")
    idea = html[html.index('class="idea"'):html.index('class="check"')]
    shown = visible_text(idea)
    assert shown.count("curse of knowledge and expertise") == 1, shown
    # Who said it, where and when stay, with the deep link; the verbatim words are one click away.
    assert "Source: Andrej Karpathy, Andrej Karpathy — “We’re summoning ghosts" in shown
    assert 'href="https://www.youtube.com/watch?v=lXUZvyajciY&amp;t=8474"' in idea
    folded = r'<details class="exact-words"><summary>Exact words</summary><p>“<bdi>Well, it&#39;s the curse '
    assert re.search(folded + r"of knowledge and expertise\.</bdi>”</p></details>", idea)
    assert "<blockquote" not in idea


def test_a_paraphrasing_block_keeps_its_quote(site_dir: Path) -> None:
    html = (site_dir / "lesson-first-order-terms.html").read_text(encoding="utf-8")
    idea = html[html.index('class="idea"'):html.index('class="check"')]
    assert "Find the component that matters most and show it in action." in idea
    assert idea.count("<blockquote") == 3 and "exact-words" not in idea
    assert "“I always try to find the first order terms or the second order terms of everything.”" in \
        visible_text(idea)


def test_estimated_time_is_marked_estimated(tmp_path: Path) -> None:
    course = sample_course()
    estimated = Citation(episode="002-vinyals", sentence_ids=["002-vinyals/p1/s1"], quote="a quote",
                         start=62.0, time_estimated=True)
    course.lessons[0].blocks.append(Block(text="An estimated one.", citations=[estimated]))
    export_site(course, tmp_path)
    html = (tmp_path / "site" / "lesson-ramps-to-knowledge.html").read_text(encoding="utf-8")
    assert '<span class="time">≈ 1:02 (estimated)</span>' in html


def test_ramp_picture_links_every_lesson_in_order_with_prerequisite_arcs(site_dir: Path) -> None:
    course = sample_course()
    parsed = scan(site_dir / "index.html")
    nodes = [a["href"] for tag, a in parsed.tags if tag == "a" and "ramp-node" in (a.get("class") or "")]
    in_order = sorted(course.lessons, key=lambda lesson: lesson.position)
    assert nodes == [f"lesson-{lesson.id}.html" for lesson in in_order]
    arcs = {(a["data-from"], a["data-to"]) for tag, a in parsed.tags if tag == "path" and a.get("data-from")}
    expected = {(pid, lesson.id) for lesson in course.lessons for pid in lesson.prerequisite_lessons}
    assert arcs == expected


def test_placement_questions_point_to_their_start_lessons(site_dir: Path) -> None:
    data = json.loads(scan(site_dir / "index.html").page_data or "{}")
    starts = [spec["start"] for _, spec in sorted(data["placement"].items())]
    assert starts == ["depends-on-before", "guess-first", "curse-of-knowledge"]
    assert [lesson["number"] for lesson in data["lessons"]] == [1, 2, 3, 4, 5, 6]


def test_a_start_before_the_checked_lesson_says_why(tmp_path: Path) -> None:
    export_site(skipping_placement_course(), tmp_path)
    parsed = scan(tmp_path / "site" / "index.html")
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    # q-order-cloze is on lesson 2 and starts a miss at 1; q-curse-mcq is on 6 and starts at 3.
    assert (
        "Start at Lesson 1: Education as building ramps to knowledge (this question is on Lesson 2; "
        "the quiz asks nothing about lesson 1, so you start there)"
    ) in html
    assert "(this question is on Lesson 6; the quiz asks nothing about lessons 3-5, so you start there)" in (
        html
    )
    specs = [spec for _, spec in sorted(json.loads(parsed.page_data or "{}")["placement"].items())]
    assert [(s.get("checks"), s.get("unchecked")) for s in specs] == [(2, "lesson 1"), (6, "lessons 3-5")]


def test_a_start_at_the_checked_lesson_needs_no_reason(site_dir: Path) -> None:
    html = (site_dir / "index.html").read_text(encoding="utf-8")
    assert "this question is on" not in html


def test_missed_question_points_back_to_where_it_is_taught(site_dir: Path) -> None:
    html = (site_dir / "lesson-first-order-terms.html").read_text(encoding="utf-8")
    # q-first-tf tests "ordering", taught in lesson 2: a miss sends the learner there.
    fieldset = html[html.index('id="q-2"'):]
    fieldset = fieldset[: fieldset.index("</fieldset>")]
    assert 'href="lesson-depends-on-before.html">Review Lesson 2: Everything depends' in fieldset


def test_a_miss_on_the_lessons_own_idea_points_here_before_its_prerequisites(site_dir: Path) -> None:
    html = (site_dir / "lesson-first-order-terms.html").read_text(encoding="utf-8")
    # q-first-mcq tests "first-order", taught here: re-read block 1, then what the lesson builds on.
    fieldset = html[html.index('id="q-1"'):]
    fieldset = fieldset[: fieldset.index("</fieldset>")]
    pointers = re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', fieldset)
    assert pointers == [
        ("#block-1", "Re-read the part of this lesson that teaches it"),
        ("lesson-depends-on-before.html",
         "It builds on Lesson 2: Everything depends only on the thing before it"),
        ("lesson-guess-first.html", "It builds on Lesson 4: Make the learner guess before the reveal"),
    ]


def test_lesson_removed_from_ramp_loses_its_page(tmp_path: Path) -> None:
    course = sample_course()
    export_site(course, tmp_path)
    course.lessons = [lesson for lesson in course.lessons if lesson.id != "curse-of-knowledge"]
    course.lessons[-1].prerequisite_lessons = ["depends-on-before"]
    export_site(course, tmp_path)
    assert not (tmp_path / "site" / "lesson-curse-of-knowledge.html").exists()
    assert (tmp_path / "site" / "lesson-first-order-terms.html").exists()


def test_course_without_lessons_still_builds_an_index(tmp_path: Path) -> None:
    written = export_site(Course(id="empty", title="Empty"), tmp_path)
    assert [p.name for p in written] == ["site.css", "site.js", "index.html"]
    assert "Empty" in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")


def test_lesson_ids_that_slug_alike_get_distinct_pages(tmp_path: Path) -> None:
    lessons = [
        Lesson(id=lid, position=i, title=f"T{i}", level=1, concepts=[], problem="p", prediction="q")
        for i, lid in enumerate(["A b", "a-b", "a_b"])
    ]
    written = export_site(Course(id="c", title="C", lessons=lessons), tmp_path)
    names = sorted(p.name for p in written if p.name.startswith("lesson-"))
    assert names == ["lesson-a-b-2.html", "lesson-a-b-3.html", "lesson-a-b.html"]


def test_hostile_course_has_no_javascript_links(tmp_path: Path) -> None:
    export_site(hostile_course(), tmp_path)
    for page in pages(tmp_path / "site"):
        assert "javascript:alert" not in page.read_text(encoding="utf-8").split("<body", 1)[0]
        for _tag, attributes in scan(page).tags:
            assert "javascript" not in (attributes.get("href") or "").lower()


def test_the_export_helpers_sample_course_renders_safely_too(tmp_path: Path) -> None:
    # A second, independently written course (with its own injection payloads) as a cross-check.
    from tests.export.sample_course import sample_course as export_sample

    course = export_sample()
    export_site(course, tmp_path)
    site = tmp_path / "site"
    assert len(pages(site)) == 1 + len(course.lessons)
    for page in pages(site):
        parsed = scan(page)
        assert {tag for tag, _ in parsed.tags} <= ALLOWED_TAGS, page.name
        assert len(parsed.scripts) == 2, page.name
        for _tag, attributes in parsed.tags:
            assert not any(name.startswith("on") for name in attributes), page.name


def test_lesson_ids_that_already_say_lesson_are_not_doubled(tmp_path: Path) -> None:
    lessons = [Lesson(id="lesson-attention", position=0, title="T", level=1, concepts=[], problem="p",
                      prediction="q")]
    written = export_site(Course(id="c", title="C", lessons=lessons), tmp_path)
    assert "lesson-attention.html" in {p.name for p in written}


class TagBalance(HTMLParser):
    """Checks that every element the templates open is closed, in order (no implied closes)."""

    VOID = {"meta", "link", "input", "br", "img", "hr"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pass  # <path .../> in SVG opens and closes itself

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


def test_every_page_is_well_nested(site_dir: Path, hostile_site_dir: Path) -> None:
    for page in [*pages(site_dir), *pages(hostile_site_dir)]:
        checker = TagBalance()
        checker.feed(page.read_text(encoding="utf-8"))
        checker.close()
        assert checker.problems == [] and checker.stack == [], page.name


def test_names_are_isolated_so_a_bidi_override_cannot_reorder_the_line(tmp_path: Path) -> None:
    course = sample_course()
    course.episodes[0].passages[0].speaker = "Mallory \u202eevil"
    export_site(course, tmp_path)
    html = (tmp_path / "site" / "lesson-ramps-to-knowledge.html").read_text(encoding="utf-8")
    assert '<span class="speaker"><bdi>Mallory \u202eevil</bdi></span>' in html
