"""Platform adapters and the registry that names them; native SDK objects never leave these modules.

Adding a platform (QQ through OneBot 11, WeCom) is one adapter module plus one entry in
:data:`REGISTRY`: its name, its label for people, the ``bot.toml`` table that configures it,
what it can do, and a factory. Factories import their SDK only when called, so a console run
never loads python-telegram-bot or the Wechaty stack.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.adapter import Adapter
    from bot.app import App


@dataclass(frozen=True, slots=True)
class Platform:
    """One chat platform as the rest of the bot sees it."""

    name: str
    #: What people call it, in messages.
    label: str
    #: The ``bot.toml`` table with its settings ('' when it has none).
    section: str
    #: One-tap buttons natively; without them the adapter writes the commands as a text line.
    buttons: bool
    #: The platform tells the bot who owns or administers a group (used by 绑定).
    admin_flag: bool
    factory: Callable[[App], Adapter]


def _console(app: App) -> Adapter:
    from bot.adapters.console import ConsoleAdapter

    return ConsoleAdapter(app.directory, app.now, out=sys.stdout, drain=lambda: app.outbox.drain("console"))


def _telegram(app: App) -> Adapter:
    from bot.adapters.telegram import TelegramAdapter, Webhook, check_token
    from bot.config import env_secret

    tg = app.config.telegram
    token = check_token(env_secret(tg.token_env), tg.token_env)
    hook = Webhook(tg.webhook_url, tg.listen, tg.port) if tg.mode == "webhook" else None
    return TelegramAdapter(token, base_url=tg.base_url, poll_timeout=tg.poll_timeout, webhook=hook)


def _wechat(app: App) -> Adapter:
    from bot import logsafe
    from bot.adapters.wechat import WechatAdapter

    adapter = WechatAdapter.from_env(app.config.wechat, app.directory)
    logsafe.adopt_library_handlers()  # the puppet packages log through handlers of their own
    return adapter


REGISTRY: dict[str, Platform] = {
    p.name: p for p in (
        Platform("console", "控制台", "", buttons=False, admin_flag=False, factory=_console),
        Platform("telegram", "Telegram", "telegram", buttons=True, admin_flag=True, factory=_telegram),
        Platform("wechat", "微信", "wechat", buttons=False, admin_flag=True, factory=_wechat),
    )
}
#: Every platform name, in the order they are documented.
NAMES: tuple[str, ...] = tuple(REGISTRY)


def make_adapter(name: str, app: App) -> Adapter:
    """The adapter for one platform name; secrets come from the environment only."""
    return REGISTRY[name].factory(app)


def label(name: str) -> str:
    """A platform's name for people (``微信``), or the name itself for one not registered."""
    platform = REGISTRY.get(name)
    return platform.label if platform else name
