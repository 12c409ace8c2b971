"""One coursegen.toml lookup rule for [llm], [course] and [speakers.*] (finding 7)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coursegen.cli import main
from coursegen.config_file import find_config_file
from coursegen.pipeline import BuildOptions, build_course
from tests.cli.conftest import make_project

UNUSED_URL = "http://127.0.0.1:9/v1"  # --dry-run sends nothing


def _toml(where: Path, label: str) -> None:
    where.mkdir(parents=True, exist_ok=True)
    (where / "coursegen.toml").write_text(
        f'[llm]\nmodel = "{label}-model"\n\n[course]\ntitle = "From {label}"\n\n'
        f'[speakers.talk]\nBob = "Bob of {label}"\n',
        encoding="utf-8",
    )


def _settings_seen(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[str, str, list[str]]:
    """(model in the LLM banner of a dry run, course title, speakers) a build with `args` uses."""
    capsys.readouterr()
    assert main(["build", "src/talk.txt", "--out", "out", "--engine", "llm", "--base-url", UNUSED_URL,
                 "--dry-run", *args]) == 0
    banner = next(line for line in capsys.readouterr().err.splitlines() if line.startswith("engine llm:"))
    model = banner.split("model ", 1)[1].split(" ", 1)[0]
    extractive = ["build", "src/talk.txt", "--out", "out", "--engine", "extractive", "--no-export"]
    assert main([*extractive, *args]) == 0
    course = json.loads(Path("out/course.json").read_text(encoding="utf-8"))
    Path("out/course.json").unlink()  # the title is kept from a previous course.json otherwise
    return model, course["title"], course["episodes"][0]["speakers"]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("COURSEGEN_MODEL", raising=False)
    folder = make_project(tmp_path / "proj")
    monkeypatch.chdir(folder)
    return folder


def test_course_folder_file_wins_for_every_table(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _toml(project, "cwd")
    _toml(project / "out", "course")
    model, title, speakers = _settings_seen([], capsys)
    assert (model, title) == ("course-model", "From course")
    assert "Bob of course" in speakers
    assert find_config_file(project / "out") == project / "out" / "coursegen.toml"


def test_current_folder_file_when_the_course_has_none(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _toml(project, "cwd")
    model, title, speakers = _settings_seen([], capsys)
    assert (model, title) == ("cwd-model", "From cwd") and "Bob of cwd" in speakers


def test_explicit_config_wins_for_every_table(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _toml(project, "cwd")
    _toml(project / "out", "course")
    _toml(project / "elsewhere", "explicit")
    model, title, speakers = _settings_seen(["--config", "elsewhere/coursegen.toml"], capsys)
    assert (model, title) == ("explicit-model", "From explicit") and "Bob of explicit" in speakers


def test_config_command_shows_the_course_folder_file(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from coursegen.cli import llm_cmd

    monkeypatch.setattr(llm_cmd.console, "width", 200)
    _toml(project, "cwd")
    _toml(project / "out", "course")
    assert main(["config", "--out", "out"]) == 0
    out = capsys.readouterr().out
    assert "course-model" in out and "out/coursegen.toml" in out and "cwd-model" not in out


def test_missing_explicit_config_is_one_line_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _toml(project, "cwd")
    build = ["build", "src/talk.txt", "--out", "out", "--engine", "extractive"]
    assert main([*build, "--config", "nope.toml"]) == 1
    err = capsys.readouterr().err
    assert "ERROR nope.toml: file not found" in err and "Traceback" not in err
    # From Python a named but missing file means "no settings" (how tests isolate a build).
    result = build_course([Path("src/talk.txt")], Path("out"), BuildOptions(config=Path("nope.toml")))
    assert result.course.title != "From cwd"


def test_a_misspelt_table_is_a_one_line_error_not_ignored(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # "[speaker.talk]" used to be read as no speaker map at all, without a word.
    (project / "coursegen.toml").write_text('[speaker.talk]\nBob = "Bob Smith"\n', encoding="utf-8")
    assert main(["build", "src/talk.txt", "--out", "out", "--engine", "extractive"]) == 1
    err = capsys.readouterr().err
    assert "coursegen.toml: unknown table or key speaker\n" in err and "did you mean [speakers]?" in err
    assert "Traceback" not in err and not (project / "out" / "course.json").exists()
