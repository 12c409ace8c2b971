"""YouTube srv1/srv3 time attributes follow the JSON rule (docs/ingest.md, "Odd values")."""

from __future__ import annotations

from pathlib import Path

import pytest

from coursegen.errors import InputError
from coursegen.ingest import ingest_file

SRV1 = (
    '<?xml version="1.0"?><transcript><text start="0" dur="1">Hello there.</text>\n'
    "<text {attrs}>Second words here.</text></transcript>"
)
SRV3 = (
    '<?xml version="1.0"?><timedtext format="3"><body><p t="0" d="1000">Hello there.</p>\n'
    "<p {attrs}>Second words here.</p></body></timedtext>"
)
CASES = [
    (SRV1, "start", "dur", "<text> on line 2, attribute start"),
    (SRV3, "t", "d", "<p> on line 2, attribute t"),
]


@pytest.mark.parametrize("value", ["1e400", "1" + "0" * 400, "Infinity", "99999999999999"])
@pytest.mark.parametrize(("template", "start", "duration", "where"), CASES)
def test_a_huge_start_is_one_clear_error(
    template: str, start: str, duration: str, where: str, value: str, tmp_path: Path
) -> None:
    path = tmp_path / "talk.xml"
    path.write_text(template.format(attrs=f'{start}="{value}" {duration}="5"'), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        ingest_file(path)
    assert str(caught.value).startswith(str(path)) and where in str(caught.value)


@pytest.mark.parametrize("attrs", ['{start}="nan" {duration}="5"', '{start}="abc"', '{duration}="5"'])
@pytest.mark.parametrize(("template", "start", "duration", "where"), CASES)
def test_a_missing_or_non_numeric_start_keeps_the_text_untimed(
    template: str, start: str, duration: str, where: str, attrs: str, tmp_path: Path
) -> None:
    path = tmp_path / "talk.xml"
    path.write_text(template.format(attrs=attrs.format(start=start, duration=duration)), encoding="utf-8")
    episode = ingest_file(path)
    [second] = [s for p in episode.passages for s in p.sentences if "Second words" in s.text]
    assert second.start is None
