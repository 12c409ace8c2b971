"""Benchmark: a full extractive build of the five seeds (fresh cache), then a no-change rebuild.

Prints `name value` lines: extractive_build_s (wall), extractive_build_cpu_s, extractive_build_peak_mb,
extractive_rebuild_s, validate_s (validating the built seed course against its sources),
then the course's figures.
Peak memory is the process's maximum resident set size (ru_maxrss) after the builds; the build's
worker processes (workers.py) are counted in extractive_build_cpu_s and, for memory, in
extractive_build_worker_peak_mb (the largest worker's maximum resident set size).
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coursegen.engines.extractive.workers import worker_count  # noqa: E402
from coursegen.pipeline import BuildOptions, build_course  # noqa: E402
from coursegen.validate import validate_course  # noqa: E402


def _cpu_with_workers() -> float:
    """User and system CPU seconds of this process and of its finished worker processes."""
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def main() -> None:
    """Run the builds and print the figures."""
    seeds = ROOT / "seeds"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "course"
        start, cpu_start = time.perf_counter(), _cpu_with_workers()
        first = build_course([seeds], out, BuildOptions(engine="extractive"))
        build_s, build_cpu_s = time.perf_counter() - start, _cpu_with_workers() - cpu_start
        start = time.perf_counter()
        again = build_course([seeds], out, BuildOptions(engine="extractive"))
        rebuild_s = time.perf_counter() - start
        start = time.perf_counter()
        report = validate_course(first.course)
        validate_s = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker_peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert sum(again.recomputed.values()) == 0, again.recomputed
    summary = first.summary()
    print(f"extractive_build_s {build_s:.2f}")
    # CPU time of this process and its workers: the wall time above also counts other programs
    # sharing the cores, and is less than the CPU time when the workers run side by side.
    print(f"extractive_build_cpu_s {build_cpu_s:.2f}")
    print(f"extractive_build_workers {worker_count(len(first.course.episodes))}")
    print(f"extractive_build_peak_mb {peak_mb:.0f}")
    print(f"extractive_build_worker_peak_mb {worker_peak_mb:.0f}")
    print(f"extractive_rebuild_s {rebuild_s:.2f}")
    print(f"validate_s {validate_s:.3f}")
    print(f"validate_seed_course_citation_validity {report.citation_validity_rate:.3f}")
    for name in ("concepts", "lessons", "questions", "cards", "dropped"):
        print(f"extractive_{name} {summary[name]}")
    print(f"extractive_citation_validity {summary['citation_validity']}")


if __name__ == "__main__":
    main()
