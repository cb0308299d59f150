"""Without chromium the dashboard's browser tests fail with the fix in the message, never skip."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.peers import browser


async def test_missing_chromium_fails_loudly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browser, "CHROMIUM", str(tmp_path / "no-chromium"))
    assert "apt-get install -y chromium" in (browser.chromium_missing_reason() or "")
    with pytest.raises(pytest.fail.Exception, match="NOT RUN"):
        async with browser.chromium(tmp_path):
            pass
