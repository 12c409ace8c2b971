"""Fixtures for the ingest tests: the seeds ingested once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from coursegen.ingest import IngestReport, ingest_paths

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture(scope="session")
def seed_report() -> IngestReport:
    """The five seeds, ingested as `coursegen ingest seeds/` would."""
    return ingest_paths([SEEDS])
