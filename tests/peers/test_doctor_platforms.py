"""``gridbot doctor`` against the real peers: the local Bot API server (getMe) and the npm
Wechaty gateway (version call), each with the right and a wrong token.

Doctor runs as the real command in its own process; everything it prints is searched for tokens.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from tests.harness import BASE_TOML
from tests.peers.telegram_client import ROOT, TelegramApi
from tests.peers.wechat_gateway import WechatGateway, wechat_gateway  # noqa: F401  (fixture)

WRONG = "654321:WRONG-token-0123456789abcdef"


async def doctor(tmp_path: Path, api: TelegramApi, token: str) -> tuple[int, str]:
    """Run ``gridbot doctor`` for Telegram with ``token`` in the environment."""
    return await run_doctor(tmp_path, "telegram", f'token_env = "DOCTOR_PEER_TOKEN"\nbase_url = "{api.base_url}"',
                            DOCTOR_PEER_TOKEN=token)


async def run_doctor(tmp_path: Path, platform: str, table: str, **env_vars: str) -> tuple[int, str]:
    """Run ``gridbot doctor`` with ``[platform]`` set to ``table``; exit code and all output."""
    toml = BASE_TOML.replace('platforms = ["console"]', f'platforms = ["console", "{platform}"]').replace(
        "[staff]", f"[{platform}]\n{table}\n\n[staff]")
    (tmp_path / "bot.toml").write_text(toml, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), **env_vars}
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


async def wechat_doctor(tmp_path: Path, gw: WechatGateway, token: str) -> tuple[int, str]:
    return await run_doctor(tmp_path, "wechat", 'endpoint_env = "DOCTOR_WX_ENDPOINT"\ntoken_env = "DOCTOR_WX_TOKEN"',
                            DOCTOR_WX_ENDPOINT=gw.endpoint, DOCTOR_WX_TOKEN=token)


async def test_wechat_gateway_takes_the_right_token(tmp_path: Path, wechat_gateway: WechatGateway) -> None:  # noqa: F811
    code, out = await wechat_doctor(tmp_path, wechat_gateway, wechat_gateway.token)
    assert code == 0, out
    line = next(line for line in out.splitlines() if line.startswith("✓ 微信"))
    assert wechat_gateway.endpoint in line and "已接受" in line and "DOCTOR_WX_TOKEN" in line
    assert wechat_gateway.token not in out


async def test_wechat_gateway_refuses_a_wrong_token_and_it_is_not_shown(
        tmp_path: Path, wechat_gateway: WechatGateway) -> None:  # noqa: F811
    wrong = "insecure_doctor-wrong-token"
    code, out = await wechat_doctor(tmp_path, wechat_gateway, wrong)
    assert code == 1, out
    assert any(line.startswith("✗ 微信") and "拒绝了" in line for line in out.splitlines()), out
    assert wrong not in out and wechat_gateway.token not in out
