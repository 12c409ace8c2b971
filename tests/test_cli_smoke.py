"""The CLI starts and renders errors as one line."""

from __future__ import annotations

import pytest

from coursegen.cli import main


def test_help_lists_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "coursegen" in capsys.readouterr().out.lower()
