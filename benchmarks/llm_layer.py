"""Print figures for the LLM layer against the stub server: concurrency speed-up and cache replay.

    python benchmarks/llm_layer.py [ITEMS] [LATENCY_SECONDS]

Each stub answer takes LATENCY seconds (as a slow model would); the run is repeated with
concurrency 1 and 8, then once more from the cache (no server calls).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pydantic import BaseModel  # noqa: E402

from coursegen.config import Settings  # noqa: E402
from coursegen.llm import LLMClient, ResponseCache  # noqa: E402
from tests.support.stub_openai import StubOpenAI, StubReply  # noqa: E402


class Topic(BaseModel):
    """The selftest answer."""

    topic: str
    sentence_ids: list[str]


def main() -> None:
    """Run and print."""
    items = int(sys.argv[1]) if len(sys.argv) > 1 else 64
    latency = float(sys.argv[2]) if len(sys.argv) > 2 else 0.2
    answer = StubReply.json({"topic": "rl", "sentence_ids": ["ep/p1/s1"]})
    with tempfile.TemporaryDirectory() as tmp, StubOpenAI() as stub:

        def slow(request: object) -> StubReply:
            time.sleep(latency)
            return answer

        stub.responder = slow
        for concurrency in (1, 8):
            cache = ResponseCache(Path(tmp) / f"c{concurrency}.sqlite")
            settings = Settings(base_url=stub.url, model="stub", concurrency=concurrency, home=Path(tmp))
            client = LLMClient(settings, cache, notify=lambda text: None)
            variables = [{"passage": f"ep/p{i}/s1 Passage {i}."} for i in range(items)]
            started = time.perf_counter()
            results = client.map("selftest", variables, Topic, stage="bench")
            live = time.perf_counter() - started
            assert all(isinstance(r, Topic) for r in results)
            started = time.perf_counter()
            client.map("selftest", variables, Topic, stage="bench")
            replay = time.perf_counter() - started
            print(
                f"{items} items, {latency:.2f} s per answer, concurrency {concurrency}: "
                f"live {live:.2f} s ({items / live:.1f} items/s), "
                f"from cache {replay:.2f} s ({replay / items * 1000:.1f} ms/item), "
                f"limiter peak {client.limiter.peak}"
            )
            client.close()


if __name__ == "__main__":
    main()
