"""The site in a real headless Chromium opened from disk: navigation, quizzes, reveal, safety."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from coursegen.export.site import export_site
from tests.site.sample_course import hostile_course, skipping_placement_course
from tests.support.browser_fixtures import Watched

pytestmark = pytest.mark.browser

LESSON_2 = "lesson-depends-on-before.html"


def url(site: Path, name: str) -> str:
    return (site / name).as_uri()


def test_placement_says_why_it_starts_before_a_missed_lesson(tmp_path: Path, watched: Watched) -> None:
    export_site(skipping_placement_course(), tmp_path)
    page = watched.page
    page.goto(url(tmp_path / "site", "index.html"))
    page.fill("#p-1 input[type=text]", "before")  # right: checks lesson 2
    page.click("form.quiz button[type=submit]")  # p-2 blank: a miss on lesson 6, which starts at 3
    assert page.locator("form.quiz .score").inner_text() == (
        "You answered 1 of 2 correctly. Start at Lesson 3: Present the pain before the solution "
        "(you missed a question on Lesson 6, and the quiz asks nothing about lessons 3-5, "
        "so you start there)."
    )
    watched.assert_clean()


def test_placement_all_right_starts_after_the_furthest_lesson_it_asked_about(
    tmp_path: Path, watched: Watched
) -> None:
    export_site(skipping_placement_course(), tmp_path)
    page = watched.page
    page.goto(url(tmp_path / "site", "index.html"))
    page.fill("#p-1 input[type=text]", "before")  # right: on lesson 2
    page.check("#p-2 input[value='1']")  # right: on lesson 6 (a miss would start at lesson 3)
    page.click("form.quiz button[type=submit]")
    # Lesson 6 is the last: a learner who knows it starts there (it sent them to lesson 4).
    assert page.locator("form.quiz .score").inner_text() == (
        "You answered 2 of 2 correctly. Start at Lesson 6: Why experts explain badly: the curse of knowledge."
    )
    watched.assert_clean()


def test_index_from_disk_follows_a_ramp_link(site_dir: Path, watched: Watched) -> None:
    page = watched.page
    page.goto(url(site_dir, "index.html"))
    assert page.title() == "Ramps to Knowledge: How Good Lessons Are Built"
    assert page.locator(".ramp-node").count() == 6
    page.click(f".ramp-node[href='{LESSON_2}']")
    page.wait_for_url("**/" + LESSON_2)
    assert page.locator("h1").inner_text() == "Everything depends only on the thing before it"
    watched.assert_clean()
    assert any(u.endswith("/assets/site.css") for u in watched.requests)
    assert any(u.endswith("/assets/site.js") for u in watched.requests)


def test_quiz_scores_a_miss_with_a_pointer_back_then_a_pass(site_dir: Path, watched: Watched) -> None:
    page = watched.page
    page.goto(url(site_dir, LESSON_2))
    page.click("#commit-guess")  # the questions open with the idea, after the guess
    page.fill("#q-1 input[type=text]", "after")
    page.click("#q-2 .show-model")
    assert page.locator("#q-2 .answer-key").is_visible()
    page.check("#q-2 input[value=no]")
    page.click("form.quiz button[type=submit]")
    assert page.locator("form.quiz .score").inner_text() == (
        "You scored 0 of 2. Each missed question shows where to look again."
    )
    assert page.locator("#q-1 .pointers a").all_inner_texts() == [
        "Re-read the part of this lesson that teaches it",
        "It builds on Lesson 1: Education as building ramps to knowledge",
    ]
    pointer = page.locator("#q-1 .pointers a").last
    assert pointer.is_visible()
    assert page.locator("#q-1 .answer-key").inner_text() == "Answer: before"
    pointer.click()  # the pointer back is a working link
    page.wait_for_url("**/lesson-ramps-to-knowledge.html")

    page.goto(url(site_dir, LESSON_2))
    page.fill("#q-1 input[type=text]", "  The BEFORE ")
    page.click("#q-2 .show-model")
    page.check("#q-2 input[value=yes]")
    page.click("form.quiz button[type=submit]")
    assert page.locator("form.quiz .score").inner_text() == (
        "You scored 2 of 2. Lesson complete. Next step: Lesson 3: Present the pain before the solution"
    )
    assert page.locator("form.quiz .score a.next-step").get_attribute("href") == "lesson-pain-first.html"
    assert not page.locator("#q-1 .pointers").is_visible()
    # The lesson that needs this one now shows it completed next to its "You need first" link.
    page.goto(url(site_dir, "lesson-first-order-terms.html"))
    assert page.locator(".needs-first li").all_inner_texts() == [
        "Lesson 2: Everything depends only on the thing before it · completed",
        "Lesson 4: Make the learner guess before the reveal",
    ]

    page.goto(url(site_dir, "index.html"))
    assert page.locator("#progress-text").inner_text().startswith("You have completed 1 of 6 lessons.")
    assert "is-done" in (page.locator(f".ramp-node[href='{LESSON_2}']").get_attribute("class") or "")
    assert page.locator("#next-step").get_attribute("href") == "lesson-ramps-to-knowledge.html"
    watched.assert_clean()


def test_multiple_choice_and_true_false_score_in_the_page(site_dir: Path, watched: Watched) -> None:
    page = watched.page
    page.goto(url(site_dir, "lesson-ramps-to-knowledge.html"))
    page.click("#commit-guess")  # the questions open with the idea, after the guess
    page.check("#q-1 input[value='0']")  # wrong option
    page.check("#q-2 input[value='0']")  # True: right
    page.click("form.quiz button[type=submit]")
    assert page.locator(".score").inner_text().startswith("You scored 1 of 2.")
    assert page.locator("#q-1 .verdict").inner_text() == "Not quite."
    assert page.locator("#q-2 .verdict").inner_text() == "Correct."
    page.check("#q-1 input[value='1']")
    page.click("form.quiz button[type=submit]")
    assert page.locator(".score").inner_text() == (
        "You scored 2 of 2. Lesson complete. "
        "Next step: Lesson 2: Everything depends only on the thing before it"
    )
    watched.assert_clean()


def test_prediction_stays_hidden_until_the_learner_commits(site_dir: Path, watched: Watched) -> None:
    page = watched.page
    page.goto(url(site_dir, LESSON_2))
    reveal = page.locator("#reveal")
    assert not reveal.is_visible()
    page.fill("#guess", "dependencies <b>first</b>")
    assert not reveal.is_visible()
    page.click("#commit-guess")
    assert reveal.is_visible()
    assert "each step uses only what came before" in reveal.inner_text()
    assert page.locator(".your-guess span").inner_text() == "dependencies <b>first</b>"
    assert page.locator("#commit-guess").get_attribute("aria-expanded") == "true"
    watched.assert_clean()


def test_the_idea_opens_only_after_the_guess_and_stays_open_on_return(
    site_dir: Path, watched: Watched
) -> None:
    page = watched.page
    page.goto(url(site_dir, LESSON_2))
    assert not page.locator("#idea").is_visible()
    assert page.locator("#idea-waiting").is_visible()
    page.click("#commit-guess")
    assert page.locator("#idea").is_visible()
    assert not page.locator("#idea-waiting").is_visible()
    page.reload()  # the guess is remembered: no second gate on a return visit
    assert page.locator("#idea").is_visible()
    watched.assert_clean()


def test_the_idea_and_its_questions_open_after_the_guess_and_a_pointer_leads_back(
    site_dir: Path, watched: Watched
) -> None:
    page = watched.page
    page.goto(url(site_dir, LESSON_2))
    # Before the guess neither the idea nor the questions on it show (they would give it away).
    assert not page.locator("#idea").is_visible() and not page.locator("#check").is_visible()
    assert "check-yourself questions open here" in page.locator("#idea-waiting").inner_text()
    page.click("#commit-guess")
    page.fill("#q-1 input[type=text]", "after")
    page.click("form.quiz button[type=submit]")
    page.locator("#q-1 .pointers a").first.click()
    assert page.locator("#idea").is_visible()
    assert page.evaluate("window.location.hash").startswith("#block-")
    # A link from elsewhere straight to a block opens the idea too.
    page.goto(url(site_dir, "index.html"))
    page.goto(url(site_dir, LESSON_2) + "#block-1")
    assert page.locator("#block-1").is_visible()
    watched.assert_clean()


def test_prediction_reveal_is_keyboard_operable(site_dir: Path, watched: Watched) -> None:
    page = watched.page
    page.goto(url(site_dir, LESSON_2))
    page.focus("#guess")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "commit-guess"
    page.keyboard.press("Enter")
    assert page.locator("#reveal").is_visible()
    assert page.evaluate("document.activeElement.id") == "reveal"
    watched.assert_clean()


def test_placement_quiz_says_where_to_start(site_dir: Path, watched: Watched) -> None:
    page = watched.page
    page.goto(url(site_dir, "index.html"))
    page.fill("#p-1 input[type=text]", "before")  # right: may skip lesson 2
    page.check("#p-2 input[value='2']")  # wrong: start at lesson 4
    page.click("form.quiz button[type=submit]")  # p-3 blank also counts as a miss (lesson 6)
    score = page.locator("form.quiz .score")
    assert score.inner_text() == (
        "You answered 1 of 3 correctly. Start at Lesson 4: Make the learner guess before the reveal."
    )
    assert page.locator("#p-2 .pointers a").inner_text() == (
        "Start at Lesson 4: Make the learner guess before the reveal"
    )
    assert page.locator("#next-step").get_attribute("href") == "lesson-guess-first.html"
    page.reload()  # the start point is remembered
    assert page.locator("#next-step").get_attribute("href") == "lesson-guess-first.html"
    watched.assert_clean()


def test_site_works_when_local_storage_throws(site_dir: Path, watched: Watched) -> None:
    page = watched.page
    page.add_init_script(
        "Object.defineProperty(window, 'localStorage', {get() {"
        " throw new DOMException('denied', 'SecurityError'); }});"
    )
    page.goto(url(site_dir, LESSON_2))
    page.click("#commit-guess")  # the questions open with the idea, after the guess
    page.fill("#q-1 input[type=text]", "before")
    page.click("#q-2 .show-model")
    page.check("#q-2 input[value=yes]")
    page.click("form.quiz button[type=submit]")
    assert page.locator(".score").inner_text().startswith("You scored 2 of 2. Lesson complete. Next step:")
    page.goto(url(site_dir, "index.html"))
    assert page.locator("#next-step").is_visible()
    watched.assert_clean()


def test_hostile_transcript_text_stays_inert(tmp_path: Path, watched: Watched) -> None:
    export_site(hostile_course(), tmp_path)
    site = tmp_path / "site"
    page = watched.page
    pages = sorted(site.glob("*.html"))
    assert len(pages) == 7
    for html in pages:
        page.goto(html.as_uri())
        assert "<script>alert(1)</script>" in page.locator("h1").inner_text()
        assert page.locator("main img").count() == 0
    page.goto(next(p for p in pages if p.name.startswith("lesson-depends")).as_uri())
    page.fill("#guess", "<img src=x onerror=alert(5)>")
    page.click("#commit-guess")
    assert page.locator(".your-guess span").inner_text() == "<img src=x onerror=alert(5)>"
    page.click("form.quiz button[type=submit]")
    assert "<script>alert(1)</script>" in page.locator("#q-1 .answer-key").inner_text()
    assert page.locator("main img").count() == 0
    watched.assert_clean()


def test_phone_width_has_no_sideways_scroll(site_dir: Path, browser: object) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740})  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        for name in ("index.html", LESSON_2, "lesson-first-order-terms.html"):
            page.goto(url(site_dir, name))
            assert page.evaluate("document.documentElement.scrollWidth") <= 360, name
        page.goto(url(site_dir, "index.html"))
        # The ramp picture is too small to read on a phone, so the plain list shows too.
        assert page.locator(".lesson-list").is_visible()
    finally:
        context.close()


def test_print_shows_the_reveal_and_answer_key(site_dir: Path, watched: Watched) -> None:
    page = watched.page
    page.goto(url(site_dir, LESSON_2))
    page.emulate_media(media="print")
    assert page.locator("#reveal").is_visible()
    assert page.locator("#idea").is_visible()
    assert not page.locator("#idea-waiting").is_visible()
    assert page.locator("#q-1 .answer-key").is_visible()
    assert not page.locator("form.quiz button[type=submit]").is_visible()


CONTRAST_JS = """
() => {
  const parse = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const ch = [r, g, b].map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
  };
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] === 1)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const worst = [];
  let checked = 0;
  const sel = "p, a, label, legend, button, li, h1, h2, h3, cite, span, strong, summary";
  for (const el of document.querySelectorAll(sel)) {
    if (!el.offsetParent || el.closest("svg") || !el.textContent.trim()) continue;
    if (el.disabled) continue;  // disabled controls are exempt (WCAG 1.4.3)
    checked += 1;
    const fg = lum(parse(getComputedStyle(el).color).slice(0, 3)), bg = lum(background(el));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    const label = el.textContent.trim().slice(0, 30);
    if (ratio < 4.5) worst.push([el.tagName, el.className, label, ratio.toFixed(2)]);
  }
  return {worst, checked};
}
"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_contrast_is_at_least_4_5(site_dir: Path, watched: Watched, scheme: str) -> None:
    page = watched.page
    page.emulate_media(color_scheme=scheme)
    page.goto(url(site_dir, LESSON_2))
    page.click("#commit-guess")
    page.click("form.quiz button[type=submit]")
    for name in (LESSON_2, "lesson-curse-of-knowledge.html", "index.html"):
        if name != LESSON_2:
            page.goto(url(site_dir, name))
        if name == "lesson-curse-of-knowledge.html":  # the attribution box and its unfolded words
            page.click("#commit-guess")
            page.click(".exact-words summary")
        result = page.evaluate(CONTRAST_JS)
        assert result["worst"] == [], name
        assert result["checked"] > 30, name


def test_screenshot_of_the_index(site_dir: Path, watched: Watched, tmp_path: Path) -> None:
    page = watched.page
    page.goto(url(site_dir, "index.html"))
    shot = tmp_path / "index.png"
    page.screenshot(path=str(shot), full_page=True)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert width == 1100 and height > 1200
    watched.assert_clean()



def test_without_javascript_the_answers_are_simply_shown(site_dir: Path, browser: object) -> None:
    context = browser.new_context(java_script_enabled=False)  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        page.goto(url(site_dir, LESSON_2))
        assert page.locator("#reveal").is_visible()
        assert page.locator("#idea").is_visible()
        assert not page.locator("#idea-waiting").is_visible()
        assert page.locator("#q-1 .answer-key").is_visible()
        assert not page.locator("#commit-guess").is_visible()
        assert not page.locator("form.quiz button[type=submit]").is_visible()
    finally:
        context.close()


def test_self_grade_choice_appears_only_after_the_model_answer(site_dir: Path, watched: Watched) -> None:
    page = watched.page
    page.goto(url(site_dir, LESSON_2))
    page.click("#commit-guess")  # the questions open with the idea, after the guess
    assert not page.locator("#q-2 .grade-choice").is_visible()
    assert not page.locator("#q-2 .answer-key").is_visible()
    page.click("#q-2 .show-model")
    assert page.locator("#q-2 .grade-choice").is_visible()
    assert page.locator("#q-2 .show-model").get_attribute("aria-expanded") == "true"
    watched.assert_clean()


def test_lesson_page_remembers_a_completed_quiz(site_dir: Path, watched: Watched) -> None:
    page = watched.page
    page.goto(url(site_dir, "lesson-ramps-to-knowledge.html"))
    page.click("#commit-guess")  # the questions open with the idea, after the guess
    assert not page.locator("#lesson-status").is_visible()
    page.check("#q-1 input[value='1']")
    page.check("#q-2 input[value='0']")
    page.click("form.quiz button[type=submit]")
    page.reload()
    assert page.locator("#lesson-status").inner_text() == "You completed this lesson (2 of 2)."
    watched.assert_clean()


def test_ramp_nodes_are_reachable_and_followed_by_keyboard(site_dir: Path, watched: Watched) -> None:
    page = watched.page
    page.goto(url(site_dir, "index.html"))
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('ramp-node')"):
            break
    else:
        pytest.fail("no ramp node reached with Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "lesson-ramps-to-knowledge.html"
    page.keyboard.press("Enter")
    page.wait_for_url("**/lesson-ramps-to-knowledge.html")
    watched.assert_clean()


def test_unmarked_short_answer_opens_its_model_answer_for_marking(site_dir: Path, watched: Watched) -> None:
    page = watched.page
    page.goto(url(site_dir, LESSON_2))
    page.click("#commit-guess")  # the questions open with the idea, after the guess
    page.click("form.quiz button[type=submit]")
    assert page.locator("#q-2 .verdict").inner_text().startswith("Not marked yet")
    assert page.locator("#q-2 .answer-key").is_visible()
    assert page.locator("#q-2 .grade-choice").is_visible()
    assert page.locator("#q-2 .show-model").get_attribute("aria-expanded") == "true"
    page.check("#q-2 input[value=yes]")
    page.fill("#q-1 input[type=text]", "before")
    page.click("form.quiz button[type=submit]")
    assert page.locator(".score").inner_text().startswith("You scored 2 of 2. Lesson complete. Next step:")
    watched.assert_clean()


def test_a_quote_in_the_prose_is_read_once_and_its_exact_words_open_on_request(
    site_dir: Path, watched: Watched
) -> None:
    page = watched.page
    page.goto(url(site_dir, "lesson-curse-of-knowledge.html"))
    page.click("#commit-guess")
    idea = page.locator("section.idea")
    assert idea.inner_text().count("curse of knowledge and expertise") == 1
    source = idea.locator(".quote.source")
    assert "Andrej Karpathy" in source.inner_text() and "2:21:14" in source.inner_text()
    exact = source.locator(".exact-words p")
    assert not exact.is_visible()
    source.locator("summary").click()
    assert exact.inner_text() == "“Well, it's the curse of knowledge and expertise.”"
    watched.assert_clean()


def test_passing_the_last_lesson_points_back_to_the_overview(site_dir: Path, watched: Watched) -> None:
    page = watched.page
    page.goto(url(site_dir, "lesson-curse-of-knowledge.html"))
    page.click("#commit-guess")  # the questions open with the idea, after the guess
    page.check("#q-1 input[value='1']")
    page.click("#q-2 .show-model")
    page.check("#q-2 input[value=yes]")
    page.click("form.quiz button[type=submit]")
    step = page.locator("form.quiz .score a.next-step")
    assert step.inner_text() == "You finished the ramp: back to the overview"
    assert step.get_attribute("href") == "index.html"
    watched.assert_clean()
