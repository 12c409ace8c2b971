"""benchmarks/run refuses to fall back to the system python3 without the project's venv (finding 6)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _copy_runner(folder: Path) -> Path:
    (folder / "benchmarks").mkdir(parents=True)
    runner = folder / "benchmarks" / "run"
    shutil.copy2(ROOT / "benchmarks" / "run", runner)
    (folder / "benchmarks" / "ingest.py").write_text("print('ingest_figure 1')\n", encoding="utf-8")
    return runner


def _run(runner: Path) -> subprocess.CompletedProcess[str]:
    # A bare environment: no PYTHON override, no activated venv.
    return subprocess.run(
        [str(runner)], capture_output=True, text=True, timeout=60, env={"PATH": "/usr/bin:/bin"}
    )


def test_without_venv_it_says_how_to_set_up_and_fails(tmp_path: Path) -> None:
    runner = _copy_runner(tmp_path)
    done = _run(runner)
    assert done.returncode == 2
    assert done.stdout == ""  # no figure measured with the wrong interpreter
    assert done.stderr.splitlines() == [
        "ERROR benchmarks/run: no Python environment at .venv/bin/python",
        "TIP set it up first: python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' "
        "(or pass PYTHON=/path/to/python)",
    ]


def test_with_venv_it_runs_the_benchmarks(tmp_path: Path) -> None:
    runner = _copy_runner(tmp_path)
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    (tmp_path / ".venv" / "bin" / "python").symlink_to(shutil.which("python3") or "/usr/bin/python3")
    done = _run(runner)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("machine ") and lines[1:] == ["ingest_figure 1"]
