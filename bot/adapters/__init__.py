"""Platform adapters and the registry that names them; native SDK objects never leave these modules.

Adding a platform (QQ through OneBot 11, WeCom) is one adapter module plus one entry in
:data:`REGISTRY`: its name, its label for people, the ``bot.toml`` table that configures it,
what it can do, and the module whose ``create(services)`` builds the adapter (``bot.adapter.make_adapter``). That module is
imported only when the platform starts, so a console run never loads python-telegram-bot or
the Wechaty stack, and this registry (which the config reads) depends on nothing.
"""

from __future__ import annotations

from dataclasses import dataclass


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
    #: People may ask to join a group and the bot decides (``join_request`` events, answered
    #: by a Reply's JoinDecision). Every platform reports people joining (``join``).
    join_requests: bool
    #: The adapter module; its ``create(services) -> Adapter`` builds the adapter.
    module: str


REGISTRY: dict[str, Platform] = {
    p.name: p for p in (
        Platform("console", "控制台", "", buttons=False, admin_flag=False,
                 join_requests=False, module="bot.adapters.console"),
        Platform("telegram", "Telegram", "telegram", buttons=True, admin_flag=True,
                 join_requests=True, module="bot.adapters.telegram"),
        Platform("wechat", "微信", "wechat", buttons=False, admin_flag=True,
                 join_requests=False, module="bot.adapters.wechat"),
    )
}
#: Every platform name, in the order they are documented.
NAMES: tuple[str, ...] = tuple(REGISTRY)


def label(name: str) -> str:
    """A platform's name for people (``微信``), or the name itself for one not registered."""
    platform = REGISTRY.get(name)
    return platform.label if platform else name
