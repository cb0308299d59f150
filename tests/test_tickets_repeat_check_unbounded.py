"""Regression: the repeat check compared each request with all of the sender's open tickets.

300 requests of 4,000 characters from one sender took 61 s; the check must look at a bounded
number of recent tickets, on a bounded prefix of their text (the timing is benchmarks/flood.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rapidfuzz import fuzz

from handlers.tickets import REPEAT_CANDIDATES, REPEAT_PREFIX, fingerprint
from tests.harness import BASE_TOML, Bot, to

GROUP = "幸福小区居民群"
NO_LIMIT = BASE_TOML + "\n[limits]\ntickets_per_window = 1000\n"


async def test_the_repeat_check_compares_a_bounded_number_of_tickets(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bot = await Bot.start(tmp_path, NO_LIMIT)
    try:
        for i in range(3 * REPEAT_CANDIDATES):
            await bot.say(GROUP, "张阿姨", f"代买 第{i}样东西 5栋{i}")
        compared: list[tuple[str, str]] = []
        ratio = fuzz.ratio

        def counting(a: str, b: str) -> float:
            compared.append((a, b))
            return float(ratio(a, b))

        monkeypatch.setattr(fuzz, "ratio", counting)
        replies = await bot.say(GROUP, "张阿姨", "代买 又一样 5栋999 " + "很长的说明" * 800)
        assert "已登记代办工单" in to(replies, GROUP)[0].text
        assert len(compared) == REPEAT_CANDIDATES
        assert all(len(a) <= REPEAT_PREFIX and len(b) <= REPEAT_PREFIX for a, b in compared)
        # The latest requests are among those compared, so a repeat of one is still caught.
        again = await bot.say(GROUP, "张阿姨", f"代买 第{3 * REPEAT_CANDIDATES - 1}样东西 5栋{3 * REPEAT_CANDIDATES - 1}")
        assert "您已登记过 E60" in again[0].text
    finally:
        await bot.close()


def test_the_fingerprint_is_a_short_normalised_prefix() -> None:
    long = "代買 胰島素兩盒，急！" + "说明" * 2000
    assert fingerprint(long) == fingerprint("代买 胰岛素两盒 急" + "说明" * 2000)
    assert len(fingerprint(long)) == REPEAT_PREFIX
