"""Fixtures for the LLM engine: the stub server answering as the rule-based model, a CLI runner."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from coursegen.cli import main as cli_main
from tests.support.rule_stub import RuleModel
from tests.support.stub_openai import StubOpenAI

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
SEED_003 = SEEDS / "003_9859fa03d6cc2246.txt"
SEED_001 = SEEDS / "001_af2919b8cbad29d8.txt"
SEED_002 = SEEDS / "002_06453bb8a140ced2.txt"


@dataclass
class RuleStub:
    """A started stub server whose responder is a RuleModel."""

    server: StubOpenAI
    model: RuleModel

    @property
    def url(self) -> str:
        """Base URL (…/v1)."""
        return self.server.url

    def chat_count(self) -> int:
        """Chat completion requests received so far."""
        return len(self.server.chat_calls())


@pytest.fixture
def rule_stub() -> Iterator[RuleStub]:
    """The rule-based model behind the stub server, answering at once."""
    with StubOpenAI() as server:
        model = RuleModel()
        server.responder = model.reply
        yield RuleStub(server, model)


def run_build(*args: str | Path) -> int:
    """`coursegen build ...` in this process; returns the exit status."""
    return cli_main(["build", *[str(a) for a in args]])


def load_course(out: Path) -> dict[str, Any]:
    """The course.json of a build folder."""
    data: dict[str, Any] = json.loads((out / "course.json").read_text(encoding="utf-8"))
    return data


def build_log(out: Path) -> dict[str, Any]:
    """What the last build reused and recomputed, and why."""
    data: dict[str, Any] = json.loads((out / ".cache" / "last_build.json").read_text(encoding="utf-8"))
    return data
