"""A district with a delivery team (配送小分队) and helpers to sign volunteers up and approve them."""

from __future__ import annotations

from tests.harness import BASE_TOML, Bot

TEAM_GROUP = "配送志愿者群"
GROUP = "幸福小区居民群"
TOML = BASE_TOML + f"""
[[groups]]
key = "peisong-team"
name = "{TEAM_GROUP}"
parent = "dongcheng"
owners = ["刘主任"]
tickets = false

[[teams]]
key = "peisong"
name = "配送小分队"
categories = ["groceries", "买药/就医"]
group = "peisong-team"
leaders = ["王队长"]
serves = ["dongcheng"]
repost_after_minutes = 20
"""


async def volunteer(bot: Bot, user: str, name: str, phone: str = "13900001111") -> None:
    """``user`` signs up as ``name`` and the team leader approves them."""
    [ack, *_] = await bot.say("@", user, f"志愿者报名 {name} {phone} 配送小分队")
    assert "已收到您的报名" in ack.text, ack.text
    tail = phone[-4:]
    replies = await bot.say("@", "王队长", f"志愿者 通过 {name} {tail}")
    assert replies[0].text.startswith(f"已通过 {name}"), replies[0].text
