"""A tiny "build" for the kill-and-resume test: N calls through the public setup helpers.

Run as `python -m tests.llm.resume_worker BASE_URL N [--concurrent]` with COURSEGEN_HOME set;
prints `done <i>` after each finished item so the test knows how far it got.
"""

from __future__ import annotations

import sys

from pydantic import BaseModel

from coursegen.llm import make_llm_client, settings_from_flags


class Topic(BaseModel):
    """Same shape as the selftest prompt asks for."""

    topic: str
    sentence_ids: list[str]


def main(argv: list[str]) -> int:
    """Run the items in order (or concurrently), reporting each one done."""
    base_url, count = argv[0], int(argv[1])
    settings = settings_from_flags(base_url=base_url, model="stub-model", concurrency=2)
    client = make_llm_client(settings)
    items = [{"passage": f"ep1/p{i}/s1 Passage number {i} ."} for i in range(count)]
    if "--concurrent" in argv:
        results = client.map("selftest", items, Topic, stage="concepts")
        print(f"done all {len(results)}", flush=True)
        return 0
    for index, variables in enumerate(items):
        client.run("selftest", variables, Topic, stage="concepts")
        print(f"done {index}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
