"""The inbound benchmark's code path with tiny numbers: every reply sent, the floor writes the
same rows, transactions and thread calls counted."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

# Benchmarks are scripts, not a package: load this one by its path.
_spec = importlib.util.spec_from_file_location(
    "inbound", Path(__file__).resolve().parent.parent / "benchmarks" / "inbound.py")
assert _spec is not None and _spec.loader is not None
inbound: Any = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(inbound)


async def test_the_benchmark_sends_every_reply_and_reports_its_figures() -> None:
    figures = await inbound.run(messages=160, groups=10)
    assert {"messages_per_s", "p50_ms", "p99_ms", "peak_rss_mb", "floor_messages_per_s", "ratio"} <= set(figures)
    assert figures["messages"] == 160 and figures["tickets"] > 100  # reports of one claim join a ticket
    assert figures["sends"] >= 2 * figures["tickets"]  # an acknowledgement and an owner push each
    assert figures["messages_per_s"] > 0 and figures["floor_messages_per_s"] > 0
    assert figures["floor_tickets"] == figures["tickets"]  # the floor writes the same rows
    assert figures["platform"] == "telegram"  # stored in the handling transaction: one commit
    assert figures["tx_per_message"] < 1.1  # and now and then a sent mark on its own
    # The floor: one transaction per message, BEGIN + a statement per row + COMMIT.
    assert figures["floor_tx_per_message"] == 1.0 and figures["floor_thread_calls_per_message"] >= 4
    assert 1 <= figures["tx_per_message"] < figures["thread_calls_per_message"]


async def test_the_console_path_commits_each_message_before_handling_it() -> None:
    figures = await inbound.run(messages=48, groups=6, platform="console")
    assert figures["floor_tickets"] == figures["tickets"] > 30
    assert 2.0 <= figures["tx_per_message"] < 2.1


def test_messages_cover_every_keyword_in_both_scripts() -> None:
    texts = [m.text for m in inbound.make_messages(len(inbound.REQUESTS), 5)]
    for word in ("代买", "代買", "代办", "跑腿", "求助", "报备", "報備", "核实", "核實", "举报", "舉報",
                 "辟谣", "闢謠", "求证", "求證"):
        assert any(t.startswith(word) for t in texts), word
    assert len({m.chat.chat_id for m in inbound.make_messages(50, 5)}) == 5
    assert len({m.sender_id for m in inbound.make_messages(50, 5)}) == 50
