"""Fixtures for export tests: the sample course and a throw-away Anki collection."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from coursegen.ir import Course
from tests.export.sample_course import sample_course


@pytest.fixture
def course() -> Course:
    """A fresh sample course full of hostile text."""
    return sample_course()


@pytest.fixture
def anki_collection(tmp_path: Path) -> Iterator[Any]:
    """A fresh Anki collection in tmp_path, closed afterwards."""
    from anki.collection import Collection

    folder = tmp_path / "learner"
    folder.mkdir()
    col = Collection(str(folder / "collection.anki2"))
    yield col
    col.close()


def import_apkg(col: Any, path: Path, with_scheduling: bool = False) -> Any:
    """Import a package the way Anki's GUI does by default (update notes only if newer)."""
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    request = ImportAnkiPackageRequest(
        package_path=str(path), options=ImportAnkiPackageOptions(with_scheduling=with_scheduling)
    )
    return col.import_anki_package(request).log
