"""``[bot]`` (name, platforms, database, time zone), ``[telegram]`` and ``[wechat]``."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.adapters import NAMES
from bot.config.reader import Document, Reader, Table

PLATFORMS = NAMES  # bot/adapters/__init__.py registers them


@dataclass(frozen=True, slots=True)
class BotConfig:
    """The ``[bot]`` table: who the bot is, where it runs and where it keeps its data."""

    name: str
    platforms: tuple[str, ...]
    database: Path
    timezone: str


@dataclass(frozen=True, slots=True)
class TelegramConfig:
    """Telegram settings; the token itself comes from the environment only."""

    token_env: str = "GRIDBOT_TELEGRAM_TOKEN"
    #: Bot API root; empty means https://api.telegram.org (a local Bot API server otherwise).
    base_url: str = ""
    poll_timeout: int = 30
    #: ``polling`` (getUpdates, works anywhere) or ``webhook`` (Telegram POSTs to webhook_url).
    mode: str = "polling"
    #: Public HTTPS address Telegram posts to; a proxy forwards it to listen:port.
    webhook_url: str = ""
    #: Only this machine by default: a reverse proxy terminates TLS and forwards here.
    listen: str = "127.0.0.1"
    port: int = 8443


@dataclass(frozen=True, slots=True)
class WechatConfig:
    """WeChat (Wechaty puppet service) settings; endpoint and token come from the environment."""

    endpoint_env: str = "WECHATY_PUPPET_SERVICE_ENDPOINT"
    token_env: str = "WECHATY_PUPPET_SERVICE_TOKEN"
    send_interval: float = 1.0


def _bot(doc: Document) -> BotConfig:
    bot = doc.root.sub("bot")
    bot.only("bot")
    platforms = _platforms(bot)
    tz = bot.str("timezone", "Asia/Shanghai")
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise bot.fail("timezone", f"不认识的时区 {tz!r}，中国大陆写 \"Asia/Shanghai\" (unknown time zone)") from None
    database = doc.database
    if database is None:
        db = Path(bot.str("database", "data/gridbot.db"))
        database = db if db.is_absolute() else doc.path.parent / db
    return BotConfig(name=bot.str("name", "网格助手"), platforms=platforms, database=Path(database), timezone=tz)


def _platforms(bot: Reader) -> tuple[str, ...]:
    if "platforms" in bot.table:
        names, key = bot.strs("platforms"), "platforms"
    else:
        names, key = (bot.str("platform", "console"),), "platform"
    if not names:
        raise bot.fail(key, "至少要写一个平台，例如 [\"console\"] (must name at least one platform)")
    for name in names:
        if name not in PLATFORMS:
            raise bot.fail(key, f"不认识的平台 {name!r}，可写 {'、'.join(PLATFORMS)} (unknown platform)")
    return names


def _telegram(doc: Document) -> TelegramConfig:
    tg = doc.root.sub("telegram")
    if "token" in tg.table:
        raise tg.fail("token", f"never put the token in the file; set the environment variable "
                               f"{tg.str('token_env', 'GRIDBOT_TELEGRAM_TOKEN')} instead")
    tg.only("telegram")
    return TelegramConfig(
        token_env=tg.str("token_env", "GRIDBOT_TELEGRAM_TOKEN"),
        base_url=tg.str("base_url", "").rstrip("/"),
        poll_timeout=int(tg.num("poll_timeout", 30)),
        **_webhook(tg),
    )


def _webhook(tg: Reader) -> dict[str, Any]:
    mode = tg.str("mode", "polling")
    if mode not in ("polling", "webhook"):
        raise tg.fail("mode", f"写 \"polling\"（默认，主动拉取消息）或 \"webhook\"（Telegram 推送到 webhook_url），"
                              f"不是 {mode!r}")
    url = tg.str("webhook_url", "")
    # A self-hosted Bot API server (base_url, its --local mode) also posts to plain http.
    schemes = ("https://", "http://") if tg.str("base_url", "") else ("https://",)
    if mode == "webhook" and not url.startswith(schemes):
        raise tg.fail("webhook_url", "webhook 模式需要一个公网 https 地址，例如 "
                                     "\"https://bot.example.org/telegram\"（Telegram 只向 https 推送）")
    port = tg.num("port", 8443)
    if port != int(port) or not 0 < port < 65536:
        raise tg.fail("port", f"端口应是 1-65535 之间的整数，不是 {port!r}")
    return {"mode": mode, "webhook_url": url, "listen": tg.str("listen", "127.0.0.1"), "port": int(port)}


def _wechat(doc: Document) -> WechatConfig:
    wc = doc.root.sub("wechat")
    wc.only("wechat")
    return WechatConfig(
        endpoint_env=wc.str("endpoint_env", "WECHATY_PUPPET_SERVICE_ENDPOINT"),
        token_env=wc.str("token_env", "WECHATY_PUPPET_SERVICE_TOKEN"),
        send_interval=wc.num("send_interval", 1.0),
    )


def env_secret(name: str) -> str | None:
    """A secret from the environment, stripped; None when unset or blank."""
    value = os.environ.get(name, "").strip()
    return value or None


BOT = Table("bot", ("name", "platforms", "platform", "database", "timezone"), _bot)
TELEGRAM = Table("telegram", ("token_env", "base_url", "poll_timeout", "mode", "webhook_url", "listen", "port"),
                 _telegram)
WECHAT = Table("wechat", ("endpoint_env", "token_env", "send_interval"), _wechat)
