"""The CLI starts and renders errors as one line."""

from __future__ import annotations

import pytest

from coursegen.cli import main


def test_help_lists_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "coursegen" in capsys.readouterr().out.lower()


def test_error_with_square_brackets_is_printed_literally(capsys: pytest.CaptureFixture[str]) -> None:
    # Rich markup in a user path must neither crash the handler nor vanish from the message.
    assert main(["validate", "/nonexistent/[/draft] talk[1].json"]) == 1
    err = capsys.readouterr().err
    assert "[/draft] talk[1].json" in err
    assert "Traceback" not in err
