"""The course IR as JSON: `DIR/json/<course>.json`, keys sorted so equal courses give equal files."""

from __future__ import annotations

import json
from pathlib import Path

from coursegen.fsutil import atomic_write_text, slugify
from coursegen.ir import Course

JSON_DIR = "json"


def course_json(course: Course) -> str:
    """Deterministic JSON of the whole course (readable back with `Course.model_validate_json`)."""
    return json.dumps(course.model_dump(mode="json"), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def export_json(course: Course, out_dir: Path) -> list[Path]:
    """Write a copy of the course IR."""
    path = Path(out_dir) / JSON_DIR / f"{slugify(course.id, 'course')}.json"
    atomic_write_text(path, course_json(course))
    return [path]
