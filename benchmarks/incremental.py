"""Benchmark: incremental builds. Prints noop_rebuild_calls, noop_rebuild_s, add_episode_calls,
add_episode_calls_fraction (adding seed 003 to a course of the other four, as a fraction of a
full five-seed build's calls) and noop_rebuild_extractive_s.

LLM builds run against the rule stub answering at once (only calls are counted here; the
orchestration timing is llm_build.py's job).
"""

from __future__ import annotations

import shutil
import time

from _stubrun import SEEDS, fresh_dir, llm_build, stub_server

from coursegen.pipeline import BuildOptions, build_course

NEW = "003_"


def main() -> None:
    """Run the builds and print the figures."""
    others = [p for p in SEEDS if not p.name.startswith(NEW)]
    folders = []
    with stub_server(0.0) as url:
        full_dir = fresh_dir("incr-full-")
        folders.append(full_dir)
        full = llm_build(url, SEEDS, full_dir, 8)
        noop = llm_build(url, SEEDS, full_dir, 8)
        print(f"noop_rebuild_calls {noop.usage['model_calls']}")
        print(f"noop_rebuild_s {noop.seconds:.2f}")
        grow_dir = fresh_dir("incr-grow-")
        folders.append(grow_dir)
        llm_build(url, others, grow_dir, 8)
        added = llm_build(url, SEEDS, grow_dir, 8)
        print(f"full_build_calls {full.usage['model_calls']}")
        print(f"add_episode_calls {added.usage['model_calls']}")
        print(f"add_episode_calls_fraction {added.usage['model_calls'] / full.usage['model_calls']:.3f}")
        for stage, count in sorted(added.result.recomputed.items()):
            print(f"add_episode_recomputed_{stage} {count}")
    extractive_dir = fresh_dir("incr-extractive-")
    folders.append(extractive_dir)
    build_course(SEEDS, extractive_dir, BuildOptions(engine="extractive"))
    started = time.perf_counter()
    build_course(SEEDS, extractive_dir, BuildOptions(engine="extractive"))
    print(f"noop_rebuild_extractive_s {time.perf_counter() - started:.2f}")
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
