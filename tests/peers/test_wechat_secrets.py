"""No puppet token in `gridbot run`'s output on WeChat.

Regression: wechaty_puppet's loggers have a handler of their own (propagate off) and warn
"there are endpoint<…> and token<…>" at start-up, past the root's redacting formatter.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.peers.crash_run import wechat_burst
from tests.peers.wechat_gateway import node_missing_reason

pytestmark = pytest.mark.skipif(node_missing_reason() is not None, reason=str(node_missing_reason()))

GATEWAY_TOKEN = re.compile(r"insecure_[0-9a-f]{8}-")


def run_logs(folder: Path) -> str:
    return "\n".join(p.read_text(errors="replace") for p in sorted(folder.glob("run-*.log")))


async def test_no_puppet_token_in_the_bots_output(tmp_path: Path) -> None:
    # No kill: this is about what start-up logs; losses under kill -9 are the crash harness's.
    result = await wechat_burst(tmp_path, messages=6, kills=0)
    assert result.lost == 0
    logs = run_logs(tmp_path)
    assert "token<" in logs, "the puppet's start-up warning was logged (and redacted)"
    assert not GATEWAY_TOKEN.search(logs), logs[-2000:]
