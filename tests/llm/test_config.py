"""Settings precedence, coursegen.toml checks, masking, and `coursegen config`."""

from __future__ import annotations

from pathlib import Path

import pytest

from coursegen.cli import main
from coursegen.config import (
    DEFAULT_PRICES,
    Price,
    effective_settings,
    load_settings,
    lookup_price,
    mask_secret,
)
from coursegen.errors import ConfigError

TOML = """
[course]
title = "Someone else's table"

[speakers.alice]
name = "Alice"

[llm]
model = "toml-model"
base_url = "http://127.0.0.1:8080/v1"
concurrency = 2
max_cost = 0.5

[llm.prices."toml-model"]
input = 0.1
output = 0.2
"""


def test_precedence_flags_over_env_over_toml_over_defaults(tmp_path: Path) -> None:
    (tmp_path / "coursegen.toml").write_text(TOML)
    env = {"COURSEGEN_MODEL": "env-model", "OPENAI_API_KEY": "sk-abcdefgh12345678"}
    settings = load_settings(flags={"concurrency": 5, "model": None}, env=env, cwd=tmp_path)
    assert settings.model == "env-model" and settings.sources["model"] == "env COURSEGEN_MODEL"
    assert settings.concurrency == 5 and settings.sources["concurrency"] == "flag --concurrency"
    assert settings.max_cost == 0.5 and settings.sources["max_cost"] == "coursegen.toml [llm]"
    assert settings.timeout == 120.0 and settings.sources["timeout"] == "default"
    assert settings.prices["toml-model"] == Price(0.1, 0.2)
    assert settings.prices["gpt-4o-mini"] == DEFAULT_PRICES["gpt-4o-mini"]
    assert settings.is_local and settings.llm_configured


def test_defaults_without_anything(tmp_path: Path) -> None:
    settings = load_settings(env={}, cwd=tmp_path)
    assert (settings.model, settings.concurrency, settings.max_cost) == ("gpt-4o-mini", 8, 1.0)
    assert settings.endpoint == "https://api.openai.com/v1" and not settings.llm_configured
    assert settings.config_file is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[llm]\nmax_cots = 3\n", "unknown key\\(s\\) in the llm table: max_cots"),
        ('[llm]\napi_key = "sk-123"\n', "api_key does not belong"),
        ("[llm]\nconcurrency = 0\n", "concurrency must be between 1 and 256"),
        ('[llm]\nconcurrency = "many"\n', "must be a whole number"),
        ("[llm]\nmax_cost = -1\n", "expected a number >= 0"),
        ('[llm]\nbase_url = "localhost:8080"\n', "not an http\\(s\\) URL"),
        ("[llm\n", "not valid TOML"),
        ('[llm.prices."m"]\ninput = 1\n', "llm.prices.m needs exactly `input` and `output`"),
    ],
)
def test_bad_toml_is_a_clear_config_error(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "coursegen.toml").write_text(text)
    with pytest.raises(ConfigError, match=message) as caught:
        load_settings(env={}, cwd=tmp_path)
    assert "coursegen.toml" in caught.value.message


def test_bad_env_value_names_the_variable(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="environment variable COURSEGEN_MAX_COST"):
        load_settings(env={"COURSEGEN_MAX_COST": "lots"}, cwd=tmp_path)


def test_explicit_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_settings(env={}, config_path=tmp_path / "nope.toml")


def test_prices_match_dated_variants_and_local_servers_are_free() -> None:
    assert lookup_price(DEFAULT_PRICES, "gpt-4o-mini-2024-07-18") == DEFAULT_PRICES["gpt-4o-mini"]
    assert lookup_price(DEFAULT_PRICES, "gpt-4o-2024-08-06") == DEFAULT_PRICES["gpt-4o"]
    assert lookup_price(DEFAULT_PRICES, "llama3.1:8b") is None
    assert lookup_price(DEFAULT_PRICES, "llama3.1:8b", local=True) == Price(0.0, 0.0)


def test_masking() -> None:
    assert mask_secret("sk-proj-abcdefghijklmnop1234") == "****1234"
    assert mask_secret("short") == "****" and mask_secret(None) == "(not set)"
    settings = load_settings(env={"OPENAI_API_KEY": "sk-proj-abcdefghijklmnop1234"})
    shown = {name: value for name, value, _ in effective_settings(settings)}
    assert shown["api_key"] == "****1234"


def test_config_command_shows_sources_and_masks_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "coursegen.toml").write_text(TOML)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-proj-SECRETSECRET9876")
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["config", "--model", "flag-model"]) == 0
    out = capsys.readouterr().out
    assert "SECRETSECRET" not in out and "****9876" in out
    assert "flag-model" in out and "flag --model" in out
    assert "env OPENAI_API_KEY" in out and "coursegen.toml [llm]" in out


def test_config_command_bad_toml_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "coursegen.toml").write_text("[llm]\nmodle = 'x'\n")
    monkeypatch.chdir(tmp_path)
    assert main(["config"]) == 1
    err = capsys.readouterr().err
    assert (
        "ERROR" in err
        and "unknown key(s) in the llm table: modle" in err
        and "TIP" in err
        and "Traceback" not in err
    )


def test_config_check_makes_one_structured_call(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from tests.support.stub_openai import StubOpenAI, StubReply

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "200")
    with StubOpenAI(refuse_json_schema=True) as stub:
        stub.script(
            StubReply.json({"topic": "RL", "sentence_ids": ["demo/p9/s9"]}),  # a wrong id: fed back
            StubReply.json({"topic": "reinforcement learning", "sentence_ids": ["demo/p1/s1"]}),
        )
        monkeypatch.setenv("OPENAI_BASE_URL", stub.url)
        assert main(["config", "--check", "--model", "tiny"]) == 0
        calls = stub.chat_calls()
    out = capsys.readouterr().out
    assert "engine llm: model tiny at http://127.0.0.1" in out and "free (local server)" in out
    assert "does not accept json_schema" in out
    assert "check passed" in out and "2 answer(s) from the server, mode json_object" in out
    assert len(calls) == 3  # json_schema refused, then a wrong id fed back, then the valid answer
    assert "'reinforcement learning'" in out and "demo/p1/s1" in out
    assert "sentence id demo/p9/s9 does not exist" in calls[-1].json["messages"][-1]["content"]


def test_config_check_with_unreachable_server_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    (tmp_path / "coursegen.toml").write_text(
        f'[llm]\nbase_url = "http://127.0.0.1:{port}/v1"\ntransport_retries = 0\ntimeout = 2\n'
    )
    monkeypatch.chdir(tmp_path)
    assert main(["config", "--check"]) == 1
    err = capsys.readouterr().err
    assert "ERROR cannot connect to http://127.0.0.1" in err and "gave up after 1 tries" in err
    assert "Traceback" not in err
