"""Escaping, math, cloze and ordering helpers shared by the exporters."""

from __future__ import annotations

import html

from hypothesis import given
from hypothesis import strategies as st

from coursegen.export._common import (
    anki_card_count,
    cards_in_order,
    cloze_blanked,
    cloze_html,
    cloze_numbers,
    dollar_math_to_tex,
    escape_html,
    format_time,
    safe_url,
    text_shows_quote,
)
from coursegen.ir import Course


def test_dollar_math_becomes_mathjax_but_money_stays() -> None:
    assert dollar_math_to_tex("cost $O(n^2)$ here") == "cost \\(O(n^2)\\) here"
    assert dollar_math_to_tex("$$E = mc^2$$") == "\\[E = mc^2\\]"
    assert dollar_math_to_tex("it costs $5 and $10 today") == "it costs $5 and $10 today"
    assert dollar_math_to_tex("from $5 to $6") == "from $5 to $6"
    assert dollar_math_to_tex("a \\$x$ b") == "a \\$x$ b"


def test_cloze_markup_survives_escaping_everything_else_does_not() -> None:
    text = "The <b>{{c1::loss & gain}}</b> falls {{c2::smoothly::how?}} {x}"
    out = cloze_html(text)
    assert out == ("The &lt;b&gt;{{c1::loss &amp; gain}}&lt;/b&gt; falls {{c2::smoothly::how?}} "
                   "&#123;x&#125;")
    assert cloze_numbers(text) == [1, 2]
    assert cloze_blanked(text) == "The <b>_____</b> falls _____ {x}"


@given(st.text(max_size=80))
def test_escape_html_round_trips_and_leaves_no_markup(text: str) -> None:
    out = escape_html(text)
    assert html.unescape(out) == text
    assert not any(c in out for c in "<>{}\"'")


def test_time_labels_and_urls() -> None:
    assert format_time(61) == "1:01" and format_time(3725) == "1:02:05" and format_time(-3) == "0:00"
    assert safe_url("javascript:alert(1)") is None and safe_url(" https://x.test/a ") == "https://x.test/a"


def test_cards_follow_lesson_positions_not_list_order(course: Course) -> None:
    course.cards.reverse()
    order = [c.lesson for c in cards_in_order(course)]
    assert order == ["attention"] * 3 + ["scaling-laws"] + ["serving"] * 2
    assert anki_card_count(course) == 7


def test_prose_shows_a_quote_when_it_quotes_it_without_the_fillers() -> None:
    quote = "So, yeah, I mean, you know, the KV cache trades memory for speed."
    assert text_shows_quote('The core idea, as a speaker puts it: "The KV cache trades memory for speed."',
                            quote)
    assert text_shows_quote("In practice: \u201cthe KV cache trades memory for speed\u201d", quote)
    # The speaker's words in full count too, of course.
    assert text_shows_quote(f'Said: "{quote}"', quote)


def test_prose_that_paraphrases_or_quotes_a_fragment_does_not_show_the_quote() -> None:
    quote = "The KV cache trades memory for speed when a model decodes a token at a time."
    assert not text_shows_quote("Caching keys and values spends memory to save time.", quote)
    assert not text_shows_quote('It "trades memory for speed".', quote)  # too few of the words
    # The same words in another order say something else.
    reordered = '"The KV cache trades speed for memory when a model decodes a token at a time."'
    assert not text_shows_quote(reordered, quote)
    # Unquoted: the prose does not present it as the speaker's words.
    assert not text_shows_quote(quote, quote)
    assert not text_shows_quote('"anything"', "")
