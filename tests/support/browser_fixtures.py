"""Browser fixtures shared by every test folder: one headless system Chromium per session.

Registered once in tests/conftest.py (`pytest_plugins`): a fixture imported into two test
modules would start two sync Playwright instances, and the second fails inside the first's loop.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.site.chromium import LAUNCH_ARGS, find_chromium

NO_BROWSER = (
    "no Chromium found (looked for $COURSEGEN_CHROMIUM, /usr/bin/chromium, chromium on PATH): "
    "browser tests skipped; install Debian's `chromium` package to run them "
    "(set COURSEGEN_REQUIRE_BROWSER=1 to make this a failure)"
)


# Module scope, not session: while Playwright's sync API is open it leaves its event loop
# marked running on the main thread, so a later test's asyncio.run() would fail.
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless system Chromium per test module (never downloaded)."""
    chromium = find_chromium()
    if chromium is None:
        if os.environ.get("COURSEGEN_REQUIRE_BROWSER") == "1":
            pytest.fail(NO_BROWSER.replace("skipped", "required by COURSEGEN_REQUIRE_BROWSER=1"))
        pytest.skip(NO_BROWSER)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=chromium, args=LAUNCH_ARGS)
        try:
            yield instance
        finally:
            instance.close()


@dataclass
class Watched:
    """A page plus everything it did that a test may want to forbid."""

    page: Any
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        """No console error, no uncaught exception, no dialog, no request off this machine."""
        assert self.console_errors == []
        assert self.page_errors == []
        assert self.dialogs == []
        outside = [url for url in self.requests if not url.startswith(("file://", "data:"))]
        assert outside == []


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    """A fresh browser context (own localStorage) whose page records errors, requests, dialogs."""
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    w = Watched(page)
    page.on("console", lambda msg: w.console_errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: w.page_errors.append(str(exc)))
    context.on("request", lambda request: w.requests.append(request.url))

    def on_dialog(dialog: Any) -> None:
        w.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    try:
        yield w
    finally:
        context.close()
