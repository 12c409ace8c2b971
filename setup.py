"""Build step: ship the top-level prompts/ and templates/ inside the wheel.

They stay at the top of the checkout (their location is part of the project's contract);
a wheel copies them to `coursegen/_data/`, where `coursegen.data_dirs` finds them when no
checkout is around (`pip install .`, not `-e`). Everything else lives in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

DATA_DIRS = ("prompts", "templates")


class BuildPyWithData(build_py):
    """build_py that also copies the top-level data folders into the built package."""

    def run(self) -> None:
        super().run()
        root = Path(__file__).resolve().parent
        for name in DATA_DIRS:
            target = Path(self.build_lib) / "coursegen" / "_data" / name
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(
                root / name, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".gitkeep")
            )


if __name__ == "__main__":  # setuptools' build backend runs this file as __main__
    setup(cmdclass={"build_py": BuildPyWithData})
