"""The extractive engine: deterministic, offline, English; builds a course from the speakers' own words."""

from coursegen.engines.extractive.engine import ExtractiveEngine

__all__ = ["ExtractiveEngine"]
