"""SQLite cache of model answers, keyed by the hash of everything that determines them.

Each answer is committed the moment it arrives (WAL journal), so a build killed at any
point resumes without paying for a finished call again. Only request bodies and answers are
stored: the API key travels in an HTTP header and never reaches this file. The schema moves
forward through numbered migrations recorded in SQLite's `user_version`.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from coursegen.errors import CoursegenError
from coursegen.fsutil import sha256_text
from coursegen.llm.types import ChatRequest, Reply, Usage

CACHE_FILE_NAME = "llm-cache.sqlite"
# How long a statement waits for another process's lock on the file before giving up.
BUSY_TIMEOUT_MS = 10_000

# Forward-only: append, never edit a released step. Index i brings user_version to i + 1.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE responses (
        key TEXT PRIMARY KEY,
        model TEXT NOT NULL,
        prompt_name TEXT NOT NULL,
        prompt_version TEXT NOT NULL,
        mode TEXT NOT NULL,
        request TEXT NOT NULL,
        response_text TEXT NOT NULL,
        finish_reason TEXT,
        prompt_tokens INTEGER NOT NULL DEFAULT 0,
        completion_tokens INTEGER NOT NULL DEFAULT 0,
        created_at REAL NOT NULL
    );
    """,
    """
    ALTER TABLE responses ADD COLUMN source TEXT NOT NULL DEFAULT 'api';
    CREATE INDEX responses_prompt ON responses (prompt_name, prompt_version);
    """,
)


class CacheError(CoursegenError):
    """The cache database cannot be opened or is damaged."""


def cache_key(request: ChatRequest) -> str:
    """sha256 of model, prompt name and version, messages, schema, mode and parameters."""
    # The text hashed is json.dumps({"prompt": [name, version], "body": body}, sort_keys=True,
    # compact, ensure_ascii=False), spelled out so the request's canonical body JSON is reused
    # (keys of earlier caches and Batch files stay valid: a test pins the equality).
    prompt = json.dumps(
        [request.prompt_name, request.prompt_version], separators=(",", ":"), ensure_ascii=False
    )
    return sha256_text(f'{{"body":{request.body_json},"prompt":{prompt}}}')


def default_cache_path(home: Path, build_dir: Path | None = None) -> Path:
    """<build dir>/.cache/llm-cache.sqlite when building into a folder, else $COURSEGEN_HOME/cache/."""
    return (build_dir / ".cache" if build_dir is not None else home / "cache") / CACHE_FILE_NAME


class ResponseCache:
    """A SQLite file of answers; safe to share between the threads of one process."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            # First, so every later statement waits for another process's lock instead of failing.
            self._db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            self._db.execute("PRAGMA journal_mode=WAL")
            # NORMAL is durable against a killed process (not a power cut), and much faster.
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise self._error(exc) from exc
        except OSError as exc:
            raise CacheError(f"{self.path}: cannot create the LLM cache: {exc}") from exc

    @property
    def schema_version(self) -> int:
        """The applied migration count."""
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        current = self.schema_version
        if current > len(MIGRATIONS):
            raise CacheError(
                f"{self.path}: the LLM cache was written by a newer coursegen (schema {current})",
                "upgrade coursegen, or point COURSEGEN_HOME / --out elsewhere",
            )
        for version in range(current, len(MIGRATIONS)):
            self._db.executescript(
                "BEGIN;\n" + MIGRATIONS[version] + f"\nPRAGMA user_version={version + 1};\nCOMMIT;"
            )

    def get(self, key: str) -> Reply | None:
        """The stored answer for `key`, or None."""
        with self._lock, self._translated():
            row = self._db.execute(
                "SELECT response_text, finish_reason, prompt_tokens, completion_tokens"
                " FROM responses WHERE key = ?",
                (key,),
            ).fetchone()
        if row is None:
            return None
        return Reply(text=row[0], finish_reason=row[1], usage=Usage(row[2], row[3]), cached=True)

    def put(self, key: str, request: ChatRequest, reply: Reply, source: str = "api") -> None:
        """Store one answer now (committed before returning)."""
        self.put_raw(
            key,
            request.model,
            request.prompt_name,
            request.prompt_version,
            request.mode.value,
            request.body_json,
            reply,
            source,
        )

    def put_raw(
        self,
        key: str,
        model: str,
        prompt_name: str,
        prompt_version: str,
        mode: str,
        request_body: str,
        reply: Reply,
        source: str,
    ) -> None:
        """Store an answer whose request is known only as a body (Batch imports)."""
        with self._lock, self._translated():
            self._db.execute(
                "INSERT OR REPLACE INTO responses (key, model, prompt_name, prompt_version, mode, request,"
                " response_text, finish_reason, prompt_tokens, completion_tokens, created_at, source)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    key,
                    model,
                    prompt_name,
                    prompt_version,
                    mode,
                    request_body,
                    reply.text,
                    reply.finish_reason,
                    reply.usage.prompt_tokens,
                    reply.usage.completion_tokens,
                    time.time(),
                    source,
                ),
            )

    def rows(self) -> list[dict[str, Any]]:
        """Every stored row (for tests and inspection), oldest first."""
        with self._lock:
            cursor = self._db.execute("SELECT * FROM responses ORDER BY created_at, key")
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM responses").fetchone()[0])

    def _error(self, exc: sqlite3.DatabaseError) -> CacheError:
        """The user-facing error for a SQLite failure: locked, disk full, or damaged."""
        text = str(exc)
        if "locked" in text or "busy" in text:
            return CacheError(
                f"{self.path}: the LLM cache is locked by another process ({text})",
                "another coursegen build may be using this folder: wait for it to finish, "
                "or build into another --out folder",
            )
        if "full" in text:
            return CacheError(f"{self.path}: cannot store model answers: {text}",
                              "free disk space and rerun; answers stored so far are kept")
        if isinstance(exc, sqlite3.OperationalError) and "readonly" in text.replace(" ", ""):
            return CacheError(f"{self.path}: the LLM cache is read-only ({text})",
                              "make the file and its folder writable, then rerun")
        return CacheError(
            f"{self.path}: the LLM cache is damaged or not a SQLite file ({text})",
            f"move it away (mv {self.path} {self.path}.broken) and rerun; answers are fetched again",
        )

    @contextlib.contextmanager
    def _translated(self) -> Iterator[None]:
        """Turn SQLite errors inside the block into a CacheError that says what to do."""
        try:
            yield
        except sqlite3.DatabaseError as exc:
            raise self._error(exc) from exc

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._db.close()
