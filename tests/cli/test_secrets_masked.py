"""Secrets: Settings' repr holds no key; a password in the base URL is masked everywhere (finding 5)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from coursegen.cli import main
from coursegen.config import Settings, load_settings, mask_url
from tests.llmengine.conftest import SEED_003
from tests.support.rule_stub import RuleModel
from tests.support.stub_openai import StubOpenAI

PASSWORD = "pw-Zq81xVt5Ld"
KEY = "sk-proj-repr0nly7Kq2Wm5Xv9Bn3"


def _with_credentials(url: str) -> str:
    return url.replace("http://", f"http://ada:{PASSWORD}@", 1)


def _files_holding(folder: Path, secret: str) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and secret.encode() in p.read_bytes())


def test_settings_repr_has_no_api_key_and_masks_url_credentials() -> None:
    settings = load_settings(
        flags={"base_url": f"https://ada:{PASSWORD}@llm.example.com/v1"}, env={"OPENAI_API_KEY": KEY}
    )
    assert settings.api_key == KEY  # still there for the client
    for text in (repr(settings), str(settings), repr(Settings(api_key=KEY))):
        assert KEY not in text and KEY[8:] not in text and PASSWORD not in text
    assert "base_url='https://****@llm.example.com/v1'" in repr(settings)


def test_mask_url_keeps_host_port_and_path() -> None:
    assert mask_url(f"http://ada:{PASSWORD}@127.0.0.1:8080/v1") == "http://****@127.0.0.1:8080/v1"
    assert mask_url("https://token@host/v1?x=1") == "https://****@host/v1?x=1"
    assert mask_url("http://localhost:11434/v1") == "http://localhost:11434/v1"


def test_config_command_masks_the_url_password(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from coursegen.cli import llm_cmd

    monkeypatch.setattr(llm_cmd.console, "width", 200)  # one table row per setting, unwrapped
    assert main(["config", "--base-url", f"https://ada:{PASSWORD}@llm.example.com/v1"]) == 0
    out = capsys.readouterr().out
    assert PASSWORD not in out and "https://****@llm.example.com/v1" in out


def test_build_header_and_build_record_mask_the_url_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "course"
    with StubOpenAI() as server:
        server.responder = RuleModel().reply
        url = _with_credentials(server.url)
        code = main(["build", str(SEED_003), "--out", str(out), "--engine", "llm", "--base-url", url,
                     "--model", "stub", "--format", "json"])
        assert server.chat_calls()  # the URL with credentials really reached the server
    captured = capfd.readouterr()
    assert code == 0, captured.err
    printed = captured.out + captured.err
    masked = _with_credentials(server.url).replace(f"ada:{PASSWORD}", "****")
    assert f"engine llm: model stub at {masked}," in printed  # the header
    assert PASSWORD not in printed
    course = (out / "course.json").read_text(encoding="utf-8")
    assert f'"endpoint": "{masked}"' in course  # the build record
    assert _files_holding(out, PASSWORD) == []
    assert _files_holding(Path(os.environ["COURSEGEN_HOME"]), PASSWORD) == []


def test_an_unparseable_base_url_is_one_line_and_shows_no_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OPENAI_BASE_URL", "http://u:secretpw@[::1/v1")  # unclosed IPv6 bracket
    assert main(["config"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("ERROR environment variable OPENAI_BASE_URL: base_url '****' is not an http(s) URL")
    assert "secretpw" not in err and "Traceback" not in err
    assert mask_url("http://u:secretpw@[::1/v1") == "****"
