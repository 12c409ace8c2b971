"""A whole LLM build under a seeded storm of 429/500/timeouts/malformed/truncated replies.

Proven: the build finishes; every item in course.json is valid and everything else is in the
build record's drop list with a reason; each request is tried a bounded number of times; the
total backoff is bounded; a rerun repeats no call that already got an answer.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from coursegen.errors import FatalLLMError
from coursegen.validate import validate_course
from tests.reliability.conftest import SEED_003, Waits, llm_build, make_engine, request_key
from tests.reliability.faulty_model import FaultyModel
from tests.support.rule_stub import RuleModel
from tests.support.stub_openai import StubOpenAI, StubReply

TRANSPORT_RETRIES = 4
TIMEOUT = 0.4
MAX_ATTEMPTS = 3  # validation attempts per item (the default)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_build_survives_a_fault_storm_and_rerun_repeats_no_finished_call(tmp_path: Path, seed: int) -> None:
    out = tmp_path / "course"
    waits = Waits()
    faulty = FaultyModel(seed, hang_seconds=TIMEOUT + 0.6)
    with StubOpenAI() as stub:
        stub.responder = faulty.reply
        started = time.monotonic()
        result = llm_build([SEED_003], out, make_engine(stub.url, out, waits=waits, timeout=TIMEOUT,
                                                        transport_retries=TRANSPORT_RETRIES, seed=seed))
        wall = time.monotonic() - started
        first_requests = [request_key(c.json) for c in stub.chat_calls()]

    # The storm really happened: every kind of fault was served at least once over the build.
    assert set(faulty.counts) >= {"ok", "rate_limited", "server_error", "malformed"}, faulty.counts
    assert sum(n for fate, n in faulty.counts.items() if fate != "ok") >= 5, faulty.counts

    # Retries bounded: one request body is sent at most `attempts` times, and the whole build at
    # most (conversations x validation attempts x transport attempts) times.
    per_body = Counter(first_requests)
    assert max(per_body.values()) <= TRANSPORT_RETRIES + 1, per_body.most_common(1)
    # Total wait bounded: each backoff wait is capped (80 ms, or the 20 ms Retry-After), and the
    # number of waits is at most the number of failed tries.
    failed_tries = sum(n for fate, n in faulty.counts.items() if fate not in {"ok", "truncated",
                                                                              "schema_violation"})
    assert len(waits.seconds) <= failed_tries
    assert all(0 < w <= 0.08 for w in waits.seconds), max(waits.seconds)
    assert wall < 60, f"build took {wall:.1f} s"

    # Every item in the course is valid; everything else was dropped with a reason.
    course = result.course
    report = validate_course(course, sources_dir=SEED_003.parent)
    assert report.errors == [], report.errors[:3]
    assert report.citations_valid == report.citations_total > 0
    assert course.build.validation["errors"] == 0
    assert all(d.reason.strip() for d in course.build.dropped)
    assert course.lessons, "the storm must not cost the whole course"

    # A rerun against a healthy server never sends a request that already got an answer.
    finished = faulty.finished_keys()
    with StubOpenAI() as stub:
        stub.responder = RuleModel().reply
        rerun = llm_build([SEED_003], out, make_engine(stub.url, out, timeout=TIMEOUT))
        second_requests = {request_key(c.json) for c in stub.chat_calls()}
    assert not finished & second_requests
    assert rerun.course.build.validation["errors"] == 0


def test_key_revoked_mid_build_stops_at_once_and_the_rerun_keeps_every_answer(tmp_path: Path) -> None:
    out = tmp_path / "course"
    model = RuleModel()
    answered: set[str] = set()
    lock = threading.Lock()

    def revoked_after_three(request: Any) -> StubReply:
        with lock:
            if len(answered) >= 3:
                return StubReply.error(401, "Incorrect API key provided.", code="invalid_api_key")
            answered.add(request_key(request))
        return model.reply(request)

    with StubOpenAI() as stub:
        stub.responder = revoked_after_three
        with pytest.raises(FatalLLMError, match="API key was rejected"):
            llm_build([SEED_003], out, make_engine(stub.url, out, concurrency=1))
        # One rejected call stops the build: nothing queued behind it is sent.
        assert sum(1 for c in stub.chat_calls() if c.reply_status == 401) == 1
    assert not (out / "course.json").exists()

    with StubOpenAI() as stub:
        stub.responder = RuleModel().reply
        result = llm_build([SEED_003], out, make_engine(stub.url, out))
        second = {request_key(c.json) for c in stub.chat_calls()}
    assert not answered & second
    assert result.course.build.validation["errors"] == 0
