"""Format parsers, one module per format family.

Each module defines `PARSERS: list[FormatParser]`; the registry in ingest/detect.py
discovers them, so adding a format never edits a shared list.
"""
