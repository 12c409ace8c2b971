"""`--course-id` and `[course] id` must be slugs: one-line error, tip with the slugified id (finding 4)."""

from __future__ import annotations

from pathlib import Path

import pytest

from coursegen.cli import main
from tests.cli.conftest import make_project

BUILD = ["build", "src/talk.txt", "--out", "out", "--engine", "extractive", "--no-export"]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = make_project(tmp_path / "proj")
    monkeypatch.chdir(folder)
    return folder


def _error_lines(capsys: pytest.CaptureFixture[str]) -> list[str]:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return [line for line in err.splitlines() if line.startswith(("ERROR", "TIP"))]


@pytest.mark.parametrize(
    ("value", "slug"),
    [
        ("My Course", "my-course"),
        ("GPU_talk!", "gpu-talk"),
        ("Ünïcode Über", "unicode-uber"),
        ("", "my-course"),
    ],
)
def test_bad_course_id_flag_is_refused_with_the_slug_as_tip(
    project: Path, capsys: pytest.CaptureFixture[str], value: str, slug: str
) -> None:
    assert main([*BUILD, "--course-id", value]) == 2
    assert _error_lines(capsys) == [
        f"ERROR --course-id {value!r} is not a valid course id: use lowercase letters, digits and '-' only",
        f"TIP pass --course-id {slug}",
    ]
    assert not (project / "out" / "course.json").exists()


def test_bad_course_id_in_coursegen_toml_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "coursegen.toml").write_text('[course]\nid = "GPU Talk"\n', encoding="utf-8")
    assert main(BUILD) == 1
    lines = _error_lines(capsys)
    assert lines[0].endswith("coursegen.toml: [course] id 'GPU Talk' is not a valid course id: use "
                             "lowercase letters, digits and '-' only")
    assert lines[1] == 'TIP write id = "gpu-talk" in [course]'


def test_slug_course_ids_are_kept(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*BUILD, "--course-id", "gpu-talk-2"]) == 0
    assert '"id": "gpu-talk-2"' in (project / "out" / "course.json").read_text(encoding="utf-8")


def test_bad_course_id_stops_a_dry_run_before_any_banner(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--engine", "llm", "--base-url", "http://127.0.0.1:9/v1", "--dry-run", "--course-id", "A B"]
    assert main([*BUILD, *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("ERROR --course-id 'A B' is not a valid course id") and "engine llm" not in err
