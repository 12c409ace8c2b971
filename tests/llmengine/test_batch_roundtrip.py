"""`build --batch-out` → Batch API (played by the rule model) → `batch import` → rerun, stage by stage."""

from __future__ import annotations

import json
from pathlib import Path

from coursegen.cli import main as cli_main
from tests.llmengine.conftest import SEED_003, RuleStub, load_course, run_build
from tests.support.rule_stub import RuleModel


def _answer_batch(requests: Path, results: Path) -> int:
    """What the Batch API would return for a request file, answered by the rule model."""
    model = RuleModel()
    lines = []
    for number, line in enumerate(requests.read_text(encoding="utf-8").splitlines()):
        request = json.loads(line)
        reply = json.loads(model.reply(request["body"]).body)
        lines.append(
            json.dumps(
                {
                    "id": f"batch_req_{number}",
                    "custom_id": request["custom_id"],
                    "response": {"status_code": 200, "request_id": f"r{number}", "body": reply},
                    "error": None,
                }
            )
        )
    results.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def test_batch_out_and_import_build_the_course_stage_by_stage(tmp_path: Path, rule_stub: RuleStub) -> None:
    out = tmp_path / "course"
    requests, results = tmp_path / "requests.jsonl", tmp_path / "results.jsonl"
    base = (
        SEED_003,
        "--out",
        out,
        "--engine",
        "llm",
        "--base-url",
        rule_stub.url,
        "--model",
        "stub",
        "--no-export",
    )
    rounds = []
    for _ in range(10):
        requests.unlink(missing_ok=True)
        assert run_build(*base, "--batch-out", requests) == 0
        if (out / "course.json").exists():
            break
        rounds.append(_answer_batch(requests, results))
        assert cli_main(["batch", "import", str(results), "--out", str(out)]) == 0
    # One round per stage that calls the model (concepts, merge, lessons, assessments), plus one
    # per re-ask of an answer the validators rejected.
    assert len(rounds) >= 4 and rounds[:2] == [1, 1]
    assert rounds[2] == rounds[3] == len(load_course(out)["lessons"])
    assert rule_stub.chat_count() == 0  # nothing was ever sent to the endpoint
    course = load_course(out)
    assert course["build"]["validation"]["errors"] == 0 and course["lessons"]
