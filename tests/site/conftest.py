"""Fixtures for the site tests: built sample sites (the browser: tests/support/browser_fixtures.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from coursegen.export.site import export_site
from tests.site.sample_course import hostile_course, sample_course


@pytest.fixture
def site_dir(tmp_path: Path) -> Path:
    """The sample course's site, freshly built."""
    export_site(sample_course(), tmp_path)
    return tmp_path / "site"


@pytest.fixture
def hostile_site_dir(tmp_path: Path) -> Path:
    """A site whose every transcript-reachable field carries script/markup payloads."""
    export_site(hostile_course(), tmp_path)
    return tmp_path / "site"
