"""CLI commands of one area (registered on the shared app when imported)."""

from __future__ import annotations

from coursegen.cli import app  # noqa: F401
