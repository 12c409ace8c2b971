"""The API key never lands anywhere: cache, course.json, stage files, logs, stdout/stderr, exports, errors.

A recognisable fake key is set in the environment; a build against the stub (which checks it
arrives as the Bearer token, so the key really was in use), a 401 run, a --debug 401 run,
`coursegen config` and an export of every format all happen; then every byte written anywhere
under the build folder and COURSEGEN_HOME, and everything printed, is searched for the key.
"""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path

import pytest

from coursegen.cli import main
from tests.reliability.conftest import FAKE_KEY, SEED_003
from tests.support.rule_stub import RuleModel
from tests.support.stub_openai import StubOpenAI, StubReply

# The distinctive middle of the key: a leak that drops the prefix is still a leak.
KEY_PARTS = (FAKE_KEY, FAKE_KEY.removeprefix("sk-proj-"), FAKE_KEY[8:28])


def leaks(data: bytes) -> list[str]:
    return [part for part in KEY_PARTS if part.encode() in data]


def run(args: list[str], capfd: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """The CLI in-process; returns (exit code, everything printed to fd 1 and 2)."""
    capfd.readouterr()
    try:
        code = main(args)
    except Exception as exc:  # --debug re-raises: the traceback text is what a user would see
        code = 1
        print("".join(traceback.format_exception(exc)), file=sys.stderr)
    captured = capfd.readouterr()
    return code, captured.out + captured.err


def test_api_key_never_written_or_printed(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_KEY)
    monkeypatch.chdir(tmp_path)
    home = Path(os.environ["COURSEGEN_HOME"])
    out = tmp_path / "course"
    printed: list[str] = []
    seen_keys: list[str] = []
    with StubOpenAI() as stub:
        stub.responder = RuleModel().reply
        code, text = run(["build", str(SEED_003), "--out", str(out), "--engine", "llm",
                          "--base-url", stub.url, "--model", "stub-model"], capfd)
        assert code == 0, text
        printed.append(text)
        seen_keys += [c.headers.get("authorization", "") for c in stub.chat_calls()]

        code, text = run(["config", "--base-url", stub.url], capfd)
        assert code == 0 and "4f60" in text, text  # the masked key is shown, only its last 4 characters
        printed.append(text)

    assert seen_keys and all(h == f"Bearer {FAKE_KEY}" for h in seen_keys)  # the key was really used

    # A rejected key: the message names the problem, never the key (also with --debug tracebacks).
    for debug in ([], ["--debug"]):
        with StubOpenAI() as stub:
            stub.responder = lambda request: StubReply.error(
                401, "Incorrect API key provided: sk-proj-****4f60.", code="invalid_api_key")
            code, text = run([*debug, "build", str(SEED_003), "--out", str(tmp_path / "rejected"), "--engine",
                              "llm", "--base-url", stub.url, "--model", "stub-model", "--no-cache"], capfd)
            assert stub.chat_calls(), "the 401 run must reach the server"
        assert code != 0
        assert "API key was rejected" in text
        printed.append(text)

    # The Batch API input file holds full requests: bodies only, never the key.
    batch = tmp_path / "batch" / "requests.jsonl"
    code, text = run(["build", str(SEED_003), "--out", str(tmp_path / "batch"), "--engine", "llm",
                      "--base-url", "http://127.0.0.1:9/v1", "--model", "stub-model",
                      "--batch-out", str(batch)], capfd)
    assert code == 0 and batch.stat().st_size > 0, text
    printed.append(text)

    code, text = run(["export", str(out / "course.json"), "--format", "all"], capfd)
    assert code == 0, text
    printed.append(text)

    for text in printed:
        assert not leaks(text.encode()), text[-500:]
    written = [p for root in (out, tmp_path / "rejected", tmp_path / "batch", home, Path.cwd() / "decks")
               if root.exists()
               for p in root.rglob("*") if p.is_file()]
    names = {p.name for p in written}
    assert {"llm-cache.sqlite", "course.json", "requests.jsonl"} <= names
    assert any(n.endswith(".apkg") for n in names)
    for path in written:
        assert not leaks(path.read_bytes()), path

