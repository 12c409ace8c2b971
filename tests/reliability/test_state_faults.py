"""State faults: a corrupt or locked LLM cache, and write errors injected at the atomic-write layer.

CI runs as root, so read-only folders prove nothing: failures are injected by patching the
`os` functions `coursegen.fsutil` calls (os.replace, os.fsync). Each fault must end in one
clear ERROR line and a non-zero exit, leave no temp file behind, and leave the previous
course.json (and export) byte for byte as it was.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import coursegen.fsutil
import coursegen.llm.cache
from coursegen.cli import main
from tests.reliability.conftest import SEED_003
from tests.support.rule_stub import RuleModel
from tests.support.stub_openai import StubOpenAI


@pytest.fixture
def stub() -> Iterator[StubOpenAI]:
    with StubOpenAI() as server:
        server.responder = RuleModel().reply
        yield server


def llm_args(out: Path, stub: StubOpenAI, *extra: str) -> list[str]:
    return ["build", str(SEED_003), "--out", str(out), "--engine", "llm", "--base-url", stub.url,
            "--model", "stub-model", *extra]


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Run the CLI in-process; returns (exit code, stderr)."""
    capsys.readouterr()
    code = main(args)
    return code, capsys.readouterr().err


def assert_clear_failure(code: int, err: str, *words: str) -> None:
    """Non-zero exit, one ERROR line (plus an optional TIP) naming what failed, no traceback."""
    assert code != 0
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.startswith(("ERROR", "TIP"))]
    assert len([line for line in lines if line.startswith("ERROR")]) == 1, err
    error = next(line for line in lines if line.startswith("ERROR"))
    for word in words:
        assert word in error, (word, error)


def no_temp_files(root: Path) -> None:
    assert [p for p in root.rglob("*") if p.name.endswith(".tmp")] == []


@pytest.fixture
def built(tmp_path: Path, stub: StubOpenAI, capsys: pytest.CaptureFixture[str]) -> tuple[Path, bytes]:
    """A finished LLM build: its folder and course.json bytes."""
    out = tmp_path / "course"
    code, err = run(llm_args(out, stub), capsys)
    assert code == 0, err
    return out, (out / "course.json").read_bytes()


# -- the LLM cache ---------------------------------------------------------------------------------


def test_garbage_cache_file_is_a_clear_error_and_the_course_survives(
    built: tuple[Path, bytes], stub: StubOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    out, before = built
    db = out / ".cache" / "llm-cache.sqlite"
    for extra in out.glob(".cache/llm-cache.sqlite-*"):
        extra.unlink()
    db.write_bytes(os.urandom(64 * 1024))
    calls = len(stub.chat_calls())
    code, err = run(llm_args(out, stub, "--title", "Another title"), capsys)
    assert_clear_failure(code, err, str(db), "damaged")
    assert "mv " in err  # the TIP says how to move it away
    assert (out / "course.json").read_bytes() == before
    assert len(stub.chat_calls()) == calls  # nothing was sent
    no_temp_files(out)


def test_cache_with_a_valid_header_and_garbage_pages_is_a_clear_error(
    built: tuple[Path, bytes], stub: StubOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    out, before = built
    db = out / ".cache" / "llm-cache.sqlite"
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = con.execute("PRAGMA page_size").fetchone()[0]
    con.close()
    data = bytearray(db.read_bytes())
    assert len(data) > 2 * page_size
    data[page_size:] = os.urandom(len(data) - page_size)  # keep page 1 (header and schema)
    db.write_bytes(bytes(data))
    code, err = run(llm_args(out, stub, "--title", "Another title", "--no-cache"), capsys)
    assert_clear_failure(code, err, str(db))
    assert (out / "course.json").read_bytes() == before
    no_temp_files(out)


def hold_lock(db: Path, release_after: float | None) -> Callable[[], None]:
    """Take SQLite's write lock on `db` from another connection; returns a release function."""
    con = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    con.execute("BEGIN EXCLUSIVE")
    released = threading.Event()

    def release() -> None:
        if not released.is_set():
            released.set()
            con.execute("ROLLBACK")
            con.close()

    if release_after is not None:
        threading.Timer(release_after, release).start()
    return release


def test_locked_cache_says_locked_not_damaged(
    tmp_path: Path, stub: StubOpenAI, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(coursegen.llm.cache, "BUSY_TIMEOUT_MS", 300)
    out = tmp_path / "course"
    db = out / ".cache" / "llm-cache.sqlite"
    db.parent.mkdir(parents=True)
    sqlite3.connect(db).close()
    release = hold_lock(db, None)  # another build holds the cache and never lets go
    try:
        code, err = run(llm_args(out, stub), capsys)
    finally:
        release()
    assert_clear_failure(code, err, str(db), "locked")
    assert "damaged" not in err and "mv " not in err  # moving a live cache away would be wrong advice
    assert not (out / "course.json").exists()


def test_cache_locked_for_a_moment_is_waited_for(
    tmp_path: Path, stub: StubOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "course"
    db = out / ".cache" / "llm-cache.sqlite"
    db.parent.mkdir(parents=True)
    sqlite3.connect(db).close()
    hold_lock(db, release_after=0.5)
    code, err = run(llm_args(out, stub), capsys)
    assert code == 0, err
    assert (out / "course.json").exists()


# -- write errors at the atomic-write layer ------------------------------------------------------


def failing_replace(target_name: str, error: OSError) -> Callable[..., None]:
    real = os.replace

    def replace(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        if Path(dst).name == target_name:
            raise error
        real(src, dst, *args, **kwargs)

    return replace


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)), ("course.json", "No space left on device")),
        (PermissionError(errno.EACCES, os.strerror(errno.EACCES)), ("course.json", "Permission denied")),
    ],
    ids=["disk-full", "permission-denied"],
)
def test_failed_course_write_keeps_the_previous_course(
    built: tuple[Path, bytes], stub: StubOpenAI, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch, error: OSError, words: tuple[str, ...],
) -> None:
    out, before = built
    monkeypatch.setattr(coursegen.fsutil.os, "replace", failing_replace("course.json", error))
    code, err = run(llm_args(out, stub, "--title", "A different title"), capsys)
    assert_clear_failure(code, err, *words)
    assert (out / "course.json").read_bytes() == before
    no_temp_files(out)


def test_disk_full_while_writing_leaves_no_partial_file_anywhere(
    built: tuple[Path, bytes], stub: StubOpenAI, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out, before = built
    snapshot = {p: p.read_bytes() for p in out.rglob("*.json")}

    def fsync(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(coursegen.fsutil.os, "fsync", fsync)
    # --no-cache rewrites every stage file, so the first write already fails.
    code, err = run(llm_args(out, stub, "--title", "A different title", "--no-cache"), capsys)
    assert_clear_failure(code, err, "No space left on device")
    assert {p: p.read_bytes() for p in out.rglob("*.json")} == snapshot
    assert (out / "course.json").read_bytes() == before
    no_temp_files(out)


def test_failed_export_write_keeps_the_previous_export(
    built: tuple[Path, bytes], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out, _ = built
    export_args = ["export", str(out / "course.json"), "--format", "site,markdown,csv",
                   "--out", str(out / "x")]
    code, err = run(export_args, capsys)
    assert code == 0, err
    exported = {p: p.read_bytes() for p in (out / "x").rglob("*") if p.is_file()}
    target = next(p for p in exported if p.suffix == ".html").name
    monkeypatch.setattr(coursegen.fsutil.os, "replace",
                        failing_replace(target, OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))))
    code, err = run(export_args, capsys)
    assert_clear_failure(code, err, target, "No space left on device")
    assert {p: p.read_bytes() for p in (out / "x").rglob("*") if p.is_file()} == exported
