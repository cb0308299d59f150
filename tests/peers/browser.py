"""Debian's chromium driven by Playwright for Python (never ``playwright install``).

A machine without the browser FAILS the dashboard's end-to-end tests rather than skipping
them: CI installs it (``.ci/run``: ``apt-get install chromium``).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.async_api import Browser

CHROMIUM = os.environ.get("GRIDBOT_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def chromium_missing_reason() -> str | None:
    """Why the browser tests cannot run here (None when they can)."""
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        return (f"web dashboard browser tests NOT RUN: {CHROMIUM} is missing. "
                "Install Debian's browser: apt-get install -y chromium (or set GRIDBOT_CHROMIUM).")
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "web dashboard browser tests NOT RUN: pip install playwright (do not run `playwright install`)."
    return None


@asynccontextmanager
async def chromium(tmp_path: Path) -> AsyncIterator[Browser]:
    """A headless chromium with a fresh profile; fails the test loudly when it cannot start."""
    reason = chromium_missing_reason()
    if reason:
        pytest.fail(reason)
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=ARGS,
                                           env={**os.environ, "HOME": str(tmp_path)})
        try:
            yield browser
        finally:
            await browser.close()
