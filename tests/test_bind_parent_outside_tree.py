"""Regression: groups bound with 绑定 landed outside the tree, so district notices never reached them."""

from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path

from bot.message import ChatRef, Incoming
from tests.harness import Bot
from tests.test_console import gridbot


def in_new_chat(bot: Bot, chat: str, user: str, text: str) -> Incoming:
    return Incoming(chat=ChatRef("console", chat), sender_id=user, sender_name=user, text=text,
                    message_id=f"{chat}-{text}", sent_at=bot.clock(), is_group=True,
                    sender_is_admin=True, chat_title=chat)


async def test_bind_with_a_parent_puts_the_group_in_the_tree_and_notices_reach_it(bot: Bot) -> None:
    [r] = await bot.send(in_new_chat(bot, "chat-1", "周主任", "绑定 新桥小区居民群 上级 东城"))
    assert "已登记本群为「新桥小区居民群」" in r.text and "上级：东城街道群" in r.text
    assert bot.app.directory.unattached() == []
    replies = await bot.say("@", "区指挥部小王", "通知 明天全区核酸检测")
    assert any(r.chat.chat_id == "chat-1" and "明天全区核酸检测" in r.text for r in replies)


async def test_a_group_bound_without_parent_is_told_and_can_attach_later(bot: Bot, tmp_path: Path) -> None:
    [r] = await bot.send(in_new_chat(bot, "chat-2", "周主任", "绑定 新桥小区居民群"))
    assert "还没有上级群" in r.text and "绑定 上级" in r.text
    assert [g.name for g in bot.app.directory.unattached()] == ["新桥小区居民群"]

    common = ["--config", str(tmp_path / "bot.toml"), "--db", str(tmp_path / "gridbot.db")]
    tree = await asyncio.to_thread(gridbot, "groups", "tree", *common, cwd=tmp_path)
    assert "1 个群没有挂到上级群下" in tree.stdout and "新桥小区居民群" in tree.stdout
    doctor = await asyncio.to_thread(gridbot, "doctor", *common, cwd=tmp_path)
    assert doctor.returncode == 0 and "1 个群没有上级群" in doctor.stdout

    [r] = await bot.send(in_new_chat(bot, "chat-2", "周主任", "绑定 上级 东城街道群"))
    assert "已把「新桥小区居民群」挂到「东城街道群」下面" in r.text
    replies = await bot.say("@", "刘主任", "通知 今晚8点前报送名单")
    assert any(r.chat.chat_id == "chat-2" for r in replies)
    assert (await bot.app.store.groups.all())[0].parent == "dongcheng"  # survives a restart


async def test_a_parent_that_cannot_be_found_binds_nothing(bot: Bot) -> None:
    [r] = await bot.send(in_new_chat(bot, "chat-3", "周主任", "绑定 新桥小区居民群 上级 火星"))
    assert "没有找到上级群「火星」" in r.text and "东城街道群" in r.text
    assert await bot.app.store.groups.all() == []
    [r] = await bot.send(in_new_chat(bot, "chat-3", "周主任", "绑定 新桥小区居民群 上级 阳光花园居民群"))
    assert "没有找到上级群" in r.text  # a village cannot be a parent


async def test_only_the_owner_or_staff_may_move_a_bound_group(bot: Bot) -> None:
    await bot.send(in_new_chat(bot, "chat-4", "周主任", "绑定 新桥小区居民群"))
    msg = dataclasses.replace(in_new_chat(bot, "chat-4", "路人", "绑定 上级 东城街道群"), sender_is_admin=False)
    [r] = await bot.send(msg)
    assert "只有本群群主或指挥部工作人员" in r.text
    assert bot.app.directory.unattached() != []
