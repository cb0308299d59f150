"""``gridbot doctor`` against the local Bot API server: getMe with the right and a wrong token.

Doctor runs as the real command in its own process; everything it prints is searched for the token.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from tests.harness import BASE_TOML
from tests.peers.telegram_client import ROOT, TelegramApi

WRONG = "654321:WRONG-token-0123456789abcdef"


async def doctor(tmp_path: Path, api: TelegramApi, token: str) -> tuple[int, str]:
    """Run ``gridbot doctor`` with ``token`` in the environment; exit code and all output."""
    toml = BASE_TOML.replace('platforms = ["console"]', 'platforms = ["console", "telegram"]').replace(
        "[staff]", f'[telegram]\ntoken_env = "DOCTOR_PEER_TOKEN"\nbase_url = "{api.base_url}"\n\n[staff]')
    (tmp_path / "bot.toml").write_text(toml, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DOCTOR_PEER_TOKEN": token}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "doctor", "--config", str(tmp_path / "bot.toml"), cwd=tmp_path,
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    out, _ = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode is not None
    return proc.returncode, out.decode()


async def test_the_right_token_logs_in_and_is_never_shown(tmp_path: Path, telegram_api: TelegramApi) -> None:
    code, out = await doctor(tmp_path, telegram_api, telegram_api.token)
    assert code == 0, out
    line = next(line for line in out.splitlines() if line.startswith("✓ Telegram"))
    assert "@gridbot_test_bot" in line and "网格助手" in line and "DOCTOR_PEER_TOKEN" in line
    assert telegram_api.token not in out and telegram_api.token.split(":")[1] not in out
    assert any(ev["method"] == "getMe" for ev in await telegram_api.fetch())


async def test_a_wrong_token_fails_and_neither_token_is_shown(tmp_path: Path, telegram_api: TelegramApi) -> None:
    code, out = await doctor(tmp_path, telegram_api, WRONG)
    assert code == 1, out
    failed = [line for line in out.splitlines() if line.startswith("✗")]
    assert len(failed) == 1 and "拒绝了" in failed[0] and "DOCTOR_PEER_TOKEN" in failed[0], out
    assert WRONG not in out and WRONG.split(":")[1] not in out and telegram_api.token not in out


async def test_privacy_mode_is_a_warning(tmp_path: Path) -> None:
    async with TelegramApi(privacy=True) as api:
        code, out = await doctor(tmp_path, api, api.token)
    assert code == 0, out
    assert any(line.startswith("! Telegram") and "隐私模式" in line for line in out.splitlines()), out
