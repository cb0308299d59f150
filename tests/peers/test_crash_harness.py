"""Crash harness: ``gridbot run`` killed with SIGKILL mid-burst loses nothing and handles once.

The issue's burst: 2,000 requests through the Telegram peer, six kills spread over it.
``benchmarks/crash.py`` runs the same with more kills and prints the duplicate rate. See
``tests/peers/crash_run.py`` for what is counted. About two and a half minutes: 4,000 replies
at Telegram's 30 messages a second are most of it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.adapters.telegram import TelegramAdapter
from tests.peers.crash_run import count_duplicates, telegram_burst

# PTB 22 warns about its own RetryAfter.retry_after on a 429; harmless here.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


@pytest.mark.timeout(600)
async def test_sigkill_six_times_in_2000_requests_loses_nothing_and_handles_each_once(
    tmp_path: Path,
) -> None:
    result = await telegram_burst(tmp_path, messages=2000, kills=6, rate=20.0)
    assert result.kills == 6
    assert result.messages == 2000
    assert result.lost == 0, (tmp_path / "run-1.log").read_text()[-2000:]
    assert result.handled_twice == 0
    assert result.integrity == "ok"
    assert result.sends >= 2 * result.messages  # every group reply and owner push went out
    # A send repeats only if a kill lands between the platform's answer and the commit of
    # its mark. The outbox has one send under way per chat (and at most max_in_flight in
    # all), so one kill can repeat at most one send in each chat it had one under way.
    assert result.per_kill == min(result.chats, TelegramAdapter.max_in_flight)
    assert result.max_duplicates_one_kill <= result.per_kill
    assert result.duplicates <= result.bound == result.kills * result.per_kill


def test_duplicates_are_counted_per_chat_and_text_and_charged_to_the_kill_before_them() -> None:
    sends = [("-1", "E1", 1.0), ("7", "新工单 E1", 1.1), ("-1", "E1", 3.0), ("-2", "E2", 3.5),
             ("7", "新工单 E1", 5.5), ("-1", "E1", 6.0), ("-2", "E1", 6.1)]
    # Kills at 2 s and 5 s: the repeat at 3.0 s follows the first, those at 5.5/6.0 the second.
    assert count_duplicates(sends, [2.0, 5.0]) == (3, 2, 2)
