"""Build the sample course's site and save screenshots of it (docs/screenshot.png for the README).

Usage: python scripts/screenshot.py [--out docs/screenshot.png] [--lesson docs/lesson.png]
       python scripts/screenshot.py --course build/course.json --page lesson-compute.html --out /tmp/a.png
(`--course` shoots a real build's site instead of the sample course; `--page` picks its page.)
Needs Chromium at /usr/bin/chromium (or $COURSEGEN_CHROMIUM); never downloads a browser.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from playwright.sync_api import sync_playwright  # noqa: E402

from coursegen.export.site import export_site  # noqa: E402
from coursegen.ir import Course  # noqa: E402
from tests.site.chromium import LAUNCH_ARGS, find_chromium  # noqa: E402
from tests.site.sample_course import sample_course  # noqa: E402

_PROGRESS_SCRIPT = """
localStorage.setItem("coursegen:ramps-to-knowledge-course:progress", JSON.stringify({lessons: {
  "ramps-to-knowledge": {best: 2, total: 2, done: true, predicted: true},
  "depends-on-before": {best: 2, total: 2, done: true, predicted: true},
  "pain-first": {predicted: true}
}}));
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshot.png")
    parser.add_argument("--lesson", type=Path, default=None, help="also shoot lesson 2 here (quiz done)")
    parser.add_argument("--mobile", type=Path, default=None, help="also shoot the index at phone size")
    parser.add_argument("--full", action="store_true", help="whole page instead of the first screen")
    parser.add_argument("--course", type=Path, default=None, help="shoot this course.json, not the sample")
    parser.add_argument("--page", default="index.html", help="the page of the site for --out")
    args = parser.parse_args()
    chromium = find_chromium()
    if chromium is None:
        print("no Chromium found (install Debian's chromium package)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        course = sample_course()
        if args.course:
            course = Course.model_validate_json(args.course.read_text(encoding="utf-8"))
        export_site(course, Path(tmp))
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=LAUNCH_ARGS)
            page = browser.new_page(viewport={"width": 1100, "height": 1320}, device_scale_factor=1)
            # Show a learner part-way up the ramp: two lessons done, the third one next.
            page.add_init_script(_PROGRESS_SCRIPT)
            page.goto((site / args.page).as_uri())
            args.out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(args.out), full_page=args.full, animations="disabled")
            if args.lesson:
                # The sample course's second lesson, or a real build's second (its first has no
                # prerequisites to show).
                shown = course.lessons[min(1, len(course.lessons) - 1)]
                page.goto((site / f"lesson-{shown.id}.html").as_uri())
                page.click("#commit-guess")
                page.click("form.quiz button[type=submit]")
                page.screenshot(path=str(args.lesson), full_page=True, animations="disabled")
            if args.mobile:
                phone = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=1)
                phone.goto((site / "index.html").as_uri())
                phone.screenshot(path=str(args.mobile), full_page=True, animations="disabled")
            browser.close()
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
