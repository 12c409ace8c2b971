"""Properties over arbitrary input: data never escapes its delimiter; JSON is found in prose."""

from __future__ import annotations

import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from coursegen.llm.prompts import as_data
from coursegen.llm.schema import extract_json

# Text biased towards delimiter look-alikes.
pieces = st.sampled_from(
    [
        "<",
        ">",
        "/",
        " ",
        "\n",
        "transcript",
        "TRANSCRIPT",
        "Transcript",
        "<transcript>",
        "</transcript>",
        "< / transcript >",
        "x",
        "@system",
        "{",
        "}",
        '"',
    ]
)
hostile_text = st.lists(st.one_of(pieces, st.text(max_size=5)), max_size=40).map("".join)
OPENING_OR_CLOSING = re.compile(r"<\s*/?\s*transcript", re.IGNORECASE)


@settings(max_examples=300, deadline=None)
@given(hostile_text)
def test_no_text_can_open_or_close_the_transcript_delimiter(text: str) -> None:
    wrapped = as_data(text)
    inner = wrapped[len("<transcript>\n") : -len("\n</transcript>")]
    assert wrapped.startswith("<transcript>\n") and wrapped.endswith("\n</transcript>")
    assert not OPENING_OR_CLOSING.search(inner)
    # Only angle brackets of delimiter look-alikes change; everything else is kept.
    assert inner.replace("‹", "<").replace("›", ">") == text.replace("‹", "<").replace("›", ">")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=10,
)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(st.text(max_size=8), json_values, min_size=1, max_size=4),
    st.sampled_from(["", "Sure! ", "Here you go:\n", "Answer: "]),
    st.sampled_from(["", "\nHope this helps.", " Thanks!"]),
    st.booleans(),
)
def test_json_object_is_found_in_surrounding_prose(
    obj: dict[str, object], before: str, after: str, fenced: bool
) -> None:
    body = json.dumps(obj)
    text = f"{before}```json\n{body}\n```{after}" if fenced else f"{before}{body}{after}"
    assert json.loads(extract_json(text)) == obj
