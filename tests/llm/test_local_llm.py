"""Opt-in: a real llama.cpp server and a real (tiny) model, end to end through the LLM layer.

Run with `pytest -m local_llm tests/llm` after scripts/setup-local-llm. The 270M base model is
useless for content but proves the wire protocol: llama.cpp refuses json_schema with HTTP 500,
the layer falls back to json_object + schema, and the grammar-constrained answer validates.
"""

from __future__ import annotations

import importlib.util
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import BaseModel, Field

from coursegen.config import load_settings
from coursegen.llm import Mode, ResponseCache
from coursegen.llm.client import LLMClient
from tests.llm.local_model import find_local_gguf

pytestmark = pytest.mark.local_llm


class ShortTopic(BaseModel):
    """Bounded so a base model cannot ramble past max_tokens inside the grammar."""

    topic: str = Field(min_length=1, max_length=40)
    sentence_ids: list[str] = Field(min_length=1, max_length=2)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if importlib.util.find_spec("llama_cpp") is None:
        pytest.skip("llama-cpp-python is not installed: run scripts/setup-local-llm")
    model = find_local_gguf()
    if model is None or not model.is_file():
        pytest.skip("no GGUF model: run scripts/setup-local-llm (or set COURSEGEN_LOCAL_GGUF)")
    port = free_port()
    log = tmp_path_factory.mktemp("llama") / "server.log"
    with log.open("w") as log_file:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "llama_cpp.server",
                "--model",
                str(model),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--n_ctx",
                "2048",
            ],
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/models", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"llama.cpp server did not start:\n{Path(log).read_text()[-3000:]}")
            time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_structured_call_against_real_llama_cpp_server(llama_server: str, tmp_path: Path) -> None:
    settings = load_settings(
        flags={"base_url": llama_server, "model": "gemma-3-270m", "timeout": 120}, env={}
    )
    cache = ResponseCache(tmp_path / "llm.sqlite")
    notices: list[str] = []
    client = LLMClient(settings, cache, notify=notices.append)
    passage = "ep1/p1/s1 Reinforcement learning trains an agent with rewards.\nep1/p1/s2 The agent explores."
    started = time.monotonic()
    answer = client.run("selftest", {"passage": passage}, ShortTopic, stage="selftest")
    elapsed = time.monotonic() - started
    assert isinstance(answer, ShortTopic) and answer.topic.strip()
    assert client.mode is Mode.JSON_OBJECT  # json_schema was refused, json_object + schema worked
    assert any("does not accept json_schema" in n for n in notices)
    summary = client.usage_summary()
    assert summary["total"]["prompt_tokens"] > 0 and summary["total"]["cost_usd"] == 0  # local is free
    rows = cache.rows()
    assert len(rows) == client.sent_calls >= 1
    # Same question again: answered from the cache, no server call.
    again = LLMClient(settings, cache, notify=notices.append)
    assert again.run("selftest", {"passage": passage}, ShortTopic, stage="selftest") == answer
    assert again.sent_calls == 0
    client.transport.close()
    again.close()
    print(f"\nlocal llama.cpp: {answer!r} in {elapsed:.1f}s, usage {summary['total']}")
