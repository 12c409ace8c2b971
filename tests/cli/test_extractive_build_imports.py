"""An extractive build never loads `openai` (over a second to import on these machines)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHORT_SEED = next((REPO / "seeds").glob("003_*.txt"))

_SCRIPT = """
import sys
from coursegen.cli import main
sys.argv = ["coursegen", "build", sys.argv[1], "--out", sys.argv[2], "--engine", "extractive", "--no-export"]
try:
    main()
except SystemExit as done:
    assert not done.code, done.code
print("openai loaded" if "openai" in sys.modules else "openai not loaded")
"""


def test_an_extractive_build_does_not_import_openai(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    env["COURSEGEN_HOME"] = str(tmp_path / "home")
    result = subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(SHORT_SEED), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().endswith("openai not loaded"), result.stdout[-500:]
    assert (tmp_path / "out" / "course.json").is_file()
