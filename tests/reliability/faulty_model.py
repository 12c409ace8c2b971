"""A stub model that answers like the rule model, except for a seeded mix of faults.

The first new requests meet each fault once (so every kind is exercised); after that the fault
for a request depends only on (seed, request body, how many times that body was seen).
Every request's fate is recorded, so a test can tell which calls
*finished* (an answer reached the client and was cached) from which failed.
"""

from __future__ import annotations

import json
import random
import threading
from collections import Counter, defaultdict
from typing import Any

from tests.reliability.conftest import request_key
from tests.support.rule_stub import RuleModel
from tests.support.stub_openai import StubReply

# (fault, weight). "ok" is a good answer; the rest are what real servers do on a bad day.
FAULTS: tuple[tuple[str, int], ...] = (
    ("ok", 40),
    ("rate_limited", 10),  # 429 with a short Retry-After
    ("server_error", 10),  # 500
    ("hang", 7),  # no answer before the client's timeout
    ("malformed", 9),  # HTTP 200 whose body is not JSON
    ("truncated", 8),  # finish_reason=length, content cut in half
    ("schema_violation", 8),  # valid JSON that is not the asked-for object
)
TOUR = tuple(name for name, _ in FAULTS if name != "ok")
# Fates in which an answer reached the client: the layer caches these, a rerun must not repeat them.
FINISHED = frozenset({"ok", "truncated", "schema_violation"})


class FaultyModel:
    """Responder for StubOpenAI; `hang_seconds` must exceed the client's timeout."""

    def __init__(self, seed: int, hang_seconds: float = 1.0, retry_after: float = 0.02) -> None:
        self.seed = seed
        self.hang_seconds = hang_seconds
        self.retry_after = retry_after
        self.model = RuleModel()
        self.fates: dict[str, list[str]] = defaultdict(list)
        self.counts: Counter[str] = Counter()
        self._new_keys = 0
        self._lock = threading.Lock()

    def _fate(self, key: str) -> str:
        with self._lock:
            seen = len(self.fates[key])
            if seen == 0:
                self._new_keys += 1
                if self._new_keys <= len(TOUR):
                    return TOUR[self._new_keys - 1]  # the first new requests meet each fault once
        rng = random.Random(f"{self.seed}:{key}:{seen}")
        names, weights = zip(*FAULTS, strict=True)
        return rng.choices(names, weights=weights)[0]

    def reply(self, request: Any) -> StubReply:
        """Answer one request with its seeded fate."""
        key = request_key(request)
        fate = self._fate(key)
        with self._lock:
            self.fates[key].append(fate)
            self.counts[fate] += 1
        if fate == "rate_limited":
            return StubReply.rate_limited(retry_after=self.retry_after)
        if fate == "server_error":
            return StubReply.server_error()
        if fate == "hang":
            return StubReply.hang(self.hang_seconds)
        if fate == "malformed":
            return StubReply.malformed()
        if fate == "schema_violation":
            return StubReply.json({"note": "I would rather chat about the weather."})
        good = self.model.reply(request)
        if fate == "truncated":
            content = json.loads(good.body)["choices"][0]["message"]["content"]
            return StubReply.text(content[: len(content) // 2], finish_reason="length")
        return good

    def finished_keys(self) -> set[str]:
        """Request bodies that got an answer the client kept."""
        with self._lock:
            return {key for key, fates in self.fates.items() if any(f in FINISHED for f in fates)}
