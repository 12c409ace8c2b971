"""Small pieces of the site: times, URLs, cloze blanks, label wrapping, the JSON island."""

from __future__ import annotations

import json
import re

from hypothesis import given
from hypothesis import strategies as st

from coursegen.export.ramp_svg import RampInput, layout_ramp, wrap_label
from coursegen.export.site import script_json
from coursegen.export.site_view import cloze_display, format_time, safe_url


def test_format_time_switches_to_hours() -> None:
    assert format_time(0) == "0:00"
    assert format_time(62.9) == "1:02"
    assert format_time(3599) == "59:59"
    assert format_time(7409) == "2:03:29"
    assert format_time(-5) == "0:00"


def test_only_http_urls_become_links() -> None:
    assert safe_url("https://www.youtube.com/watch?v=x&t=5") == "https://www.youtube.com/watch?v=x&t=5"
    assert safe_url("http://example.org/a") == "http://example.org/a"
    for bad in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "file:///etc/passwd",
                "//evil.example", "https://", "https://a b", "https://a\nb", "", None, "vbscript:x"):
        assert safe_url(bad) is None, bad


def test_cloze_deletions_become_blanks_with_hints() -> None:
    assert cloze_display("the {{c1::loss}} falls") == "the _____ falls"
    assert cloze_display("{{c1::KV cache::a store}} and {{c2::MoE}}") == "_____ (a store) and _____"
    assert cloze_display("no deletion") == "no deletion"


def test_labels_wrap_into_at_most_two_lines() -> None:
    assert wrap_label("Short title") == ["Short title"]
    lines = wrap_label("Why experts explain badly: the curse of knowledge and of expertise, at great length")
    assert len(lines) == 2 and all(len(line) <= 42 for line in lines)
    assert lines[1].endswith("…")
    assert wrap_label("x" * 80) == ["x" * 41 + "…"]


def test_layout_climbs_with_level_and_skips_unknown_prerequisites() -> None:
    lessons = [
        RampInput("a", "a.html", "A", 1, "", []),
        RampInput("b", "b.html", "B", 3, "", ["a", "missing", "b"]),
    ]
    picture = layout_ramp(lessons)
    first, second = picture.nodes
    assert second.y > first.y and second.x > first.x
    assert [(e.source, e.target) for e in picture.edges] == [("a", "b")]
    # Arcs bulge left but never leave the picture.
    assert all(float(n) >= 0 for n in re.findall(r"-?\d+(?:\.\d+)?", picture.edges[0].path))


JSON_VALUES = st.recursive(st.text(), lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
                           max_leaves=8)


@given(JSON_VALUES)
def test_script_json_round_trips_and_never_closes_the_script(value: object) -> None:
    text = str(script_json(value))
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == value
