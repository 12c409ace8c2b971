"""OpenAI Batch API files: write the requests a build needs, import the answers into the cache.

Input format (one JSON object per line)::

    {"custom_id": "<cache key>", "method": "POST", "url": "/v1/chat/completions", "body": {...}}

Output format (what the Batch API returns)::

    {"id": "...", "custom_id": "<cache key>", "response": {"status_code": 200, "body": {<chat completion>}},
     "error": null}

Because `custom_id` is the cache key, importing the output fills the cache and re-running the
build continues from there as if the calls had been made live (at the Batch price).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coursegen.errors import InputError
from coursegen.fsutil import atomic_write_text
from coursegen.llm.cache import ResponseCache
from coursegen.llm.types import ChatRequest, Reply, Usage

BATCH_URL = "/v1/chat/completions"


class BatchWriter:
    """Collects requests (deduplicated by cache key) and writes them as Batch input JSONL."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.requests: dict[str, ChatRequest] = {}

    def add(self, key: str, request: ChatRequest) -> None:
        """Remember one request to write."""
        self.requests[key] = request

    def lines(self) -> list[str]:
        """The JSONL lines, sorted by custom_id so the file is deterministic."""
        return [
            json.dumps(
                {"custom_id": key, "method": "POST", "url": BATCH_URL, "body": self.requests[key].body()},
                sort_keys=True,
                ensure_ascii=False,
            )
            for key in sorted(self.requests)
        ]

    def write(self) -> int:
        """Write the file atomically; returns the number of requests."""
        lines = self.lines()
        atomic_write_text(self.path, "".join(line + "\n" for line in lines))
        return len(lines)


@dataclass
class ImportReport:
    """What `batch import` did."""

    imported: int = 0
    already_cached: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (custom_id, reason)
    prompt_tokens: int = 0
    completion_tokens: int = 0


def import_batch_output(path: Path, cache: ResponseCache) -> ImportReport:
    """Load a Batch output file into the cache; per-line failures are reported, not fatal."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InputError(str(path), "file not found", "download the batch's output file first") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"cannot read: {exc}") from exc
    report = ImportReport()
    seen_any = False
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        seen_any = True
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(
                str(path),
                f"line {number} is not JSON ({exc.msg})",
                "pass the Batch *output* file (JSONL) as downloaded",
            ) from exc
        if not isinstance(record, dict) or "custom_id" not in record:
            raise InputError(
                str(path),
                f"line {number} has no custom_id: not a Batch output file",
                "pass the Batch *output* file, not the input file",
            )
        if "response" not in record and "method" in record:
            raise InputError(
                str(path),
                "this is a Batch *input* file (requests), not its output",
                "upload it to the Batch API, then import the output file it produces",
            )
        custom_id = str(record["custom_id"])
        reply, reason = _reply_of(record)
        if reply is None:
            report.failed.append((custom_id, reason))
            continue
        if cache.get(custom_id) is not None:
            report.already_cached += 1
            continue
        body = record["response"]["body"]
        cache.put_raw(
            custom_id,
            str(body.get("model", "")),
            "(batch)",
            "",
            "batch",
            json.dumps({"custom_id": custom_id}),
            reply,
            source="batch",
        )
        report.imported += 1
        report.prompt_tokens += reply.usage.prompt_tokens
        report.completion_tokens += reply.usage.completion_tokens
    if not seen_any:
        raise InputError(str(path), "the file is empty")
    return report


def _reply_of(record: dict[str, Any]) -> tuple[Reply | None, str]:
    error = record.get("error")
    response = record.get("response")
    if error:
        message = error.get("message") if isinstance(error, dict) else str(error)
        return None, f"batch error: {message}"
    if not isinstance(response, dict):
        return None, "no response"
    status = response.get("status_code")
    body = response.get("body")
    if status != 200 or not isinstance(body, dict):
        detail = body.get("error", {}).get("message", "") if isinstance(body, dict) else ""
        return None, f"HTTP {status} {detail}".strip()
    choices = body.get("choices") or []
    if not choices or not isinstance(choices[0], dict):
        return None, "response without choices"
    message = choices[0].get("message") or {}
    usage = body.get("usage") or {}
    return (
        Reply(
            text=str(message.get("content") or ""),
            finish_reason=choices[0].get("finish_reason"),
            usage=Usage(int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0)),
        ),
        "",
    )
