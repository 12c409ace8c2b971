"""Read and write course.json: schema check, forward-only migrations, deterministic atomic output."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from coursegen.errors import CourseFileError
from coursegen.fsutil import atomic_write_text, sha256_text
from coursegen.ir import SCHEMA_VERSION, Course

Migration = Callable[[dict[str, Any]], dict[str, Any]]

OLDEST_SCHEMA = 0


def _v0_to_v1(data: dict[str, Any]) -> dict[str, Any]:
    """Schema 0 → 1: split prediction objects, derive card identities, add build.overrides.

    Schema 0 (see tests/fixtures/regen/make_course_v0.py) stored a lesson's prediction as
    `{"prompt", "reveal"}`, a card's `fact_key` instead of its identity, and episodes without
    passages. Identities are derived exactly as schema 1 does (course/concept/fact key), so the
    Anki GUIDs of a migrated course equal those its exporter wrote.
    """
    course_id = data.get("id")
    for lesson in _dicts(data.get("lessons")):
        prediction = lesson.get("prediction")
        if isinstance(prediction, dict):
            lesson["prediction"] = str(prediction.get("prompt", ""))
            lesson.setdefault("prediction_reveal", str(prediction.get("reveal", "")))
    for card in _dicts(data.get("cards")):
        fact = card.pop("fact_key", None)
        if "identity" not in card and isinstance(fact, str):
            card["identity"] = f"{course_id}/{card.get('concept')}/{fact}"
    build = data.get("build")
    if isinstance(build, dict):
        build.setdefault("overrides", [])
    return data


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


# MIGRATIONS[n] turns a schema-n course dict into a schema-(n+1) one. Steps only go forward;
# whoever bumps SCHEMA_VERSION in ir.py adds the step for the previous version here.
MIGRATIONS: dict[int, Migration] = {0: _v0_to_v1}


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """Bring a course dict from its schema_version up to the current one, step by step."""
    version = data.get("schema_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < OLDEST_SCHEMA:
        raise CourseFileError(
            f"schema_version {version!r} is not a known course schema",
            "the file is not a coursegen course.json, or it is damaged",
        )
    if version > SCHEMA_VERSION:
        raise CourseFileError(
            f"schema_version {version} is newer than this coursegen understands (up to {SCHEMA_VERSION})",
            "upgrade coursegen to read this course",
        )
    while version < SCHEMA_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise CourseFileError(f"no migration from schema_version {version}", "rebuild the course")
        data = step(copy.deepcopy(data))
        version += 1
        data["schema_version"] = version
    return data


def _first_errors(exc: ValidationError, limit: int = 3) -> str:
    errors = exc.errors()
    shown = [
        f"{'.'.join(str(p) for p in err['loc']) or '(top)'}: {err['msg']}" for err in errors[:limit]
    ]
    more = f" (and {len(errors) - limit} more)" if len(errors) > limit else ""
    return "; ".join(shown) + more


def course_from_data(data: Any, origin: str = "course") -> Course:
    """Validate a decoded JSON value as a course (after migration)."""
    if not isinstance(data, dict):
        raise CourseFileError(f"{origin}: not a course (expected a JSON object)")
    if "schema_version" not in data:
        raise CourseFileError(
            f"{origin}: no schema_version field; not a coursegen course.json",
            "pass the course.json written by `coursegen build`",
        )
    try:
        migrated = migrate(data)
    except CourseFileError as exc:
        raise CourseFileError(f"{origin}: {exc.message}", exc.tip) from exc
    try:
        return Course.model_validate(migrated)
    except ValidationError as exc:
        raise CourseFileError(
            f"{origin}: invalid course: {_first_errors(exc)}",
            "the file was edited by hand or is damaged; rebuild it with `coursegen build`",
        ) from exc


def load_course(path: Path) -> Course:
    """Read course.json (or a build folder's); a missing, unreadable, corrupt or unknown-schema file
    is a CourseFileError."""
    path = Path(path)
    if path.is_dir() and (path / "course.json").is_file():
        # `coursegen validate build/` means the course that folder holds.
        path = path / "course.json"
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise CourseFileError(f"{path}: no such file", "check the path to course.json") from exc
    except IsADirectoryError as exc:
        raise CourseFileError(
            f"{path}: is a folder with no course.json", "pass a course.json or the --out folder of a build"
        ) from exc
    except OSError as exc:
        raise CourseFileError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise CourseFileError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    except json.JSONDecodeError as exc:
        raise CourseFileError(
            f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
            "the file is truncated or was edited by hand; rebuild it with `coursegen build`",
        ) from exc
    return course_from_data(data, str(path))


def _sorted_dicts(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _sorted_dicts(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted_dicts(item) for item in value]
    return value


def dump_course(course: Course) -> str:
    """The exact text save_course writes: indent 2, UTF-8 kept, free-form build dicts sorted."""
    data = course.model_dump(mode="json")
    build = data["build"]
    for key in ("prompt_versions", "usage", "timings", "validation"):
        build[key] = _sorted_dicts(build[key])
    if build.get("previous_course") is None:
        del build["previous_course"]  # first builds keep the course.json of earlier versions
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def course_fingerprint(course: Course) -> str:
    """sha256 of the course's content (its build record left out), stable across save and load."""
    data = course.model_dump(mode="json", exclude={"build"})
    return sha256_text(json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")))


def save_course(course: Course, path: Path) -> None:
    """Write course.json atomically and deterministically."""
    atomic_write_text(Path(path), dump_course(course))
