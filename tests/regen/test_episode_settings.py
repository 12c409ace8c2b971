"""`[episodes."<id>"]` in coursegen.toml: the title and link a bare transcript does not carry."""

from __future__ import annotations

from pathlib import Path

import pytest

from coursegen.cli import main
from coursegen.course_io import load_course
from coursegen.pipeline import BuildOptions, build_course

SEED = Path(__file__).resolve().parents[2] / "seeds" / "003_9859fa03d6cc2246.txt"
EPISODE = "003-9859fa03d6cc2246"
URL = "https://www.youtube.com/watch?v=abcdefghijk"


def _build(tmp_path: Path, toml: str) -> Path:
    (tmp_path / "coursegen.toml").write_text(toml, encoding="utf-8")
    options = BuildOptions(engine="extractive", config=tmp_path / "coursegen.toml")
    return build_course([SEED], tmp_path / "out", options).course_path


def test_an_episode_table_gives_the_title_and_timed_links(tmp_path: Path) -> None:
    path = _build(tmp_path, f'[episodes."{EPISODE}"]\ntitle = "AI 2027"\nurl = "{URL}"\n')
    course = load_course(path)
    [episode] = course.episodes
    assert (episode.title, episode.url) == ("AI 2027", URL)
    cites = [c for q in course.questions for c in q.citations]
    # Seed 003 has times: every citation now links to its second of the video.
    assert cites and all(c.url == f"{URL}&t={int(c.start)}s" for c in cites if c.start is not None)
    assert f"titled episode {EPISODE}: AI 2027" in course.build.overrides
    assert f"linked episode {EPISODE} to {URL}" in course.build.overrides
    assert main(["validate", str(path)]) == 0


def test_an_unknown_episode_is_reported_not_applied(tmp_path: Path) -> None:
    course = load_course(_build(tmp_path, '[episodes."999-nope"]\ntitle = "Nothing"\n'))
    assert course.episodes[0].title != "Nothing"
    assert "episodes: no episode 999-nope" in course.build.overrides


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (f'[episodes."{EPISODE}"]\ntitel = "AI 2027"\n', "titel"),
        (f'[episodes."{EPISODE}"]\nurl = "youtube.com/x"\n', "is not a web address"),
        (f'[overrides.episodes."{EPISODE}"]\ntitle = "AI 2027"\n', "a table of its own"),
    ],
)
def test_a_mistake_in_an_episode_table_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], toml: str, message: str
) -> None:
    (tmp_path / "coursegen.toml").write_text(toml, encoding="utf-8")
    args = ["build", str(SEED), "--out", str(tmp_path / "out"), "--config", str(tmp_path / "coursegen.toml")]
    assert main([*args, "--engine", "extractive", "--no-export"]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "out" / "course.json").exists()
