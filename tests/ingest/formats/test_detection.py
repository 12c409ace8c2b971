"""Every fixture is recognised by its content, whatever its file name says."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from coursegen.ingest.detect import choose_parser, decode
from tests.ingest.formats.conftest import GENERATED, MANIFEST, REAL, parse
from tests.ingest.formats.test_real_files import EXPECTED

CASES = [(GENERATED / name, entry["format"]) for name, entry in sorted(MANIFEST.items())] + [
    (REAL / name, fmt) for name, (fmt, _) in sorted(EXPECTED.items())
]


@pytest.mark.parametrize(("source", "fmt"), CASES, ids=[p.name for p, _ in CASES])
@pytest.mark.parametrize("suffix", ["", ".txt", "misleading"])
def test_detected_by_content_not_extension(source: Path, fmt: str, suffix: str, tmp_path: Path) -> None:
    if suffix == "misleading":
        suffix = ".vtt" if fmt == "srt" else ".srt"
    copy = tmp_path / f"transcript{suffix}"
    shutil.copyfile(source, copy)
    text = decode(copy.read_bytes(), str(copy))
    assert choose_parser(text, copy).name == fmt


@pytest.mark.parametrize(("source", "fmt"), CASES, ids=[p.name for p, _ in CASES])
def test_detected_under_its_own_name(source: Path, fmt: str) -> None:
    assert parse(source)[0] == fmt
