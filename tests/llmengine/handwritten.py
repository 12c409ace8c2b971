"""Serve hand-written model answers from a fixture folder (see tests/fixtures/llm_seed003/README.md).

Files: concepts.json, merge.json, lesson-<slug of the concepts the lesson teaches>.json and
assessment-<slug of the lesson title>.json. A request with no file gets HTTP 400 and is
listed in `missing` (with the prompt saved next to the fixtures when `dump` is set), which
is how the lesson files were written: run once, read the prompt, answer it by hand.
"""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path
from typing import Any

from coursegen.fsutil import slugify
from tests.support.stub_openai import StubReply

STAGES = {
    "ConceptsAnswer": "concepts",
    "MergeAnswer": "merge",
    "LessonAnswer": "lesson",
    "AssessmentAnswer": "assessment",
}


def request_file(request: dict[str, Any]) -> str:
    """The fixture file name that answers this request."""
    name = (request.get("response_format") or {}).get("json_schema", {}).get("name", "")
    stage = STAGES.get(name, "unknown")
    messages = request.get("messages", [])
    user = "\n".join(str(m.get("content", "")) for m in messages if m.get("role") == "user")
    if stage == "lesson":
        block = user.split("Teach:", 1)[-1].split("Known:", 1)[0]
        names = re.findall(r"^- ([^:\n]+):", block, re.MULTILINE)
        return f"lesson-{slugify(' '.join(names))}.json"
    if stage == "assessment":
        title = re.search(r"<lesson>\s*# (.*)", user)
        return f"assessment-{slugify(title.group(1) if title else '')}.json"
    return f"{stage}.json"


class HandWrittenModel:
    """The stub responder."""

    def __init__(self, folder: Path, dump: Path | None = None) -> None:
        self.folder = folder
        self.dump = dump
        self.missing: list[str] = []
        self.retries: list[str] = []
        self._lock = threading.Lock()

    def reply(self, request: Any) -> StubReply:
        """Answer from the fixture file for this request."""
        file = request_file(request)
        if len(request.get("messages", [])) > 2:
            with self._lock:
                self.retries.append(file + ": " + str(request["messages"][-1]["content"])[:2000])
        path = self.folder / file
        if not path.is_file():
            with self._lock:
                self.missing.append(file)
            if self.dump is not None:
                self.dump.mkdir(parents=True, exist_ok=True)
                text = "\n\n".join(f"@{m['role']}\n{m['content']}" for m in request["messages"])
                (self.dump / (file + ".prompt.txt")).write_text(text, encoding="utf-8")
            return StubReply.error(400, f"no hand-written answer {file}")
        content = path.read_text(encoding="utf-8")
        json.loads(content)  # a broken fixture should fail loudly here, not as a model error
        return StubReply.text(
            content, prompt_tokens=len(json.dumps(request)) // 4, completion_tokens=len(content) // 4
        )
