"""Shared fixtures: user state goes to a temp dir, never to the developer's home."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

# Property tests explore the same examples on every run, so CI cannot flake on a new draw.
settings.register_profile("coursegen", derandomize=True, deadline=None)
settings.load_profile("coursegen")

pytest_plugins = ["tests.support.browser_fixtures"]

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point COURSEGEN_HOME and the working folder at temp dirs; drop any real API settings.

    The CLI writes Anki decks to ./decks by default: a test must never fill the repo's.
    """
    monkeypatch.setenv("COURSEGEN_HOME", str(tmp_path_factory.mktemp("home")))
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "COURSEGEN_DEBUG"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def seeds_dir() -> Path:
    """The five example transcripts."""
    return SEEDS
