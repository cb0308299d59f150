"""Shared set-up for the campaign tests: a register of households and linked members."""

from __future__ import annotations

from bot.store.households import HouseholdData
from tests.harness import Bot

GROUP = "幸福小区居民群"
#: address key -> (address as registered, head, phone)
HOMES = {
    "3-2-501": ("3栋2单元501", "张三", "13812345671"),
    "3-2-502": ("3栋2单元502", "李四", "13812345672"),
    "3-2-503": ("3栋2单元503", "王五", "13812345673"),
    "3-2-504": ("3栋2单元504", "赵六", "13812345674"),
}


async def register(bot: Bot, group: str = "xingfu") -> None:
    """The four households of :data:`HOMES` in a group's register."""
    for key, (address, head, phone) in HOMES.items():
        await bot.app.store.households.save(HouseholdData(group, key, address, head, phone), bot.clock())


async def link(bot: Bot, user: str, address_key: str, group: str = "xingfu") -> None:
    """``user`` is an approved member of the household at ``address_key``, registered by the real
    name ``真名<user>`` (which must never show in a group)."""
    store, now = bot.app.store, bot.clock()
    home = await store.households.find(group, address_key)
    assert home is not None
    member, _ = await store.members.joined("console", user, group, user, now)
    member = await store.members.register(member, f"真名{user}", address_key, home.address, home.id, now)
    await store.members.decide(member, approve=True, household_id=home.id, who="李书记", reason="", now=now)


def group_texts(bot: Bot) -> list[str]:
    """Everything the bot said in any group so far."""
    return [r.text for r in bot.adapter.sent if not r.chat.is_private]
