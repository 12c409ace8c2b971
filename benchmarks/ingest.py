"""Ingestion wall time: the five seeds, then the seeds concatenated 20 times.

Run from the repository root: `python benchmarks/ingest.py`. Prints one figure per line
(`name seconds`); the target is < 1 s for the seeds on a 2-core machine. Timings include
parser discovery, decoding, parsing, cleaning and assembly (not Python start-up).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from coursegen.ingest import ingest_paths  # noqa: E402


def _timed(paths: list[Path]) -> tuple[float, int]:
    began, cpu_began = time.perf_counter(), time.process_time()
    report = ingest_paths(paths)
    elapsed = time.perf_counter() - began
    print(f"# cpu {time.process_time() - cpu_began:.3f} s", file=sys.stderr)
    if report.errors:
        raise SystemExit(f"benchmark input failed: {report.errors[0].message}")
    return elapsed, sum(len(p.sentences) for e in report.episodes for p in e.passages)


def main() -> None:
    """Print `ingest_seeds_s` and `ingest_seeds_x20_s`."""
    seeds = sorted((REPO / "seeds").iterdir())
    seconds, sentences = _timed(seeds)
    size = sum(p.stat().st_size for p in seeds)
    print(f"ingest_seeds_s {seconds:.3f}")
    print(f"# {len(seeds)} files, {size / 1024:.0f} KB, {sentences} sentences", file=sys.stderr)
    with tempfile.TemporaryDirectory() as folder:
        big = []
        for seed in seeds:
            target = Path(folder) / seed.name
            data = seed.read_bytes()
            # Repeat only the transcript body where a header must stay unique (it is harmless
            # for the timing either way: every copy is parsed as transcript text).
            target.write_bytes(data + b"\n" + (data + b"\n") * 19)
            big.append(target)
        seconds, sentences = _timed(big)
        size = sum(p.stat().st_size for p in big)
    print(f"ingest_seeds_x20_s {seconds:.3f}")
    print(f"# {len(big)} files, {size / 1024 / 1024:.1f} MB, {sentences} sentences", file=sys.stderr)


if __name__ == "__main__":
    main()
