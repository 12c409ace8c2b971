"""Where the system Chromium is and how to launch it headless without any network chatter."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

# Flags measured to work headless as root here; the networking ones stop Chromium from
# phoning home, which would otherwise show up as outbound requests in the tests.
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")


def find_chromium() -> str | None:
    """Path of an installed Chromium ($COURSEGEN_CHROMIUM first), or None."""
    override = os.environ.get("COURSEGEN_CHROMIUM")
    if override:
        return override if Path(override).is_file() else None
    for candidate in _CANDIDATES:
        if Path(candidate).is_file():
            return candidate
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    return found
