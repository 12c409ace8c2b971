"""A non-editable install carries prompts/ and templates/ and finds them without a checkout.

setup.py's build step is run as `pip install .` runs it (into a temporary build folder, with
the venv's setuptools: no network), then the built package is imported from that folder by
a fresh interpreter whose working directory is elsewhere.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
from setuptools import Distribution, find_packages

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package as the wheel's build step lays it out (setup.py's build_py)."""
    spec = importlib.util.spec_from_file_location("coursegen_setup", ROOT / "setup.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # not __main__: defines the command, runs no setup()
    build_lib = tmp_path_factory.mktemp("build") / "lib"
    packages = find_packages(str(ROOT), include=["coursegen*"])
    distribution = Distribution({"name": "coursegen", "packages": packages, "package_dir": {"": str(ROOT)}})
    distribution.script_name = str(ROOT / "setup.py")
    command = module.BuildPyWithData(distribution)
    command.build_lib = str(build_lib)
    command.ensure_finalized()
    command.run()
    return build_lib


def _run(build_lib: Path, code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(build_lib)}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_build_carries_every_prompt_and_template(built: Path) -> None:
    data = built / "coursegen" / "_data"
    for name in ("prompts", "templates"):
        shipped = sorted(p.relative_to(data / name) for p in (data / name).rglob("*") if p.is_file())
        files = [p for p in (ROOT / name).rglob("*") if p.is_file() and p.name != ".gitkeep"]
        source = sorted(p.relative_to(ROOT / name) for p in files)
        assert shipped == source and shipped, name


LOOKUP = """
import coursegen
from coursegen.llm.prompts import PROMPTS_DIR, load_prompt
from coursegen.export.site import _environment, templates_dir
print(coursegen.__file__)
print(PROMPTS_DIR)
print(templates_dir())
print(load_prompt("concepts").version)
print(_environment().get_template("index.html.j2").name)
"""


def test_an_installed_copy_finds_its_packaged_data(built: Path, tmp_path: Path) -> None:
    result = _run(built, LOOKUP, tmp_path)
    assert result.returncode == 0, result.stderr
    module, prompts, templates, version, template = result.stdout.split("\n")[:5]
    assert module.startswith(str(built))  # the built copy, not the checkout
    assert prompts == str(built / "coursegen" / "_data" / "prompts")
    assert templates == str(built / "coursegen" / "_data" / "templates")
    assert version and template == "index.html.j2"


def test_an_install_without_data_says_how_to_fix_it(built: Path, tmp_path: Path) -> None:
    broken = tmp_path / "lib"
    subprocess.run(["cp", "-r", str(built), str(broken)], check=True)
    subprocess.run(["rm", "-r", str(broken / "coursegen" / "_data")], check=True)
    code = (
        "from coursegen.errors import CoursegenError\n"
        "from coursegen.export.site import _environment\n"
        "from coursegen.llm.prompts import load_prompt\n"
        "for step in (_environment, lambda: load_prompt('concepts')):\n"
        "    try:\n        step()\n"
        "    except CoursegenError as error:\n        print(error.message, '|', error.tip)\n"
    )
    result = _run(broken, code, tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().split("\n")
    assert len(lines) == 2 and all("pip install -e ." in line for line in lines), lines
    assert "site templates not found" in lines[0] and "prompt file" in lines[1]


def test_a_checkout_uses_its_own_top_level_folders() -> None:
    from coursegen.data_dirs import data_dir

    assert data_dir("prompts") == ROOT / "prompts" and data_dir("templates") == ROOT / "templates"
