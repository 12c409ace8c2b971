"""Fixtures of the CLI review tests: a small project folder with one transcript, built once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from coursegen.cli import main

ROOT = Path(__file__).resolve().parents[2]
TALK = ROOT / "tests" / "fixtures" / "validate" / "source" / "talk.txt"


def make_project(folder: Path) -> Path:
    """A project folder holding src/talk.txt (the small validate fixture transcript)."""
    (folder / "src").mkdir(parents=True)
    shutil.copy(TALK, folder / "src" / "talk.txt")
    return folder


@pytest.fixture
def built_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """`coursegen build src/talk.txt --out out` run inside a project folder (cwd restored after)."""
    project = make_project(tmp_path / "proj")
    monkeypatch.chdir(project)
    assert main(["build", "src/talk.txt", "--out", "out", "--engine", "extractive", "--no-export"]) == 0
    monkeypatch.chdir(tmp_path)
    return project
