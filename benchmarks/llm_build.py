"""Benchmark: the seed course through the LLM engine against the rule stub answering after a fixed latency.

Prints, one `name value` per line: llm_latency_ms, llm_calls, llm_prompt_tokens,
llm_completion_tokens, llm_ratio_c1, llm_ratio_c8, llm_ratio_c32, llm_build_s_cN,
prompt_tokens_per_source_token and prompt_tokens_per_source_token_<stage>.

ratio = wall / ideal, where ideal = Σ_stages ceil(calls_in_stage / concurrency) × latency
(stages wait for each other) and wall is the wall time of the model stages (concepts,
merge, lessons with their assessments) as the build records it; llm_build_s_cN is the whole
build (ingest, validation and writing included). Token figures are those the stub reports
(~4 characters per token, the same count used for the transcripts).
"""

from __future__ import annotations

import math
import os
import shutil

from _stubrun import SEEDS, fresh_dir, llm_build, stub_server

from coursegen.ingest import ingest_paths
from coursegen.llm import estimate_tokens

LATENCY = 0.2
CONCURRENCIES = (1, 8, 32)
MODEL_STAGES = ("concepts", "merge", "lesson", "assessment")
TIMED_STAGES = ("concepts", "merge", "lessons", "assessment")  # pipeline timer names


def main() -> None:
    """Run the builds and print the figures."""
    episodes = ingest_paths(SEEDS).episodes
    source_tokens = sum(estimate_tokens(s.text) for e in episodes for p in e.passages for s in p.sentences)
    print(f"llm_latency_ms {LATENCY * 1000:.0f}")
    # The ratio depends on free CPU: other processes on the machine slow every call's Python work.
    print(f"llm_loadavg_1m_before {os.getloadavg()[0]:.2f}")
    print(f"source_tokens {source_tokens}")
    with stub_server(LATENCY) as url:
        for concurrency in CONCURRENCIES:
            out = fresh_dir(f"llm-bench-c{concurrency}-")
            try:
                run = llm_build(url, SEEDS, out, concurrency)
            finally:
                shutil.rmtree(out, ignore_errors=True)
            stages = run.usage["stages"]
            sent = {
                s: row["calls"] - row["cached_calls"] for s, row in stages.items()
            }  # a fresh build: none cached
            ideal = sum(math.ceil(sent.get(s, 0) / concurrency) * LATENCY for s in MODEL_STAGES)
            timings = run.result.course.build.timings
            wall = sum(timings.get(s, 0.0) for s in TIMED_STAGES)
            print(f"llm_ratio_c{concurrency} {wall / ideal:.3f}")
            print(f"llm_model_stages_s_c{concurrency} {wall:.2f}")
            print(f"llm_ideal_s_c{concurrency} {ideal:.2f}")
            print(f"llm_build_s_c{concurrency} {run.seconds:.2f}")
            if concurrency == 8:
                figures = run
    usage = figures.usage
    print(f"llm_calls {usage['model_calls']}")
    print(f"llm_prompt_tokens {usage['tokens_in']}")
    print(f"llm_completion_tokens {usage['tokens_out']}")
    print(f"prompt_tokens_per_source_token {usage['tokens_in'] / source_tokens:.3f}")
    for stage in MODEL_STAGES:
        row = usage["stages"].get(stage, {})
        print(f"llm_calls_{stage} {row.get('calls', 0) - row.get('cached_calls', 0)}")
        print(f"prompt_tokens_per_source_token_{stage} {row.get('prompt_tokens', 0) / source_tokens:.3f}")
    summary = figures.result.summary()
    print(f"llm_course_lessons {summary['lessons']}")
    print(f"llm_course_citation_validity {summary['citation_validity']}")
    print(f"llm_course_validation_errors {summary['validation_errors']}")


if __name__ == "__main__":
    main()
