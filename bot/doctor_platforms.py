"""``gridbot doctor``'s platform checks: can the bot reach each platform, and log in there.

Tokens are read from the environment variables the config names and never printed: error
texts from the network libraries are scrubbed of the token before they are shown.
"""

from __future__ import annotations

import asyncio

from bot.config import Config, env_secret
from bot.doctor import FAIL, OK, WARN, Check

#: How long one platform may take to answer before doctor calls it unreachable.
TIMEOUT = 15.0


def scrub(text: str, *secrets: str | None) -> str:
    """``text`` with every secret replaced by ***."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


async def telegram_checks(config: Config) -> list[Check]:
    """Telegram: the token is set and well formed, and ``getMe`` accepts it."""
    from telegram import Bot
    from telegram.error import InvalidToken, NetworkError, TelegramError
    from telegram.request import HTTPXRequest

    from bot.adapters.telegram import TelegramSetupError, check_token

    tg = config.telegram
    token = env_secret(tg.token_env)
    try:
        check_token(token, tg.token_env)
    except TelegramSetupError as exc:
        return [Check(FAIL, f"Telegram：{exc}")]
    assert token is not None
    root = tg.base_url or "https://api.telegram.org"
    request = HTTPXRequest(connect_timeout=5, read_timeout=10)
    bot = Bot(token, base_url=f"{root}/bot", base_file_url=f"{root}/file/bot", request=request)
    try:
        async with asyncio.timeout(TIMEOUT):
            me = await bot.get_me()
    except InvalidToken:
        return [Check(FAIL, f"Telegram：{root} 拒绝了环境变量 {tg.token_env} 里的令牌："
                            "请到 @BotFather 核对（/mybots → API Token）后重新设置")]
    except (NetworkError, TimeoutError) as exc:
        why = scrub(str(exc), token) or "超时"
        return [Check(FAIL, f"Telegram：连不上 {root}（{why}）：请检查网络、代理或 [telegram] base_url")]
    except TelegramError as exc:
        return [Check(FAIL, f"Telegram：{root} 返回错误：{scrub(str(exc), token)}")]
    finally:
        await request.shutdown()
    checks = [Check(OK, f"Telegram：令牌有效，机器人 @{me.username}（{me.first_name}，id {me.id}），"
                        f"令牌来自环境变量 {tg.token_env}")]
    if not me.can_read_all_group_messages:
        checks.append(Check(WARN, f"Telegram：@{me.username} 开着隐私模式，在群里只看得到 /命令，"
                                  "看不到居民的关键词：@BotFather → /setprivacy → Disable，再把机器人重新拉进群"))
    return checks


async def wechat_checks(config: Config) -> list[Check]:
    """WeChat: endpoint and token are set, the gateway answers, and it accepts the token."""
    from bot import logsafe
    from bot.adapters.wechat import WechatAdapter, WechatSetupError
    from bot.adapters.wechat_grpc import reachable
    from bot.directory import Directory

    logsafe.adopt_library_handlers()  # the puppet packages log the token through handlers of their own
    wc = config.wechat
    try:
        adapter = WechatAdapter.from_env(wc, Directory(config))
    except WechatSetupError as exc:
        return [Check(FAIL, f"微信：{scrub(str(exc), env_secret(wc.token_env))}")]
    endpoint, token = adapter.endpoint, adapter.token
    if not await reachable(endpoint, timeout=5.0):
        return [Check(FAIL, f"微信：连不上网关 {endpoint}（环境变量 {wc.endpoint_env}）："
                            "请确认网关在运行、地址和端口正确")]
    return [await _gateway_version(endpoint, token, wc.token_env)]


async def _gateway_version(endpoint: str, token: str, token_env: str) -> Check:
    """Ask the gateway its version: the one call that proves it takes our token."""
    from grpclib.client import Channel
    from grpclib.exceptions import GRPCError
    from wechaty_grpc.wechaty import PuppetStub

    from bot.adapters.wechat import AUTH_ERRORS

    host, _, port = endpoint.rpartition(":")
    channel = Channel(host=host or "127.0.0.1", port=int(port))
    channel._authority = token  # how the puppet-service client sends its token (wechaty_puppet_service)
    try:
        async with asyncio.timeout(TIMEOUT):
            answer = await PuppetStub(channel).version()
    except GRPCError as exc:
        if exc.status in AUTH_ERRORS:
            return Check(FAIL, f"微信：网关 {endpoint} 拒绝了环境变量 {token_env} 里的令牌："
                               "请核对网关启动时用的令牌")
        # Anything but an auth error means the token got past the gateway's check.
        return Check(WARN, f"微信：网关 {endpoint} 接受了令牌，但版本查询返回 {exc.status.name}："
                           f"{scrub(str(exc.message or ''), token)}")
    except Exception as exc:  # noqa: BLE001 - a stream reset, a timeout, a non-gRPC server
        return Check(FAIL, f"微信：网关 {endpoint} 没有正常应答（{type(exc).__name__}: "
                           f"{scrub(str(exc), token)}）：它是 Wechaty puppet-service 网关吗？")
    finally:
        channel.close()
    version = f"，网关版本 {answer.version}" if answer.version else ""
    return Check(OK, f"微信：网关 {endpoint} 已接受环境变量 {token_env} 里的令牌{version}")
