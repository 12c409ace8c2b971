"""`build --batch-out` says exactly what to run next, and `batch import` prices by the course's model."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from coursegen.cli import main
from tests.llmengine.conftest import SEED_003
from tests.llmengine.test_batch_roundtrip import _answer_batch
from tests.support.rule_stub import RuleModel
from tests.support.stub_openai import StubOpenAI


def _printed_import_command(err: str) -> list[str]:
    match = re.search(r"^  2\. (coursegen batch import .*)$", err, flags=re.MULTILINE)
    assert match, err
    return shlex.split(match.group(1))


def test_following_the_printed_steps_builds_the_course(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    with StubOpenAI() as server:
        server.responder = RuleModel().reply
        build = [
            "build", str(SEED_003), "--out", "my course", "--engine", "llm", "--base-url", server.url,
            "--model", "stub", "--no-export", "--batch-out", "requests.jsonl",
        ]
        rounds = 0
        while not (tmp_path / "my course" / "course.json").exists():
            assert rounds < 10
            capsys.readouterr()
            assert main(build) == 0
            err = capsys.readouterr().err
            if (tmp_path / "my course" / "course.json").exists():
                break
            assert "then rerun the same build command keeping --batch-out" in err
            command = _printed_import_command(err)
            # Exactly what the user is told to run, with their Batch output file as OUTPUT.jsonl.
            assert command[:4] == ["coursegen", "batch", "import", "OUTPUT.jsonl"]
            assert command[4:] == ["--out", "my course", "--model", "stub"]
            _answer_batch(tmp_path / "requests.jsonl", tmp_path / "OUTPUT.jsonl")
            assert main(command[1:]) == 0
            rounds += 1
        assert rounds >= 4
        assert not server.chat_calls()  # every answer came through the batch files
    course = json.loads((tmp_path / "my course" / "course.json").read_text(encoding="utf-8"))
    assert course["lessons"] and course["build"]["validation"]["errors"] == 0


def _big_output(path: Path) -> Path:
    """One Batch answer of 1M prompt and 100k completion tokens (so the dollars are readable)."""
    body = {
        "id": "chatcmpl-b",
        "object": "chat.completion",
        "model": "whatever-ran",
        "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "{}"}}],
        "usage": {"prompt_tokens": 1_000_000, "completion_tokens": 100_000, "total_tokens": 1_100_000},
    }
    line = {"id": "b1", "custom_id": "d" * 64, "response": {"status_code": 200, "body": body}, "error": None}
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("toml", "flags", "expected"),
    [
        # gpt-4o: (1M x $2.50 + 0.1M x $10) x 0.5 Batch discount
        (
            '[llm]\nmodel = "gpt-4o"\n',
            [],
            "~$1.7500 at Batch prices for gpt-4o (model from coursegen.toml [llm])",
        ),
        ('[llm]\nmodel = "gpt-4o"\n', ["--model", "gpt-4.1"], "~$1.4000 at Batch prices for gpt-4.1"),
        (None, [], "~$0.1050 at Batch prices for gpt-4o-mini (model from default)"),
    ],
    ids=["course-toml", "flag", "default"],
)
def test_batch_import_prices_by_the_course_model(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    toml: str | None,
    flags: list[str],
    expected: str,
) -> None:
    monkeypatch.delenv("COURSEGEN_MODEL", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)  # the course's coursegen.toml is beside it, not in the current folder
    out = tmp_path / "course"
    out.mkdir()
    if toml is not None:
        (out / "coursegen.toml").write_text(toml, encoding="utf-8")
    results = _big_output(tmp_path / "results.jsonl")
    assert main(["batch", "import", str(results), "--out", str(out), *flags]) == 0
    assert expected in " ".join(capsys.readouterr().out.split())
