"""No token in any output: `gridbot run`, `check` and `doctor` against the local Bot API with a known token, every byte grepped.

Regression: httpx logged every request URL at INFO, and Telegram puts the token in the URL
(``POST http://…/bot123456:TEST-token…/sendMessage``).
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from tests.peers.telegram_client import TelegramApi
from tests.peers.test_telegram_adapter import LI, TOML, XINGFU, ZHANG, in_chat

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

TOKEN = "987654321:SECRET-0123456789abcdefghijklmnop"
WRONG = "987654321:WRONGX-0123456789abcdefghijklmnop"


def secret_parts(token: str) -> list[str]:
    return [token, token.split(":", 1)[1]]


async def gridbot(*args: str, token: str, cwd: Path) -> asyncio.subprocess.Process:
    env = {**os.environ, "GRIDBOT_TELEGRAM_TOKEN": token, "PYTHONUNBUFFERED": "1"}
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=cwd, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)


async def test_no_token_in_any_log_line_error_or_check_output(tmp_path: Path) -> None:
    async with TelegramApi(token=TOKEN) as world:
        await world.add_group(XINGFU)
        await world.open_private(LI)
        config = tmp_path / "bot.toml"
        config.write_text(TOML + f'\n[telegram]\nbase_url = "{world.base_url}"\npoll_timeout = 1\n',
                          encoding="utf-8")
        common = ("--config", str(config), "--db", str(tmp_path / "g.db"))
        outputs: list[bytes] = []

        proc = await gridbot("-v", "run", *common, token=TOKEN, cwd=tmp_path)
        try:
            await world.wait_call("getUpdates", timeout=30)
            await world.say(ZHANG, "代买 胰岛素两盒 5栋301", XINGFU)
            await world.wait_sent(in_chat(XINGFU.id, "E1"))
            await world.flood(2, retry_after=1)  # failed sends are logged with their error
            await world.say(ZHANG, "代买 鸡蛋 5栋301", XINGFU)
            await world.wait_sent(in_chat(XINGFU.id, "E2"), timeout=20)
        finally:
            proc.send_signal(signal.SIGINT)
            out, _ = await asyncio.wait_for(proc.communicate(), 30)
            outputs.append(out)
        assert b"HTTP Request" in out and b"/bot<redacted>/" in out, "the run logged its requests"

        # Refused by Telegram: the error explains itself without echoing the token.
        wrong = await gridbot("-v", "run", *common, token=WRONG, cwd=tmp_path)
        out, _ = await asyncio.wait_for(wrong.communicate(), 60)
        assert wrong.returncode != 0
        outputs.append(out)

        check = await gridbot("-v", "check", *common, token=TOKEN, cwd=tmp_path)
        out, _ = await asyncio.wait_for(check.communicate(), 30)
        assert check.returncode == 0, out.decode()
        outputs.append(out)

        # doctor logs in with getMe; at debug level PTB and the HTTP stack log the request.
        for token in (TOKEN, WRONG):
            doctor = await gridbot("-v", "doctor", *common, token=token, cwd=tmp_path)
            out, _ = await asyncio.wait_for(doctor.communicate(), 60)
            assert b"getMe" in out, out.decode()
            outputs.append(out)

    everything = b"\n".join(outputs).decode("utf-8", "replace")
    for secret in secret_parts(TOKEN) + secret_parts(WRONG):
        assert secret not in everything
