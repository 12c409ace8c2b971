"""Every exporter uses one implementation of the link, time and cloze helpers: the strict one."""

from __future__ import annotations

from pathlib import Path

import pytest

from coursegen.export import _common, site_view
from coursegen.export.markdown import export_markdown
from coursegen.ir import Course
from tests.export.sample_course import sample_course

UNSAFE = [
    "javascript:alert(1)",
    "https://",  # no host
    "https://x.test/a b",  # whitespace inside
    "https://x.test/\njavascript:alert(1)",
    "https://x.test/\x00",
    "https://x.test/\x7f",
    "ftp://x.test/a",
    "//x.test/a",
    "http://[::1",  # urlsplit raises
]


@pytest.mark.parametrize("url", UNSAFE)
def test_unsafe_urls_never_become_links(url: str) -> None:
    assert _common.safe_url(url) is None


def test_site_and_other_exports_share_the_helpers() -> None:
    assert site_view.safe_url is _common.safe_url
    assert site_view.format_time is _common.format_time
    assert not hasattr(site_view, "ramp_order")
    assert site_view.cloze_display("a {{c1::b::hint}} c {{c2::d}}") == "a _____ (hint) c _____"


def test_markdown_drops_an_episode_url_with_a_line_break(tmp_path: Path) -> None:
    course: Course = sample_course()
    course.episodes[0].url = "https://x.test/ep\n<script>alert(1)</script>"
    written = export_markdown(course, tmp_path)
    text = "\n".join(p.read_text(encoding="utf-8") for p in written if p.suffix == ".md")
    assert "x.test/ep" not in text


def test_removed_dead_code_stays_removed() -> None:
    from coursegen import errors
    from coursegen.llm.client import LLMClient

    assert not hasattr(errors, "ValidationFailed") and not hasattr(_common, "cloze_revealed")
    assert not hasattr(LLMClient, "write_batch") and not hasattr(LLMClient, "estimate_many")
