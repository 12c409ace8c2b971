"""`coursegen build` through the real CLI entry point: summary, errors, engine choice."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coursegen.cli import main
from tests.pipeline.conftest import SEEDS

SEED_003 = SEEDS / "003_9859fa03d6cc2246.txt"


def test_build_prints_the_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = str(tmp_path / "course")
    code = main(["build", str(SEED_003), "--out", out, "--engine", "extractive", "--no-export"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert (tmp_path / "course" / "course.json").is_file()
    for figure in ("concepts", "lessons", "questions", "cards", "citation validity", "100.0%", "model calls"):
        assert figure in out


def test_build_exports_by_default_and_not_with_no_export(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", str(SEED_003), "--out", str(tmp_path / "a"), "--engine", "extractive"]) == 0
    assert list((Path.cwd() / "decks").glob("*.apkg")), "decks go to ./decks by default"
    # What the deck holds, as `coursegen export` prints it (retired notes too, when there are any).
    assert re.search(r"Anki deck: \S+\.apkg  \(\d+ notes, \d+ cards\)", capsys.readouterr().out)
    assert (tmp_path / "a" / "site").is_dir()
    args = ["build", str(SEED_003), "--out", str(tmp_path / "b"), "--engine", "extractive", "--no-export"]
    assert main(args) == 0
    built = [".cache", "changes.json", "changes.md", "course.json"]  # changes.*: docs/regenerate.md
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == built
    args = [
        "build",
        str(SEED_003),
        "--out",
        str(tmp_path / "c"),
        "--format",
        "gift",
        "--decks",
        str(tmp_path / "d"),
    ]
    assert main([*args, "--engine", "extractive"]) == 0
    assert not (tmp_path / "c" / "decks").exists() and not (tmp_path / "c" / "site").exists()


def test_llm_engine_not_available_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["build", str(SEED_003), "--out", str(tmp_path), "--engine", "llm"])
    err = capsys.readouterr().err
    assert code != 0
    assert "llm engine" in err and "Traceback" not in err


def test_a_format_typo_fails_before_any_work(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Not after a whole build that wrote course.json and changes.md (a rerun would report no change).
    out = tmp_path / "course"
    args = ["build", str(SEED_003), "--out", str(out), "--format", "site,ankii", "--engine", "extractive"]
    code = main(args)
    err = capsys.readouterr().err
    assert code == 2 and "unknown export format 'ankii'" in err and "Traceback" not in err
    assert not out.exists()


def test_unknown_engine(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(SEED_003), "--out", str(tmp_path), "--engine", "gpt"]) != 0
    assert "unknown engine" in capsys.readouterr().err


def test_missing_source_names_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["build", str(tmp_path / "nope.srt"), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code != 0 and "nope.srt" in err and "Traceback" not in err
    assert not (tmp_path / "o" / "course.json").exists()


def test_episode_filter_that_matches_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["build", str(SEED_003), "--out", str(tmp_path), "--episodes", "zzz*", "--engine", "extractive"]
    )
    assert code != 0 and "matches none" in capsys.readouterr().err


def test_non_english_transcript_points_to_llm(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "talk.srt"
    cues = [
        "Das bestärkende Lernen trainiert eine Strategie mit einer Belohnung statt mit Beispielen.",
        "Ein neuronales Netz lernt mit dem Gradientenabstieg, Schritt für Schritt, auf einer "
        "Verlustfunktion.",
        "Die Lernrate bestimmt, wie groß jeder Schritt des Gradientenabstiegs ist, und das ist wichtig.",
    ] * 4
    blocks = [
        f"{i + 1}\n00:00:{i * 4:02d},000 --> 00:00:{i * 4 + 3:02d},000\n{t}\n" for i, t in enumerate(cues)
    ]
    source.write_text("\n".join(blocks), encoding="utf-8")
    code = main(["build", str(source), "--out", str(tmp_path / "o"), "--engine", "extractive"])
    err = capsys.readouterr().err
    assert code != 0 and "--engine llm" in err and "Traceback" not in err


def test_sources_without_concepts_fail_clearly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    note = tmp_path / "note.txt"
    note.write_text("Hello there.\nThis is a short note about nothing much.\nThanks for listening.\n")
    code = main(["build", str(note), "--out", str(tmp_path / "o"), "--engine", "extractive"])
    err = capsys.readouterr().err
    assert code != 0 and "no concept to teach" in err and "note.txt" in err and "Traceback" not in err
    assert not (tmp_path / "o" / "course.json").exists()


def test_extractive_engine_writes_english_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["build", str(SEED_003), "--out", str(tmp_path), "--engine", "extractive", "--language", "fr"]
    assert main(args) != 0
    assert "--engine llm" in capsys.readouterr().err


def test_llm_build_against_a_server_that_is_not_there_says_so_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Every call used to be dropped as a passing outage: minutes later the build said "found no
    # concept to teach ... try --engine llm". The first call with no answer yet stops the build.
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    (tmp_path / "coursegen.toml").write_text("[llm]\ntransport_retries = 0\ntimeout = 2\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    args = ["build", str(SEED_003), "--out", str(tmp_path / "out"), "--engine", "llm", "--no-export"]
    code = main([*args, "--base-url", f"http://127.0.0.1:{port}/v1"])
    err = capsys.readouterr().err
    assert code == 1, err
    assert f"cannot connect to http://127.0.0.1:{port}/v1" in err and "gave up after 1 tries" in err
    assert "no concept" not in err and "Traceback" not in err
    assert not (tmp_path / "out" / "course.json").exists()


def test_a_rebuild_without_the_last_package_warns_that_nothing_is_retired(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The retired notes come from the last package in --decks (./decks by default); a rebuild run
    # from another folder used to ship none without a word.
    sources = tmp_path / "src"
    sources.mkdir()
    for seed in (SEED_003, SEEDS / "002_06453bb8a140ced2.txt"):
        (sources / seed.name).write_bytes(seed.read_bytes())
    build = ["build", str(sources), "--out", str(tmp_path / "out"), "--engine", "extractive"]
    build += ["--format", "anki"]
    assert main([*build, "--decks", str(tmp_path / "first")]) == 0
    (sources / "002_06453bb8a140ced2.txt").unlink()  # its cards leave the course
    capsys.readouterr()
    assert main([*build, "--decks", str(tmp_path / "elsewhere")]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "card(s) left the course, but" in out and "holds no package of its previous version" in out
    assert main([*build, "--decks", str(tmp_path / "elsewhere")]) == 0  # nothing left this time
    assert "left the course" not in capsys.readouterr().out


def test_build_says_which_files_of_a_folder_it_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sources = tmp_path / "src"
    sources.mkdir()
    (sources / SEED_003.name).write_bytes(SEED_003.read_bytes())
    (sources / "lecture-notes.pdf").write_bytes(b"%PDF-1.4")
    args = ["build", str(sources), "--out", str(tmp_path / "out"), "--engine", "extractive", "--no-export"]
    assert main(args) == 0
    assert "left out 1 file(s) that are no transcript: 1 .pdf" in capsys.readouterr().out


def test_lines_with_a_path_are_printed_whole_and_verbatim(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A long path wrapped at 80 columns ("(140 notes, ⏎140 cards)"), and "[draft]" read as markup.
    out = tmp_path / ("a-long-folder-name-" * 4) / "course[draft]"
    assert main(["build", str(SEED_003), "--out", str(out), "--engine", "extractive"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert f"under {out}" in next(line for line in lines if line.startswith("exported "))
    assert re.fullmatch(
        r"Anki deck: \S+\.apkg  \(\d+ notes, \d+ cards\)",
        next(line for line in lines if line.startswith("Anki deck:")),
    )
